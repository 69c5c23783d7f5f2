// `cartsim calibrate SPEC.yaml -o OUT [--threads N] [--resume] [--write-back [--in-place]] [--size N]
// [--max-evaluations N] [--uncertainty N]`: fits the spec's parameters to the targets it names (NLopt,
// common random numbers on the studies' calibration seeds; see src/study/calibration.hpp). Writes, in OUT:
//   history.csv  one line per evaluation (values, deviance, each objective target's model value),
//                appended and flushed as it goes; --resume replays it, so an interrupted calibration
//                continues where it stopped with identical results
//   fit.csv      the validation table (all targets of the studies) at the best point, on the
//                calibration patients
//   fitted.yaml  the best values, the deviance, evaluations and wall time
//   options.txt  how the run was started; --resume refuses a folder started with other options
// With --write-back the fitted presets are written under OUT/presets/ (the files under scenarios/ stay
// as they are); with --in-place as well, the values are written into the preset files themselves, each
// under a comment line naming the targets it was fitted to. --uncertainty N adds the parameters'
// uncertainty from a quadratic response surface of the deviance (src/study/uncertainty.hpp).

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "src/cli/app.hpp"
#include "src/cli/calibrate_support.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/run_support.hpp"
#include "src/cli/stop_signal.hpp"
#include "src/cli/validation_output.hpp"
#include "src/io/atomic_file.hpp"
#include "src/io/read_file.hpp"
#include "src/parallel/replicates.hpp"
#include "src/study/calibration_fit.hpp"
#include "src/study/calibration_output.hpp"
#include "src/study/checkpoint.hpp"
#include "src/study/seeds.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;
namespace {

std::string quoted(const std::string& s) {
    return s.find_first_of(" '\"$") == std::string::npos ? s : "'" + s + "'";
}

/// The command line that started this run, every option that changes its results included.
std::string command_line(const CommonOptions& common, const std::string& out, const CalibrateSettings& s) {
    std::string line = "cartsim calibrate " + quoted(common.scenario) + " -o " + quoted(out);
    if (s.size > 0) line += fmt::format(" --size {}", s.size);
    if (s.max_evaluations > 0) line += fmt::format(" --max-evaluations {}", s.max_evaluations);
    if (s.threads > 0) line += fmt::format(" --threads {}", s.threads);
    for (const auto& p : common.product_dirs) line += " --products " + quoted(p);
    if (s.write_back) line += " --write-back";
    if (s.in_place) line += " --in-place";
    if (s.uncertainty > 0) line += fmt::format(" --uncertainty {}", s.uncertainty);
    return line;
}

/// What makes two runs the same calibration: the spec, the start values and every result-changing option.
std::string identity(const study::LoadedCalibration& cal, const CommonOptions& common, const CalibrateSettings& s) {
    std::string id = "spec " + fs::absolute(cal.path).string() + " " + study::fingerprint(io::read_file(cal.path).value_or("")) +
                     "\nstart";
    for (double v : cal.start) id += fmt::format(" {:.17g}", v);
    id += fmt::format("\nsize {}\nmax-evaluations {}\nuncertainty {}\n", s.size, s.max_evaluations, s.uncertainty);
    for (const auto& p : common.product_dirs) id += "products " + p + "\n";
    return id;
}

}  // namespace

int command_calibrate(const CommonOptions& common, const std::string& output_dir, const CalibrateSettings& settings) {
    const auto started = std::chrono::steady_clock::now();
    if (settings.in_place && !settings.write_back) {
        std::cerr << "cartsim: --in-place needs --write-back\n";
        return kExitBadInput;
    }
    auto loaded = study::load_calibration(common.scenario, load_options(common));
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
        std::cerr << "cartsim: cannot create the output folder " << output_dir << ": " << ec.message() << "\n";
        return kExitBadInput;
    }

    // Resume only what was started the same way; a fresh run replaces the folder's calibration files.
    const std::string id = identity(cal, common, settings);
    const fs::path history_path = out / "history.csv", options_path = out / "options.txt";
    std::map<std::vector<double>, double> replay;
    if (settings.resume) {
        const std::string previous = io::read_file(options_path).value_or("");
        const std::string before = previous.substr(previous.find('\n') + 1);
        if (!previous.empty() && before != id) {
            std::cerr << fmt::format("cartsim: {} holds a calibration started with other options or other start values:\n  {}"
                                     "run it with those options, or without --resume to start afresh\n",
                                     output_dir, previous.substr(0, previous.find('\n') + 1));
            return kExitBadInput;
        }
        std::ifstream in(history_path);
        replay = study::read_history(in, params.size());
    }
    io::write_file_atomic(options_path, command_line(common, output_dir, settings) + "\n" + id);

    study::FitOptions fit;
    fit.evaluation.load = load_options(common);
    fit.evaluation.threads = settings.threads > 0 ? settings.threads : parallel::default_thread_count();
    fit.evaluation.cohort_size = settings.size;
    fit.evaluation.stop = &stop_requested();
    fit.max_evaluations = settings.max_evaluations;
    fit.replay = replay;
    const int budget = settings.max_evaluations > 0 ? settings.max_evaluations : cal.spec.method.max_evaluations;
    const bool talk = !common.quiet;
    if (talk)
        std::cout << fmt::format("cartsim: calibrating {} parameter{} of {} on {} stud{} against {} target{} ({}, at most {} "
                                 "evaluations, {} thread{}){}\n",
                                 params.size(), params.size() == 1 ? "" : "s", cal.spec.name, cal.studies.size(),
                                 cal.studies.size() == 1 ? "y" : "ies", cal.objective.size(), cal.objective.size() == 1 ? "" : "s",
                                 enum_name(cal.spec.method.optimiser), budget, fit.evaluation.threads,
                                 fit.evaluation.threads == 1 ? "" : "s",
                                 replay.empty() ? "" : fmt::format("; {} evaluations in the history", replay.size()));
    std::ofstream history;
    fit.on_evaluation = [&](int n, const study::Evaluation& e, double best, double seconds) {
        if (!history.is_open()) {
            const bool fresh = replay.empty();
            history.open(history_path, fresh ? std::ios::trunc : std::ios::app);
            if (fresh) history << study::history_header(cal) << "\n";
        }
        history << study::history_line(n, cal, e) << "\n" << std::flush;
        if (talk)
            std::cout << fmt::format("  evaluation {:>4}/{}: deviance {:9.4g}   best {:9.4g}   ({:.1f} s)\n", n, budget, e.deviance,
                                     best, seconds)
                      << std::flush;
    };

    study::FitResult result;
    try {
        StopSignalGuard signals;
        result = study::fit_calibration(cal, fit);
    } catch (const study::CalibrationInterrupted&) {
        std::cerr << fmt::format("cartsim: interrupted; continue with: {} --resume\n", command_line(common, output_dir, settings));
        return 128 + (stop_signal() ? stop_signal() : SIGINT);
    } catch (const std::exception& e) {
        std::cerr << "cartsim: calibration failed: " << e.what() << "\n";
        return kExitRunFailed;
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    io::write_file_atomic(out / "fit.csv", study::validation_csv(result.best.results));
    io::write_file_atomic(out / "fitted.yaml", study::fitted_yaml(cal, result, wall, utc_now()));
    if (talk) {
        std::cout << fmt::format("cartsim: best deviance {:.4g} after {} evaluations ({} simulated, {:.1f} s; {})\n",
                                 result.best.deviance, result.evaluations, result.simulated, wall, result.reason);
        for (std::size_t i = 0; i < params.size(); ++i)
            std::cout << fmt::format("  {}:{}  {:.6g} -> {:.6g}\n", fs::path(params[i].file).filename().string(), params[i].key,
                                     cal.start[i], result.values[i]);
        for (const auto& hit : study::parameters_at_bounds(cal, result.values))
            std::cout << fmt::format("  note: {}:{} ended at its {} bound {:g} ({:.6g}): the best fit may lie beyond it; widen the "
                                     "range where the biology allows, or look for what the model lacks\n",
                                     fs::path(params[hit.parameter].file).filename().string(), params[hit.parameter].key,
                                     hit.upper ? "upper" : "lower", hit.bound, result.values[hit.parameter]);
        print_validation(result.best.results);
        std::cout << fmt::format("  results: {0}/fitted.yaml, {0}/fit.csv, {0}/history.csv\n", output_dir);
    }
    std::optional<study::ParameterUncertainty> uncertainty;
    if (settings.uncertainty > 0) {
        try {
            StopSignalGuard signals;
            uncertainty = run_uncertainty(cal, result, fit, out, settings.uncertainty, talk);
        } catch (const study::CalibrationInterrupted&) {
            std::cerr << fmt::format("cartsim: interrupted; continue with: {} --resume\n", command_line(common, output_dir, settings));
            return 128 + (stop_signal() ? stop_signal() : SIGINT);
        }
        if (!uncertainty) return kExitRunFailed;
    }
    if (settings.write_back) {
        const std::string comment = fmt::format("{} ({}, deviance {:.3g})", fs::path(cal.path).filename().string(),
                                                utc_now().substr(0, 10), result.best.deviance);
        try {
            const fs::path folder = settings.in_place ? fs::path() : out / "presets";
            auto written = study::write_back_all(cal, result.values, comment, folder);
            if (uncertainty) {
                // Next to the spec (or its place under OUT/presets): uncertainty/<name>.yaml, read by validate.
                const fs::path spec = fs::absolute(cal.path);
                const fs::path dir = (settings.in_place ? spec.parent_path() : folder / spec.parent_path().filename()) / "uncertainty";
                fs::create_directories(dir);
                const fs::path file = dir / (spec.stem().string() + ".yaml");
                io::write_file_atomic(file, study::uncertainty_yaml(cal, *uncertainty, "../" + spec.filename().string()));
                written.push_back(file);
            }
            if (talk)
                for (const auto& f : written) std::cout << "  wrote the fitted values into " << f.string() << "\n";
        } catch (const std::exception& e) {
            std::cerr << "cartsim: write-back failed: " << e.what() << "\n";
            return kExitRunFailed;
        }
    }
    return kExitOk;
}

}  // namespace cartsim::cli
