// cartsim-bench: speed figures for the README (a benchmark, not a test).
//   cartsim-bench [repetitions] [name filter]
// Prints milliseconds per simulated patient-year, steps and right-hand-side evaluations for the
// ide-cel single-patient scenario (ODE mode, one thread) and the Singh 2021 reference model.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "src/scenario/loader.hpp"
#include "src/simulate/patient_run.hpp"
#include "src/simulate/reference_runner.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::string g_filter;

template <class Run>
void measure(const std::string& label, double horizon_days, int repetitions, Run&& run) {
    if (!g_filter.empty() && label.find(g_filter) == std::string::npos) return;
    auto stats = run();  // warm-up, and the solver statistics (identical every repetition)
    double best = 1e300, total = 0.0;
    for (int i = 0; i < repetitions; ++i) {
        const auto start = Clock::now();
        stats = run();
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        best = std::min(best, seconds);
        total += seconds;
    }
    const double years = horizon_days / 365.25;
    fmt::print("{:<44} {:>9.3f} ms/patient-year (mean) {:>9.3f} (best)  steps {:>6}  rhs {:>7}  jac {:>5}\n", label,
               1e3 * total / repetitions / years, 1e3 * best / years, stats.steps, stats.rhs_evaluations,
               stats.jacobian_evaluations);
}

cartsim::simulate::Scenario load(const std::string& path) {
    auto loaded = cartsim::scenario::load_scenario(path, {});
    if (!loaded) {
        std::cerr << cartsim::config::format_errors(loaded.errors());
        std::exit(2);
    }
    return loaded.value().scenario;
}

}  // namespace

int main(int argc, char** argv) {
    int repetitions = 50;
    if (argc > 1) {
        char* end = nullptr;
        const long n = std::strtol(argv[1], &end, 10);
        if (end == argv[1] || *end != '\0' || n < 1 || n > 100000) {
            std::fprintf(stderr, "usage: cartsim-bench [REPETITIONS (1-100000, default 50)] [FILTER]\n");
            return 2;
        }
        repetitions = static_cast<int>(n);
    }
    if (argc > 2) g_filter = argv[2];
    const std::string root = CARTSIM_SOURCE_DIR;
    fmt::print("cartsim-bench: {} repetitions, one thread\n", repetitions);

    auto idecel = load(root + "/scenarios/examples/idecel-single-patient.yaml");
    idecel.hybrid.enabled = false;
    measure("ide-cel single patient (myeloma ODE, dopri5)", idecel.horizon_days, repetitions,
            [&] { return cartsim::simulate::run_patient(idecel).stats; });

    auto escape = load(root + "/scenarios/examples/antigen-escape.yaml");
    escape.hybrid.enabled = false;
    measure("antigen escape (myeloma ODE, dopri5)", escape.horizon_days, repetitions,
            [&] { return cartsim::simulate::run_patient(escape).stats; });
    escape.hybrid.enabled = true;
    {
        const auto r = cartsim::simulate::run_patient(escape);
        const auto& a = r.agent_stats;
        fmt::print("  hybrid agent events: {} leaps, {} deaths, {} moves, {} divisions, {} lineages, {} switches to "
                   "agents, {} to ODE\n",
                   a.leaps, a.deaths, a.moves, a.divisions, r.lineages.size(), a.to_agents, a.to_ode);
    }
    measure("antigen escape (hybrid agents + ODE)", escape.horizon_days, repetitions,
            [&] { return cartsim::simulate::run_patient(escape).stats; });

    const auto singh = cartsim::simulate::to_reference(load(root + "/scenarios/reference/singh2021.yaml"));
    measure("Singh 2021 reference (" + cartsim::ode::method_name(singh.solver.method) + ", tol " +
                fmt::format("{:g}", singh.solver.rel_tol) + ")",
            singh.horizon_days, repetitions, [&] { return cartsim::simulate::run_reference(singh).stats; });
    return 0;
}
