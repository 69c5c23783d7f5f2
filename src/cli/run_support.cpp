#include "src/cli/run_support.hpp"

#include <ctime>
#include <iostream>

#include <fmt/format.h>

#include "src/cli/version.hpp"
#include "src/config/emit.hpp"
#include "src/io/summary_json.hpp"
#include "src/simulate/patient_run.hpp"
#include "src/simulate/reference_runner.hpp"

namespace cartsim::cli {

scenario::LoadOptions load_options(const CommonOptions& options) {
    scenario::LoadOptions load;
    load.overrides = options.overrides;
    for (const auto& dir : options.product_dirs) load.product_dirs.emplace_back(dir);
    load.cohort_seed = options.cohort_seed;
    return load;
}

std::optional<scenario::LoadedScenario> load_or_report(const CommonOptions& options) {
    auto loaded = scenario::load_scenario(options.scenario, load_options(options));
    if (!loaded) {
        std::cerr << config::format_errors(loaded.errors());
        std::cerr << fmt::format("cartsim: {} has {} problem{}; nothing was run\n", options.scenario,
                                 loaded.errors().size(), loaded.errors().size() == 1 ? "" : "s");
        return std::nullopt;
    }
    report_warnings(loaded.value().warnings);
    return std::move(loaded.value());
}

void report_warnings(const std::vector<config::ConfigWarning>& warnings) {
    std::cerr << config::format_warnings(warnings);
}

void print_warnings_section(const std::vector<config::ConfigWarning>& warnings) {
    std::cout << fmt::format(
        "# {} plausibility warning{} (values far outside their plausible range; see cartsim params){}\n",
        warnings.size(), warnings.size() == 1 ? "" : "s", warnings.empty() ? "" : ":");
    for (const auto& w : warnings) std::cout << "#   " << w.format() << "\n";
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    return buffer;
}

nlohmann::json manifest_json(const CommonOptions& options, const scenario::LoadedScenario& loaded,
                             const std::string& started_at, double wall_time_seconds) {
    return {{"cartsim_version", version()},
            {"git_commit", git_commit()},
            {"scenario_file", options.scenario},
            {"overrides", options.overrides},
            {"seed", loaded.scenario.seed},
            {"started_at", started_at},
            {"wall_time_seconds", wall_time_seconds},
            {"scenario", config::to_json(loaded.resolved)}};
}

namespace {

nlohmann::json solver_json(const std::string& method, const ode::Stats& stats) {
    return {{"method", method},
            {"steps", stats.steps},
            {"rhs_evaluations", stats.rhs_evaluations},
            {"jacobian_evaluations", stats.jacobian_evaluations},
            {"restarts", stats.restarts}};
}

}  // namespace

SingleRun simulate_single(const simulate::Scenario& sc, double wall_seconds_limit) {
    SingleRun out;
    if (sc.model == simulate::ModelKind::Myeloma) {
        simulate::RunOptions run;
        run.wall_seconds_limit = wall_seconds_limit;
        run.lineages = sc.hybrid.enabled;
        auto result = simulate::run_patient(sc, run);
        out.table = std::move(result.timeseries);
        out.summary = io::summary_to_json(result.summary);
        out.summary["solver"] = solver_json(result.method, result.stats);
        out.patient_summary = std::move(result.summary);
        if (sc.hybrid.enabled) out.lineages = std::move(result.lineages);
        out.clone_names = std::move(result.clone_names);
    } else {
        auto result = simulate::run_reference(simulate::to_reference(sc));
        out.table = std::move(result.timeseries);
        out.summary = {{"model", std::string(enum_name(sc.model))}, {"dose_cells", sc.dose_cells}};
        out.summary["solver"] = solver_json(result.method, result.stats);
    }
    return out;
}

}  // namespace cartsim::cli
