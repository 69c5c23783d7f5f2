#include "src/cli/validation_output.hpp"

#include <iostream>

#include <fmt/format.h>

namespace cartsim::cli {
namespace {

std::string figure(double v) { return fmt::format("{:.3g}", v); }

std::string shorten(const std::string& text, std::size_t width) {
    return text.size() <= width ? text : text.substr(0, width - 3) + "...";
}

const char* status_tag(const study::TargetSpec& t) {
    switch (t.status) {
        case study::TargetStatus::Calibrated: return "cal";
        case study::TargetStatus::Independent: return "ind";
        case study::TargetStatus::InputCheck: return "input";
        case study::TargetStatus::Unset: break;
    }
    return "?";
}

void print_table(const std::vector<const study::TargetResult*>& rows) {
    std::cout << fmt::format("  {:<42} {:<5} {:<14} {:>9} {:>17} {:>25}  {}\n", "quantity", "how", "trial", "clinical", "band",
                             "model [95% CI]", "inside");
    for (const auto* r : rows) {
        const auto& t = r->target;
        std::string band = t.band.size() == 2 ? fmt::format("[{}, {}]", figure(t.band[0]), figure(t.band[1])) : "";
        if (t.assumed_band) band = "assumed " + band;
        std::string model = r->note.empty() ? "-" : r->note;
        if (r->model_value)
            model = r->ci_low && r->ci_high
                        ? fmt::format("{} [{}, {}]", figure(*r->model_value), figure(*r->ci_low), figure(*r->ci_high))
                        : figure(*r->model_value);
        const char* verdict = t.assumed_band ? "not counted" : r->inside ? "yes" : t.known_miss.empty() ? "MISS" : "MISS (known)";
        std::cout << fmt::format("  {:<42} {:<5} {:<14} {:>9} {:>17} {:>25}  {}\n", shorten(t.quantity, 42), status_tag(t),
                                 shorten(t.trial, 14), figure(t.clinical_value), shorten(band, 17), shorten(model, 25), verdict);
    }
}

}  // namespace

void print_validation(const std::vector<study::TargetResult>& results) {
    std::vector<const study::TargetResult*> validation, inputs;
    for (const auto& r : results) (r.target.status == study::TargetStatus::InputCheck ? inputs : validation).push_back(&r);
    if (!validation.empty()) print_table(validation);
    if (!inputs.empty()) {
        std::cout << "  Input checks (a drawn input against its own source; not validation):\n";
        print_table(inputs);
    }
    std::cout << "  " << study::counts_line(study::count_statuses(results)) << "\n";
}

std::vector<const study::TargetResult*> calibrated_misses(const std::vector<study::TargetResult>& results) {
    std::vector<const study::TargetResult*> out;
    for (const auto& r : results)
        if (r.target.calibrated() && r.target.counted() && !r.inside && r.target.known_miss.empty()) out.push_back(&r);
    return out;
}

}  // namespace cartsim::cli
