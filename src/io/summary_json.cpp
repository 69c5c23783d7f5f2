#include "src/io/summary_json.hpp"

namespace cartsim::io {
namespace {

template <class T>
nlohmann::json optional_value(const std::optional<T>& value) {
    if (!value) return nullptr;
    if constexpr (NamedEnum<T>)
        return std::string(enum_name(*value));
    else
        return *value;
}

nlohmann::json progression_json(const std::optional<simulate::ProgressionState>& p) {
    if (!p) return nullptr;
    nlohmann::json antigens = nlohmann::json::object();
    for (const auto& a : p->antigens)
        antigens[a.antigen] = {{"median_molecules_per_cell", a.median_molecules_per_cell},
                               {"share_below_floor", a.share_below_floor},
                               {"status", std::string(enum_name(a.status))}};
    return {{"median_bcma_molecules_per_cell", p->median_bcma_molecules_per_cell},
            {"share_below_floor", p->share_below_floor},
            {"dominant_clone", p->dominant_clone},
            {"macrophages_suppressive_cells", p->macrophages_suppressive_cells},
            {"macrophages_total_cells", p->macrophages_total_cells},
            {"cart_blood_cells_per_ul", p->cart_blood_cells_per_ul},
            {"t_functional_fraction", p->t_functional_fraction},
            {"sbcma_ng_per_ml", p->sbcma_ng_per_ml},
            {"mprotein_g_per_dl", p->mprotein_g_per_dl},
            {"antigens", antigens}};
}

}  // namespace

nlohmann::json summary_to_json(const simulate::Summary& s) {
    nlohmann::json j;
    j["best_response"] = optional_value(s.best_response);
    j["mrd_negative"] = s.mrd_negative;
    j["progression_day"] = optional_value(s.progression_day);
    j["relapse_type"] = optional_value(s.relapse_type);
    j["death_day"] = optional_value(s.death_day);
    j["death_cause"] = s.death_cause.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.death_cause);
    j["cart_peak_blood_cells_per_ul"] = s.cart_peak_blood_cells_per_ul;
    j["cart_peak_day"] = optional_value(s.cart_peak_day);
    j["cart_peak_copies_per_ug_dna"] = s.cart_peak_copies_per_ug_dna;
    j["cart_detectable_until_day"] = optional_value(s.cart_detectable_until_day);
    j["peak_inflammation_index"] = s.peak_inflammation_index;
    j["crs_grade"] = s.crs_grade;
    j["crs_onset_day"] = optional_value(s.crs_onset_day);
    j["cure"] = s.cure;
    j["negative_state_points"] = s.negative_state_points;
    j["most_negative_state"] = optional_value(s.most_negative_state);
    j["most_negative_state_name"] = optional_value(s.most_negative_state_name);
    j["agent_bound_hits"] = s.agent_bound_hits;
    j["lineage_bound_hits"] = s.lineage_bound_hits;
    j["peak_agents"] = s.peak_agents;
    j["lineage_records"] = s.lineage_records;
    j["dominant_clone_at_progression"] = optional_value(s.dominant_clone_at_progression);
    j["dominant_clone_founding_day"] = optional_value(s.dominant_clone_founding_day);
    nlohmann::json representation = nlohmann::json::object();
    for (const auto& r : s.representation_at_progression) representation[r.population] = r.mode;
    j["representation_at_progression"] = representation;
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& l : s.lines) {
        lines.push_back({{"name", l.name},
                         {"therapies", l.therapies},
                         {"start_day", optional_value(l.start_day)},
                         {"stop_day", optional_value(l.stop_day)},
                         {"best_response", optional_value(l.best_response)},
                         {"mrd_negative", l.mrd_negative},
                         {"response_day", optional_value(l.response_day)},
                         {"relapse_from_cr_day", optional_value(l.relapse_from_cr_day)},
                         {"peak_inflammation_index", l.peak_inflammation_index},
                         {"crs_grade", l.crs_grade},
                         {"crs_onset_day", optional_value(l.crs_onset_day)},
                         {"progression_day", optional_value(l.progression_day)},
                         {"relapse_type", optional_value(l.relapse_type)},
                         {"at_progression", progression_json(l.at_progression)}});
    }
    j["lines"] = lines;
    nlohmann::json assessments = nlohmann::json::array();
    for (const auto& a : s.assessments) {
        assessments.push_back({{"day", a.day},
                               {"line", a.line >= 0 ? nlohmann::json(s.lines[a.line].name) : nlohmann::json(nullptr)},
                               {"response", std::string(enum_name(a.response))},
                               {"mprotein_g_per_dl", a.mprotein_g_per_dl},
                               {"marrow_plasma_cell_percent", a.marrow_plasma_cell_percent},
                               {"mrd_negative", a.mrd_negative}});
    }
    j["assessments"] = assessments;
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : s.events) events.push_back({{"day", e.day}, {"event", e.what}});
    j["events"] = events;
    return j;
}

}  // namespace cartsim::io
