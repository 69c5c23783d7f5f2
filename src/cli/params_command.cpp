// `cartsim params`: every parameter of a model with its default, unit, range and source, generated
// from the same descriptions the YAML reader uses, so the listing cannot drift from the code.

#include <iostream>

#include <fmt/format.h>

#include "src/cli/app.hpp"
#include "src/cli/commands.hpp"
#include "src/config/params.hpp"
#include "src/io/csv.hpp"
#include "src/simulate/scenario.hpp"
#include "src/study/study_spec.hpp"

namespace cartsim::cli {
namespace {

/// Markdown table cells cannot hold a bare '|'.
std::string md_cell(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

}  // namespace

std::vector<config::ParamRow> param_rows(const std::string& model) {
    simulate::Scenario scenario;
    scenario.model = model == "singh2021"  ? simulate::ModelKind::Singh2021
                     : model == "cartmath" ? simulate::ModelKind::CartMath
                                           : simulate::ModelKind::Myeloma;
    // Regimen entries are listed through one therapy of each kind (the lister expands variants).
    auto rows = config::list_params(scenario, "");
    if (scenario.model == simulate::ModelKind::Myeloma) {
        // The study blocks (arms are regimens, documented with them in scenarios/README.md).
        study::CohortSpec cohort;
        study::SweepSpec sweep;
        for (auto& r : config::list_params(cohort, "cohort")) rows.push_back(std::move(r));
        for (auto& r : config::list_params(sweep, "sweep")) rows.push_back(std::move(r));
        study::TargetsSpec targets;
        for (auto& r : config::list_params(targets, "")) rows.push_back(std::move(r));
        config::ParamRow population;
        population.key_path = "population";
        population.default_text = "null";
        population.doc = "population preset (scenarios/populations/NAME.yaml) this file is put over";
        population.source = "scenarios/populations";
        rows.insert(rows.begin() + 4, population);
    }
    return rows;
}

int command_params(const std::string& model, const std::string& format) {
    const auto rows = param_rows(model);
    // The plausible range (a value far outside it gets a warning at load time: more than 10x beyond
    // either end, see model/common/describe.hpp) follows the hard range.
    const auto plausible = [](const config::ParamRow& r) {
        return r.plausible_text.empty() ? std::string() : r.plausible_text + " (" + r.plausible_source + ")";
    };
    if (format == "csv") {
        std::cout << "key,default,unit,range,plausible,plausible_source,applies_when,source,description\n";
        for (const auto& r : rows)
            std::cout << fmt::format("{},{},{},{},{},{},{},{},{}\n", io::csv_cell(r.key_path),
                                     io::csv_cell(r.default_text), io::csv_cell(r.unit), io::csv_cell(r.range_text),
                                     io::csv_cell(r.plausible_text), io::csv_cell(r.plausible_source),
                                     io::csv_cell(r.applies_when), io::csv_cell(r.source), io::csv_cell(r.doc));
    } else if (format == "markdown") {
        std::cout << "| key | default | unit | range | plausible (source) | applies when | source | description |\n";
        std::cout << "|---|---|---|---|---|---|---|---|\n";
        for (const auto& r : rows)
            std::cout << fmt::format("| `{}` | {} | {} | {} | {} | {} | {} | {} |\n", r.key_path,
                                     md_cell(r.default_text), md_cell(r.unit), md_cell(r.range_text),
                                     md_cell(plausible(r)), md_cell(r.applies_when), md_cell(r.source),
                                     md_cell(r.doc));
    } else {
        for (const auto& r : rows) {
            std::cout << fmt::format("{}\n    default {} {}{}{}\n", r.key_path, r.default_text, r.unit,
                                     r.range_text.empty() ? "" : "   range " + r.range_text,
                                     r.applies_when.empty() ? "" : "   when " + r.applies_when);
            if (!r.doc.empty()) std::cout << "    " << r.doc << "\n";
            if (!r.source.empty()) std::cout << "    source: " << r.source << "\n";
            if (!r.plausible_text.empty())
                std::cout << "    plausible: " << r.plausible_text << " " << r.unit << " (" << r.plausible_source
                          << ")\n";
        }
    }
    return kExitOk;
}

}  // namespace cartsim::cli
