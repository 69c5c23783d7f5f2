#include "src/cli/validation_output.hpp"

#include <iostream>

#include <fmt/format.h>

namespace cartsim::cli {
namespace {

std::string figure(double v) { return fmt::format("{:.3g}", v); }

std::string shorten(const std::string& text, std::size_t width) {
    return text.size() <= width ? text : text.substr(0, width - 3) + "...";
}

}  // namespace

void print_validation(const std::vector<study::TargetResult>& results) {
    std::cout << fmt::format("  {:<44} {:<14} {:>9} {:>17} {:>25}  {}\n", "quantity (* calibrated)", "trial", "clinical",
                             "band", "model [95% CI]", "inside");
    int inside = 0;
    for (const auto& r : results) {
        const auto& t = r.target;
        const std::string band = t.band.size() == 2 ? fmt::format("[{}, {}]", figure(t.band[0]), figure(t.band[1])) : "";
        std::string model = r.note.empty() ? "-" : r.note;
        if (r.model_value)
            model = r.ci_low && r.ci_high
                        ? fmt::format("{} [{}, {}]", figure(*r.model_value), figure(*r.ci_low), figure(*r.ci_high))
                        : figure(*r.model_value);
        inside += r.inside;
        std::cout << fmt::format("  {:<44} {:<14} {:>9} {:>17} {:>25}  {}\n",
                                 shorten((t.calibrated ? "* " : "  ") + t.quantity, 44), shorten(t.trial, 14),
                                 figure(t.clinical_value), band, shorten(model, 25),
                                 r.inside ? "yes" : t.known_miss.empty() ? "MISS" : "MISS (known)");
    }
    std::cout << fmt::format("  {} of {} targets inside their band\n", inside, results.size());
}

std::vector<const study::TargetResult*> calibrated_misses(const std::vector<study::TargetResult>& results) {
    std::vector<const study::TargetResult*> out;
    for (const auto& r : results)
        if (r.target.calibrated && !r.inside && r.target.known_miss.empty()) out.push_back(&r);
    return out;
}

}  // namespace cartsim::cli
