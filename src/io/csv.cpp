#include "src/io/csv.hpp"

#include <charconv>
#include <cmath>

namespace cartsim::io {

std::string format_number(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    if (value == 0.0) return "0";  // also for -0.0
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::string to_csv(const simulate::Table& table) {
    std::string out;
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        if (i) out += ',';
        out += table.columns[i];
    }
    out += '\n';
    for (const auto& row : table.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i) out += ',';
            out += format_number(row[i]);
        }
        out += '\n';
    }
    return out;
}

}  // namespace cartsim::io
