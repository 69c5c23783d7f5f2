#include "src/study/checkpoint.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "src/io/atomic_file.hpp"
#include "src/io/csv.hpp"
#include "src/io/output_file.hpp"

namespace cartsim::study {
namespace fs = std::filesystem;

fs::path partial_path(const fs::path& out, int rank) { return out / fmt::format(".patients.rank{}.partial", rank); }

fs::path identity_path(const fs::path& out) { return out / ".study.partial"; }

std::vector<fs::path> partial_files(const fs::path& out) {
    std::vector<fs::path> files;
    std::error_code ec;
    const auto status = fs::status(out, ec);
    if (status.type() == fs::file_type::not_found) return files;
    if (ec) throw io::IoError("cannot read the folder " + out.string() + ": " + ec.message());
    if (!fs::is_directory(status)) return files;
    // A listing that fails must not look like an empty folder: --resume would redo every run.
    fs::directory_iterator entry(out, ec), end;
    for (; !ec && entry != end; entry.increment(ec)) {
        const std::string name = entry->path().filename().string();
        if (name.rfind(".patients.rank", 0) == 0 && entry->path().extension() == ".partial") files.push_back(entry->path());
    }
    if (ec) throw io::IoError("cannot list the folder " + out.string() + ": " + ec.message());
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
    if (!in) throw io::IoError("cannot read " + file.string() + ": " + std::strerror(errno));
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw io::IoError("cannot read " + file.string());
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
    file_ = std::make_unique<io::OutputFile>(file, io::OutputFile::Mode::Append);
    if (!exists || fs::file_size(file, ec) == 0) write(header);
}

PartialWriter::~PartialWriter() = default;

void PartialWriter::write(const std::string& row) {
    // One write per line: a failure (a full disk) leaves at most a cut-short last line, which the
    // next open drops.
    file_->write(row + '\n');
}

long merge_partials(const fs::path& out, const std::string& header, const fs::path& target, long expected_rows) {
    const fs::path temporary = io::temporary_name(target);
    const auto partials = partial_files(out);
    long rows = 0;
    try {
        io::OutputFile merged(temporary, io::OutputFile::Mode::Truncate, target);
        merged.write(header + '\n');
        std::string block;  // written in blocks of about 1 MB: memory stays flat for any study size
        for (const auto& file : partials) {
            std::ifstream in(file, std::ios::binary);
            if (!in) throw io::IoError("cannot read " + file.string() + ": " + std::strerror(errno));
            std::string line;
            for (bool first = true; std::getline(in, line); first = false) {
                if (first || in.eof()) continue;  // the header; a last line without a line break is incomplete
                block += line;
                block += '\n';
                ++rows;
                if (block.size() > (1u << 20)) merged.write(block), block.clear();
            }
            if (in.bad()) throw io::IoError("cannot read " + file.string());
        }
        merged.write(block);
        if (expected_rows >= 0 && rows != expected_rows)  // a lost or doubled partial file is no finished study
            throw io::IoError(fmt::format("the partial files in {} hold {} rows where the study has {} runs; they are "
                                          "kept (--resume runs what is missing)",
                                          out.string(), rows, expected_rows));
        merged.sync();
        merged.close();
    } catch (const std::exception&) {
        std::error_code ignored;
        fs::remove(temporary, ignored);  // the partial files stay: --resume merges again
        throw;
    }
    std::error_code ec;
    fs::rename(temporary, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw io::IoError("cannot rename " + temporary.string() + " to " + target.string() + ": " + ec.message());
    }
    return rows;
}

void remove_partials(const fs::path& out) {
    std::error_code ec;
    for (const auto& file : partial_files(out)) fs::remove(file, ec);
    fs::remove(identity_path(out), ec);
}

}  // namespace cartsim::study
