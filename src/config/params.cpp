#include "src/config/params.hpp"

#include <algorithm>

namespace cartsim::config::detail {

namespace {

ParamRow* find_row(std::vector<ParamRow>& rows, const std::string& key_path) {
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const ParamRow& r) { return r.key_path == key_path; });
    return it == rows.end() ? nullptr : &*it;
}

void add_condition(ParamRow& row, const std::string& condition) {
    row.applies_when = row.applies_when.empty() ? condition : condition + "; " + row.applies_when;
}

}  // namespace

void merge_variant_rows(std::vector<ParamRow>& rows, const std::vector<std::vector<ParamRow>>& variants,
                        const EnumField& field) {
    // Every key seen in any variant, in first-seen order, with the variants that have it.
    std::vector<ParamRow> all;
    std::vector<std::vector<std::size_t>> present_in;
    for (std::size_t value = 0; value < variants.size(); ++value) {
        for (const ParamRow& row : variants[value]) {
            const auto it =
                std::find_if(all.begin(), all.end(), [&](const ParamRow& r) { return r.key_path == row.key_path; });
            if (it == all.end()) {
                all.push_back(row);
                present_in.push_back({value});
            } else {
                present_in[static_cast<std::size_t>(it - all.begin())].push_back(value);
            }
        }
    }
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (present_in[i].size() == variants.size()) continue;
        std::string condition = field.key + ": ";
        for (std::size_t k = 0; k < present_in[i].size(); ++k) {
            condition += (k == 0 ? "" : " | ") + field.names[present_in[i][k]];
        }
        ParamRow* existing = find_row(rows, all[i].key_path);
        if (!existing) {
            rows.push_back(all[i]);
            existing = &rows.back();
        }
        add_condition(*existing, condition);
    }
}

}  // namespace cartsim::config::detail
