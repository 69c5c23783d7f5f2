#include "src/simulate/outcome.hpp"

namespace cartsim::simulate {

std::string_view classify_outcome(const Summary& s) {
    using endpoints::RelapseType;
    using endpoints::Response;
    if (s.death_day && (!s.progression_day || *s.death_day < *s.progression_day)) return "death_without_progression";
    if (!s.best_response || !endpoints::at_least(*s.best_response, Response::Partial)) return "no_response";
    if (s.progression_day) {
        if (s.relapse_type == RelapseType::AntigenNegative) return "antigen_negative_relapse";
        if (s.relapse_type == RelapseType::AntigenLow) return "antigen_low_relapse";
        return "antigen_positive_relapse";
    }
    return s.cure ? "cure" : "ongoing_response";
}

}  // namespace cartsim::simulate
