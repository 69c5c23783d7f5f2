#include "src/cli/replicates_output.hpp"

#include "src/io/csv.hpp"

namespace cartsim::cli {
namespace {

std::string cell(const std::string& text) { return io::csv_cell(text); }

std::string cell(bool value) { return value ? "true" : "false"; }

template <class T>
std::string cell(const std::optional<T>& value) {
    if (!value) return "";
    if constexpr (NamedEnum<T>)
        return cell(std::string(enum_name(*value)));
    else if constexpr (std::is_same_v<T, std::string>)
        return cell(*value);
    else
        return io::format_number(*value);
}

nlohmann::ordered_json optional_number(const std::optional<double>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

constexpr const char* kColumns[] = {"replicate",
                                    "seed",
                                    "outcome",
                                    "best_response",
                                    "mrd_negative",
                                    "progression_day",
                                    "relapse_type",
                                    "death_day",
                                    "cure",
                                    "cart_peak_blood_cells_per_ul",
                                    "dominant_clone_at_progression",
                                    "dominant_clone_founding_day",
                                    "error"};

}  // namespace

nlohmann::ordered_json replicates_summary_json(const simulate::Scenario& scenario,
                                               const std::vector<parallel::ReplicateRecord>& records,
                                               const parallel::ReplicateAggregate& aggregate) {
    nlohmann::ordered_json j;
    j["scenario"] = scenario.name;
    j["replicates"] = aggregate.replicates;
    j["first_seed"] = records.empty() ? scenario.seed : records.front().seed;
    j["last_seed"] = records.empty() ? scenario.seed : records.back().seed;
    j["confidence_level"] = 0.95;
    j["interval"] = "wilson";
    nlohmann::ordered_json outcomes = nlohmann::ordered_json::object();
    for (const auto& o : aggregate.outcomes)
        outcomes[o.outcome] = {{"count", o.count}, {"share", o.share}, {"ci_low", o.ci.low}, {"ci_high", o.ci.high}};
    j["outcomes"] = outcomes;
    j["progressed"] = aggregate.progressed;
    j["median_progression_day"] = optional_number(aggregate.median_progression_day);
    return j;
}

std::string replicates_csv(const std::vector<parallel::ReplicateRecord>& records) {
    std::string out;
    for (const char* column : kColumns) {
        if (column != kColumns[0]) out += ',';
        out += column;
    }
    out += '\n';
    for (const auto& r : records) {
        std::vector<std::string> cells{std::to_string(r.replicate), std::to_string(r.seed), cell(r.outcome)};
        if (r.summary) {
            const simulate::Summary& s = *r.summary;
            cells.insert(cells.end(),
                         {cell(s.best_response), cell(s.mrd_negative), cell(s.progression_day), cell(s.relapse_type),
                          cell(s.death_day), cell(s.cure), io::format_number(s.cart_peak_blood_cells_per_ul),
                          cell(s.dominant_clone_at_progression), cell(s.dominant_clone_founding_day)});
        } else {
            cells.resize(std::size(kColumns) - 1);
        }
        cells.push_back(cell(r.error));
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i) out += ',';
            out += cells[i];
        }
        out += '\n';
    }
    return out;
}

}  // namespace cartsim::cli
