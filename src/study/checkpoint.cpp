#include "src/study/checkpoint.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "src/io/csv.hpp"

namespace cartsim::study {
namespace fs = std::filesystem;

fs::path partial_path(const fs::path& out, int rank) { return out / fmt::format(".patients.rank{}.partial", rank); }

fs::path identity_path(const fs::path& out) { return out / ".study.partial"; }

std::vector<fs::path> partial_files(const fs::path& out) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (!fs::is_directory(out, ec)) return files;
    for (const auto& entry : fs::directory_iterator(out, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(".patients.rank", 0) == 0 && entry.path().extension() == ".partial") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string fingerprint(const std::string& text) {
    std::uint64_t h = 14695981039346656037ull;
    for (const unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return fmt::format("{:016x}", h);
}

namespace {

/// Complete lines of a file (a last line without a line break is dropped).
std::vector<std::string> complete_lines(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = content.find('\n', start)) != std::string::npos; start = end + 1)
        lines.push_back(content.substr(start, end - start));
    return lines;
}

}  // namespace

std::set<UnitKey> finished_units(const fs::path& out, const std::string& header, bool sweep) {
    std::set<UnitKey> done;
    for (const auto& file : partial_files(out)) {
        const auto lines = complete_lines(file);
        if (lines.empty()) continue;
        if (lines.front() != header)
            throw std::runtime_error(file.string() + " was written by a different study (its header differs)");
        for (std::size_t i = 1; i < lines.size(); ++i) {
            const auto cells = io::split_csv_line(lines[i]);
            if (cells.size() < 2) continue;
            done.insert(sweep ? UnitKey{cells[0], std::stoi(cells[1])} : UnitKey{cells[1], std::stoi(cells[0])});
        }
    }
    return done;
}

PartialWriter::PartialWriter(const fs::path& file, const std::string& header) : path_(file) {
    std::error_code ec;
    const bool exists = fs::exists(file, ec);
    if (exists) {
        // Keep only complete lines: a crash may have cut the last one short.
        const auto lines = complete_lines(file);
        std::uintmax_t keep = 0;
        for (const auto& l : lines) keep += l.size() + 1;
        fs::resize_file(file, keep, ec);
        if (ec) throw std::runtime_error("cannot trim " + file.string() + ": " + ec.message());
    }
    file_ = std::fopen(file.string().c_str(), "ab");
    if (!file_) throw std::runtime_error("cannot open " + file.string() + ": " + std::strerror(errno));
    if (!exists || fs::file_size(file, ec) == 0) write(header);
}

PartialWriter::~PartialWriter() {
    if (file_) std::fclose(file_);
}

void PartialWriter::write(const std::string& row) {
    if (std::fputs(row.c_str(), file_) < 0 || std::fputc('\n', file_) == EOF || std::fflush(file_) != 0)
        throw std::runtime_error("cannot write " + path_.string() + ": " + std::strerror(errno));
}

void merge_partials(const fs::path& out, const std::string& header, const fs::path& target) {
    const fs::path temporary = target.parent_path() / ("." + target.filename().string() + ".tmp");
    {
        std::ofstream merged(temporary, std::ios::binary | std::ios::trunc);
        if (!merged) throw std::runtime_error("cannot write " + temporary.string());
        merged << header << '\n';
        for (const auto& file : partial_files(out)) {
            std::ifstream in(file, std::ios::binary);
            std::string line;
            bool first = true;
            while (std::getline(in, line)) {
                if (first) {
                    first = false;
                    continue;
                }
                if (!in.eof()) merged << line << '\n';  // a last line without a line break is incomplete
            }
        }
        merged.flush();
        if (!merged) throw std::runtime_error("cannot write " + temporary.string());
    }
    fs::rename(temporary, target);
    std::error_code ec;
    for (const auto& file : partial_files(out)) fs::remove(file, ec);
    fs::remove(identity_path(out), ec);
}

}  // namespace cartsim::study
