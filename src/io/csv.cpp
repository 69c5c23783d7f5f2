#include "src/io/csv.hpp"

#include <charconv>
#include <cmath>

#include "src/io/atomic_file.hpp"
#include "src/io/output_file.hpp"

namespace cartsim::io {

void append_number(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "nan";
    } else if (std::isinf(value)) {
        out += value > 0 ? "inf" : "-inf";
    } else if (value == 0.0) {
        out += '0';  // also for -0.0
    } else {
        char buffer[32];
        const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
        out.append(buffer, result.ptr);
    }
}

std::string format_number(double value) {
    std::string out;
    append_number(out, value);
    return out;
}

std::string csv_cell(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

std::vector<std::string> split_csv_line(std::string_view line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cells.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cells.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.emplace_back();
        } else {
            cells.back() += c;
        }
    }
    return cells;
}

namespace {

/// Writes `header`, then whatever `rows` appends to the line buffer it is handed, to `path` through a
/// temporary renamed into place, flushing about every megabyte so a large file is never held whole.
template <class Rows>
void write_in_pieces(const std::filesystem::path& path, const char* header, Rows&& rows) {
    constexpr std::size_t kPiece = 1 << 20;
    write_file_atomic(path, [&](OutputFile& file) {
        std::string out;
        out.reserve(kPiece + (kPiece >> 4));  // a piece and the line that fills it, without regrowing
        out = header;
        const auto flush_if_full = [&] {
            if (out.size() < kPiece) return;
            file.write(out);
            out.clear();
        };
        rows(out, flush_if_full);
        file.write(out);
    });
}

}  // namespace

void write_csv(const std::filesystem::path& path, const simulate::Table& table) {
    std::string header;
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        if (i) header += ',';
        header += table.columns[i];
    }
    header += '\n';
    write_in_pieces(path, header.c_str(), [&](std::string& out, const auto& flush_if_full) {
        for (const auto& row : table.rows) {
            for (std::size_t i = 0; i < row.size(); ++i) {
                if (i) out += ',';
                append_number(out, row[i]);
            }
            out += '\n';
            flush_if_full();
        }
    });
}

void write_long_csv(const std::filesystem::path& path, const simulate::Table& table) {
    write_in_pieces(path, "time_day,variable,value\n", [&](std::string& out, const auto& flush_if_full) {
        for (const auto& row : table.rows) {
            const std::string time = format_number(row.at(0));
            for (std::size_t i = 1; i < row.size(); ++i) {
                out += time;
                out += ',';
                out += table.columns[i];
                out += ',';
                append_number(out, row[i]);
                out += '\n';
                flush_if_full();
            }
        }
    });
}

void write_lineage_csv(const std::filesystem::path& path, const std::vector<simulate::LineageRecord>& lineages,
                       const std::vector<std::string>& clone_names) {
    const char* header =
        "lineage,clone,parent_clone,founding_day,founding_cell_id,founding_events,peak_cells,extinction_day,"
        "final_cells\n";
    write_in_pieces(path, header, [&](std::string& out, const auto& flush_if_full) {
        for (const auto& l : lineages) {
            const std::string parent = l.parent_clone < 0 ? "" : clone_names.at(static_cast<std::size_t>(l.parent_clone));
            out += std::to_string(l.id) + ',' + clone_names.at(l.clone) + ',' + parent + ',' + format_number(l.founding_day) +
                   ',' + (l.founding_cell ? std::to_string(*l.founding_cell) : "") + ',' +
                   std::to_string(l.founding_events) + ',' + format_number(l.peak_cells) + ',' +
                   (l.extinction_day ? format_number(*l.extinction_day) : "") + ',' + format_number(l.cells) + '\n';
            flush_if_full();
        }
    });
}

}  // namespace cartsim::io
