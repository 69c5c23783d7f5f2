// `cartsim calibrate SPEC.yaml -o OUT [--threads N] [--resume] [--write-back] [--size N]`: fits the
// spec's parameters to the calibrated targets of its validation studies (NLopt Nelder-Mead with common
// random numbers; see src/study/calibration.hpp). Writes, in OUT:
//   history.csv  one line per evaluation (values, distance, each calibrated target's model value),
//                appended and flushed as it goes; --resume replays it, so an interrupted calibration
//                continues where it stopped with identical results
//   fit.csv      the validation table (all targets of the studies) at the best point
//   fitted.yaml  the best values, the distance, evaluations and wall time
// With --write-back the best values are written into the preset files, each under a comment line
// naming the targets it was fitted to.

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "src/cli/app.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/run_support.hpp"
#include "src/cli/stop_signal.hpp"
#include "src/cli/validation_output.hpp"
#include "src/io/atomic_file.hpp"
#include "src/parallel/replicates.hpp"
#include "src/stats/optimise.hpp"
#include "src/study/calibration.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;
namespace {

/// "KarMMa: ORR, median PFS; CARTITUDE-1: ..." for the write-back comment.
std::string fitted_to(const std::vector<study::TargetResult>& results) {
    std::vector<std::pair<std::string, std::vector<std::string>>> by_trial;
    for (const auto& r : results) {
        if (!r.target.calibrated) continue;
        auto it = std::find_if(by_trial.begin(), by_trial.end(), [&](const auto& t) { return t.first == r.target.trial; });
        if (it == by_trial.end()) it = by_trial.insert(by_trial.end(), {r.target.trial, {}});
        it->second.push_back(r.target.quantity);
    }
    std::string out;
    for (const auto& [trial, quantities] : by_trial) {
        out += (out.empty() ? "" : "; ") + trial + ": ";
        for (std::size_t i = 0; i < quantities.size(); ++i) out += (i ? ", " : "") + quantities[i];
    }
    return out;
}

}  // namespace

int command_calibrate(const CommonOptions& common, const std::string& output_dir, const CalibrateSettings& settings) {
    const auto started = std::chrono::steady_clock::now();
    auto loaded = study::load_calibration(common.scenario);
    if (!loaded) {
        std::cerr << config::format_errors(loaded.errors());
        std::cerr << fmt::format("cartsim: {} has {} problem{}; nothing was run\n", common.scenario, loaded.errors().size(),
                                 loaded.errors().size() == 1 ? "" : "s");
        return kExitBadInput;
    }
    const study::LoadedCalibration& cal = loaded.value();
    const auto& params = cal.spec.parameters;
    const fs::path out(output_dir);
    std::error_code ec;
    fs::create_directories(out, ec);
    if (!fs::is_directory(out, ec)) {
        std::cerr << "cartsim: cannot create the output folder " << output_dir << "\n";
        return kExitBadInput;
    }

    study::EvaluationOptions eval;
    eval.load = load_options(common);
    eval.threads = settings.threads > 0 ? settings.threads : parallel::default_thread_count();
    eval.cohort_size = settings.size;
    eval.stop = &stop_requested();

    // Every study must load with the start values in place before any time is spent.
    for (const auto& file : cal.studies) {
        auto options = eval.load;
        for (auto& o : study::preset_overrides(cal, cal.start)) options.preset_overrides.push_back(o);
        auto st = study::load_study(file.string(), options);
        if (!st) {
            std::cerr << config::format_errors(st.errors());
            return kExitBadInput;
        }
        const auto& targets = st.value().spec.targets.targets;
        if (std::none_of(targets.begin(), targets.end(), [](const auto& t) { return t.calibrated; })) {
            std::cerr << "cartsim: " << file.string() << " has no target marked calibrated: true\n";
            return kExitBadInput;
        }
    }

    const fs::path history_path = out / "history.csv";
    std::map<std::vector<double>, double> cache;
    if (settings.resume) {
        std::ifstream in(history_path);
        cache = study::read_history(in, params.size());
    }
    std::ofstream history;
    int evaluation = 0, simulated = 0;
    const int budget = settings.max_evaluations > 0 ? settings.max_evaluations : cal.spec.method.max_evaluations;
    std::optional<study::Evaluation> best;
    std::vector<double> best_values;
    double best_distance = INFINITY;
    const bool talk = !common.quiet;
    if (talk)
        std::cout << fmt::format("cartsim: calibrating {} parameter{} of {} on {} stud{} (NLopt Nelder-Mead, at most {} evaluations, "
                                 "{} thread{}){}\n",
                                 params.size(), params.size() == 1 ? "" : "s", cal.spec.name, cal.studies.size(),
                                 cal.studies.size() == 1 ? "y" : "ies", budget, eval.threads, eval.threads == 1 ? "" : "s",
                                 cache.empty() ? "" : fmt::format("; {} evaluations in the history", cache.size()));

    std::vector<double> x0;
    for (std::size_t i = 0; i < params.size(); ++i) x0.push_back(study::to_unit(params[i], cal.start[i]));
    const auto objective = [&](const std::vector<double>& free) {
        std::vector<double> values;
        // The start point maps back to the values written in the files, not to a rounding of them.
        for (std::size_t i = 0; i < params.size(); ++i)
            values.push_back(free[i] == x0[i] ? cal.start[i] : study::from_unit(params[i], free[i]));
        ++evaluation;
        double distance = 0.0;
        if (auto hit = cache.find(values); hit != cache.end()) {
            distance = hit->second;  // replayed from the history of an earlier run
        } else {
            const auto t0 = std::chrono::steady_clock::now();
            study::Evaluation e = study::evaluate_calibration(cal, values, eval);
            ++simulated;
            distance = e.distance;
            if (!history.is_open()) {
                const bool fresh = !settings.resume || !fs::exists(history_path) || cache.empty();
                history.open(history_path, fresh ? std::ios::trunc : std::ios::app);
                if (fresh) history << study::history_header(cal, e.results) << "\n";
            }
            history << study::history_line(evaluation, e) << "\n" << std::flush;
            if (distance < best_distance) best = e;
            if (talk)
                std::cout << fmt::format("  evaluation {:>4}/{}: distance {:9.4g}   best {:9.4g}   ({:.1f} s)\n", evaluation,
                                         budget, distance, std::min(distance, best_distance),
                                         std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count())
                          << std::flush;
        }
        if (distance < best_distance) {
            best_distance = distance;
            best_values = values;
        }
        return distance;
    };

    stats::OptimiseOptions nm;
    nm.max_evaluations = budget;
    nm.f_tolerance = 0.0;  // a simulated distance has flat steps: stop on the simplex size, not on equal values
    nm.x_tolerance = cal.spec.method.tolerance;
    nm.lower.assign(params.size(), 0.0);
    nm.upper.assign(params.size(), 1.0);
    nm.initial_step.assign(params.size(), cal.spec.method.initial_step);
    stats::OptimiseResult result;
    try {
        StopSignalGuard signals;
        result = stats::minimise(objective, x0, nm);
    } catch (const study::CalibrationInterrupted&) {
        std::cerr << fmt::format("cartsim: interrupted after {} evaluations; continue with: cartsim calibrate {} -o {} --resume\n",
                                 evaluation - 1, common.scenario, output_dir);
        return 128 + (stop_signal() ? stop_signal() : SIGINT);
    } catch (const std::exception& e) {
        std::cerr << "cartsim: calibration failed: " << e.what() << "\n";
        return kExitRunFailed;
    }
    // The best point's full table; recomputed when it came from the history of an earlier run.
    if (!best || best->values != best_values) best = study::evaluate_calibration(cal, best_values, eval);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    io::write_file_atomic(out / "fit.csv", study::validation_csv(best->results));
    std::string fitted = fmt::format("# cartsim calibrate {} ({}): NLopt Nelder-Mead, {} evaluations ({} simulated now), {}\n",
                                     cal.path, utc_now(), result.evaluations, simulated,
                                     result.converged ? "converged" : "evaluation budget used up");
    fitted += fmt::format("calibration: {}\ndistance: {:.10g}\nevaluations: {}\nwall_time_seconds: {:.1f}\nparameters:\n",
                          cal.spec.name, best->distance, result.evaluations, wall);
    for (std::size_t i = 0; i < params.size(); ++i)
        fitted += fmt::format("  - {{file: {}, key: {}, start: {:.6g}, fitted: {:.6g}}}\n", params[i].file, params[i].key,
                              cal.start[i], best->values[i]);
    io::write_file_atomic(out / "fitted.yaml", fitted);
    if (talk) {
        std::cout << fmt::format("cartsim: best distance {:.4g} after {} evaluations ({} simulated, {:.1f} s){}\n", best->distance,
                                 result.evaluations, simulated, wall, result.converged ? "" : "; budget used up");
        for (std::size_t i = 0; i < params.size(); ++i)
            std::cout << fmt::format("  {}:{}  {:.6g} -> {:.6g}\n", fs::path(params[i].file).filename().string(), params[i].key,
                                     cal.start[i], best->values[i]);
        print_validation(best->results);
        std::cout << fmt::format("  results: {0}/fitted.yaml, {0}/fit.csv, {0}/history.csv\n", output_dir);
    }
    if (settings.write_back) {
        const std::string comment = fmt::format("{} ({}, distance {:.3g}) to {}", fs::path(cal.path).filename().string(),
                                                utc_now().substr(0, 10), best->distance, fitted_to(best->results));
        try {
            for (std::size_t i = 0; i < params.size(); ++i) study::write_back(cal.files[i], params[i].key, best->values[i], comment);
        } catch (const std::exception& e) {
            std::cerr << "cartsim: write-back failed: " << e.what() << "\n";
            return kExitRunFailed;
        }
        if (talk) std::cout << fmt::format("  wrote the fitted values into {} preset file{}\n", params.size(), params.size() == 1 ? "" : "s");
    }
    return kExitOk;
}

}  // namespace cartsim::cli
