#include "src/io/column_names.hpp"

#include <cctype>
#include <stdexcept>
#include <unordered_map>

#include "model/common/names.hpp"

namespace cartsim::io {

std::string parameter_column(std::string_view path) {
    std::string out;
    std::size_t i = 0;
    while (i < path.size()) {
        const char ch = path[i];
        if (ch == '[') {
            const std::size_t close = path.find(']', i);
            const std::size_t end = close == std::string_view::npos ? path.size() : close;
            out += '.' + column_safe(path.substr(i + 1, end - i - 1));
            i = end + 1;
        } else if (ch == '.') {
            out += '.';
            ++i;
        } else {
            const std::size_t end = std::min(path.find_first_of(".[", i), path.size());
            out += column_safe(path.substr(i, end - i));
            i = end;
        }
    }
    if (!out.empty() && !std::isalpha(static_cast<unsigned char>(out.front()))) out = "x" + out;
    return out;
}

bool valid_column(std::string_view name) {
    if (name.empty() || !std::islower(static_cast<unsigned char>(name.front()))) return false;
    char previous = 'a';
    for (char ch : name) {
        const auto u = static_cast<unsigned char>(ch);
        const bool ok = std::islower(u) || std::isdigit(u) || ch == '_' || (ch == '.' && previous != '.');
        if (!ok) return false;
        previous = ch;
    }
    return name.back() != '.';
}

void require_distinct_columns(const std::vector<std::string>& columns, const std::vector<std::string>& sources,
                              std::string_view file) {
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const auto [it, fresh] = seen.emplace(columns[i], i);
        if (fresh) continue;
        const auto source = [&](std::size_t k) { return k < sources.size() ? sources[k] : columns[k]; };
        throw std::invalid_argument(std::string(file) + ": " + source(it->second) + " and " + source(i) +
                                    " would both be written as the column " + columns[i] +
                                    "; rename one (column names are lowercase, other characters become _)");
    }
}

}  // namespace cartsim::io
