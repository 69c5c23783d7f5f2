#pragma once
// Names the user gives (clones, products, therapies, arms, antigens) as parts of output column
// names: lowercase letters and digits, every other character an underscore. One definition for the
// time series (model/patient/readouts) and the study tables (src/io/column_names).

#include <cctype>
#include <string>
#include <string_view>

namespace cartsim {

inline std::string column_safe(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (char ch : name) {
        const auto u = static_cast<unsigned char>(ch);
        out += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';
    }
    return out;
}

}  // namespace cartsim
