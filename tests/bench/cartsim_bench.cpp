// cartsim-bench: speed figures for the README (a benchmark, not a test).
//   cartsim-bench [repetitions] [name filter]
// Prints, for the ide-cel and antigen-escape single patients in-process on one thread, milliseconds
// per simulated patient-year in ODE and hybrid mode and their ratio (with steps and right-hand-side
// evaluations), the ide-cel ODE with only the mechanisms of 2026-12-06 (the speed issue's start), the
// Singh 2021 reference model; then whole `cartsim` processes: a 1,000-patient
// cohort of the KarMMa validation study and of the sequencing study with the hybrid on and off (wall,
// patient-years per second, peak memory of the process, ratios), and the whole-process cost of a
// single run (a 10-year minus a 1-year run of the ide-cel example, CSV written, per patient-year), also with
// only the mechanisms of 2026-12-06. With 20 or more repetitions each cohort runs as 5 alternating pairs
// (which runs first flips from pair to pair).

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "src/scenario/loader.hpp"
#include "src/simulate/patient_run.hpp"
#include "src/simulate/reference_runner.hpp"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

std::string g_filter;

struct Timing {
    double mean_ms_per_year = 0.0;
    double best_ms_per_year = 0.0;
};

bool wanted(const std::string& label) { return g_filter.empty() || label.find(g_filter) != std::string::npos; }

template <class Run>
Timing measure(const std::string& label, double horizon_days, int repetitions, Run&& run) {
    if (!wanted(label)) return {};
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
    const Timing t{1e3 * total / repetitions / years, 1e3 * best / years};
    fmt::print("{:<44} {:>9.3f} ms/patient-year (mean) {:>9.3f} (best)  steps {:>6}  rhs {:>7}  jac {:>5}\n", label,
               t.mean_ms_per_year, t.best_ms_per_year, stats.steps, stats.rhs_evaluations, stats.jacobian_evaluations);
    return t;
}

void print_ratio(const std::string& label, const Timing& hybrid, const Timing& ode) {
    if (ode.best_ms_per_year <= 0.0 || hybrid.best_ms_per_year <= 0.0) return;
    fmt::print("  {}: hybrid / ODE {:.2f} (best against best), {:.2f} (mean against mean)\n", label,
               hybrid.best_ms_per_year / ode.best_ms_per_year, hybrid.mean_ms_per_year / ode.mean_ms_per_year);
}

/// One whole `cartsim` process: wall seconds and peak resident memory [MB] (exits on failure).
struct Process {
    double seconds = 0.0;
    double peak_mb = 0.0;
    double cpu_seconds = 0.0;  // user + system time of the process
};

Process run_process(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    const auto start = Clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
        std::perror(("cartsim-bench: cannot start " + args[0]).c_str());
        std::exit(1);
    }
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "cartsim-bench: %s failed (status %d)\n", args[0].c_str(), status);
        std::exit(1);
    }
    const auto to_seconds = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + 1e-6 * static_cast<double>(tv.tv_usec); };
    return {seconds, static_cast<double>(usage.ru_maxrss) / 1024.0, to_seconds(usage.ru_utime) + to_seconds(usage.ru_stime)};
}

std::size_t data_rows(const std::filesystem::path& csv) {
    std::ifstream in(csv);
    std::size_t lines = 0;
    for (std::string line; std::getline(in, line);) ++lines;
    return lines > 0 ? lines - 1 : 0;
}

/// A cohort study as a whole process with the hybrid on and off: wall, patient-years per second
/// (runs x horizon), peak memory, and the ratios. With `pairs` > 1 the two alternate, which one runs first
/// flipping from pair to pair (so a machine that speeds up or slows down favours neither), and the median
/// and range of the pairs' ratios are printed too: one pair's ratio moved from 1.37 to 1.59 between two
/// calls of a minute, and three pairs gave medians 1.58 and 1.32 on two calls (2026-12-07 and -08).
void cohort(const std::string& label, const std::string& study, int patients, double horizon_years, int pairs,
            const std::filesystem::path& tmp) {
    if (!wanted(label)) return;
    std::vector<double> wall_ratios, memory_ratios;
    for (int pair = 0; pair < pairs; ++pair) {
        Process on{}, off{};
        const bool hybrid_first = pair % 2 == 1;
        for (const bool hybrid : {hybrid_first, !hybrid_first}) {
            const auto out = tmp / (hybrid ? "on" : "off");
            const Process p = run_process({CARTSIM_BINARY, "run", study, "--set", fmt::format("cohort.size={}", patients),
                                           "--set", fmt::format("hybrid.enabled={}", hybrid), "--threads", "2", "-q",
                                           "-o", out.string()});
            const std::size_t runs = data_rows(out / "patients.csv");
            const double years = static_cast<double>(runs) * horizon_years;
            fmt::print("{:<44} hybrid {:<3}  {:>7.1f} s  {:>9.0f} patient-years/s  peak {:>6.1f} MB  ({} runs)\n", label,
                       hybrid ? "on" : "off", p.seconds, years / p.seconds, p.peak_mb, runs);
            (hybrid ? on : off) = p;
        }
        wall_ratios.push_back(on.seconds / off.seconds);
        memory_ratios.push_back(on.peak_mb / off.peak_mb);
        fmt::print("  {}: hybrid / ODE wall {:.2f}, peak memory {:.2f}\n", label, wall_ratios.back(), memory_ratios.back());
    }
    if (pairs > 1) {
        std::sort(wall_ratios.begin(), wall_ratios.end());
        std::sort(memory_ratios.begin(), memory_ratios.end());
        fmt::print("  {}: medians of {} alternating pairs: hybrid / ODE wall {:.2f} ({:.2f}-{:.2f}), peak memory {:.2f}\n",
                   label, pairs, wall_ratios[wall_ratios.size() / 2], wall_ratios.front(), wall_ratios.back(),
                   memory_ratios[memory_ratios.size() / 2]);
    }
}

/// Whole-process cost per patient-year of a single run: (10-year run - 1-year run) / 9. The two runs
/// alternate and each pair gives one difference, so a drift of the machine's speed between them does
/// not bias it; the medians of the differences are printed for CPU time (user + system) and wall time.
void whole_process(const std::string& label, const std::string& scenario, int repetitions,
                   const std::filesystem::path& tmp, const std::vector<std::string>& sets = {}) {
    if (!wanted(label)) return;
    const auto run = [&](double days) {
        std::vector<std::string> args{CARTSIM_BINARY, "run", scenario, "--set", fmt::format("horizon_days={}", days),
                                      "-q", "-o", (tmp / "single").string()};
        for (const auto& set : sets) {
            args.push_back("--set");
            args.push_back(set);
        }
        return run_process(args);
    };
    std::vector<double> cpu, wall, one_year, ten_years;
    for (int i = 0; i < std::max(3, repetitions / 5); ++i) {
        const Process one = run(365.25), ten = run(3652.5);
        cpu.push_back(ten.cpu_seconds - one.cpu_seconds);
        wall.push_back(ten.seconds - one.seconds);
        one_year.push_back(one.seconds);
        ten_years.push_back(ten.seconds);
    }
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    fmt::print("{:<44} {:>9.3f} ms/patient-year CPU, {:.3f} wall  (medians of {} paired differences; 1 year {:.1f} ms, "
               "10 years {:.1f} ms wall)\n",
               label, 1e3 * median(cpu) / 9.0, 1e3 * median(wall) / 9.0, cpu.size(), 1e3 * median(one_year),
               1e3 * median(ten_years));
}

/// The mechanisms of 2026-12-06, the day the speed issue measured the ide-cel ODE at 0.84 ms per
/// patient-year; every switch added since is off in the like-for-like lines (today's code on nearly that
/// day's equations).
void keep_mechanisms_of_2026_12_06(cartsim::patient::Mechanisms& m) {
    m = cartsim::patient::only_mechanisms({"antigen_loss", "antigen_density_selection", "phenotypic_drift",
                                           "soluble_bcma", "trogocytosis", "april_support", "macrophage_suppression",
                                           "exhaustion", "lymphodepletion_boost", "immunogenicity",
                                           "manufacturing_fitness", "background_mortality", "fcrn_saturation"});
}

/// The same as --set arguments: every switch added since 2026-12-06 set to false.
std::vector<std::string> mechanisms_of_2026_12_06_sets() {
    cartsim::patient::Mechanisms then;
    keep_mechanisms_of_2026_12_06(then);
    const auto on = cartsim::patient::mechanism_names(then, true);
    std::vector<std::string> sets;
    for (const auto& name : cartsim::patient::mechanism_names(cartsim::patient::Mechanisms{}))
        if (std::find(on.begin(), on.end(), name) == on.end()) sets.push_back("mechanisms." + name + "=false");
    return sets;
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
    const Timing idecel_ode = measure("ide-cel single patient (myeloma ODE, dopri5)", idecel.horizon_days, repetitions,
                                      [&] { return cartsim::simulate::run_patient(idecel).stats; });
    idecel.hybrid.enabled = true;
    const Timing idecel_hybrid = measure("ide-cel single patient (hybrid agents + ODE)", idecel.horizon_days,
                                         repetitions, [&] { return cartsim::simulate::run_patient(idecel).stats; });
    print_ratio("ide-cel", idecel_hybrid, idecel_ode);
    auto idecel_then = idecel;
    idecel_then.hybrid.enabled = false;
    keep_mechanisms_of_2026_12_06(idecel_then.mechanisms);
    measure("ide-cel ODE, only mechanisms of 2026-12-06", idecel_then.horizon_days, repetitions,
            [&] { return cartsim::simulate::run_patient(idecel_then).stats; });

    auto escape = load(root + "/scenarios/examples/antigen-escape.yaml");
    escape.hybrid.enabled = false;
    const Timing escape_ode = measure("antigen escape (myeloma ODE, dopri5)", escape.horizon_days, repetitions,
                                      [&] { return cartsim::simulate::run_patient(escape).stats; });
    escape.hybrid.enabled = true;
    if (wanted("antigen escape (hybrid")) {
        const auto r = cartsim::simulate::run_patient(escape);
        const auto& a = r.agent_stats;
        fmt::print("  hybrid agent events: {} leaps, {} deaths, {} moves, {} divisions, {} lineages, {} switches to "
                   "agents, {} to ODE\n",
                   a.leaps, a.deaths, a.moves, a.divisions, r.lineages.size(), a.to_agents, a.to_ode);
    }
    const Timing escape_hybrid = measure("antigen escape (hybrid agents + ODE)", escape.horizon_days, repetitions,
                                         [&] { return cartsim::simulate::run_patient(escape).stats; });
    print_ratio("antigen escape", escape_hybrid, escape_ode);

    const auto singh = cartsim::simulate::to_reference(load(root + "/scenarios/reference/singh2021.yaml"));
    measure("Singh 2021 reference (" + cartsim::ode::method_name(singh.solver.method) + ", tol " +
                fmt::format("{:g}", singh.solver.rel_tol) + ")",
            singh.horizon_days, repetitions, [&] { return cartsim::simulate::run_reference(singh).stats; });

    // Whole processes (2 threads for the cohorts).
    char pattern[] = "/tmp/cartsim-bench-XXXXXX";
    if (!mkdtemp(pattern)) {
        std::perror("cartsim-bench: mkdtemp");
        return 1;
    }
    const std::filesystem::path tmp = pattern;
    const int pairs = repetitions >= 20 ? 5 : 1;
    cohort("cohort: KarMMa validation study, 1,000 patients", root + "/scenarios/validation/karmma.yaml", 1000, 5.0,
           pairs, tmp);
    cohort("cohort: sequencing study, 3 arms x 1,000 patients", root + "/scenarios/studies/sequencing-cart-vs-bispecific.yaml",
           1000, 5.0, pairs, tmp);
    whole_process("whole process: ide-cel single run", root + "/scenarios/examples/idecel-single-patient.yaml",
                  repetitions, tmp);
    whole_process("whole process: the same, mechanisms of 2026-12-06",
                  root + "/scenarios/examples/idecel-single-patient.yaml", repetitions, tmp, mechanisms_of_2026_12_06_sets());
    std::filesystem::remove_all(tmp);
    return 0;
}
