// `cartsim validate --leave-one-out -o OUT [--calibrations SPEC ...] [--loo-evaluations N] [--loo-size N]
// [--size N]`: the leave-one-trial-out prediction. For each trial with a counted target, in turn:
//   1. the trial's targets leave (with every pooled target that includes it, or, for a pool, with its
//      member trials; src/study/folds.hpp);
//   2. every calibration spec is refitted in its `order` on the targets that stay, warm-started from the
//      full fit (the values in the preset files now) with a fixed evaluation budget, each fit seeing the
//      fold's values of the fits before it; a parameter that only the left-out targets inform goes to its
//      documented prior;
//   3. the left-out targets are predicted on the validation patients (each study's first validation seed).
// The headline is the share of counted targets inside their bands, each target counted in the fold of
// its own trial (a pool's fold predicts its members again; those rows are listed, not counted twice).
// Writes OUT/loo.csv (fold, trial, id, quantity, status, counted, clinical_value, band_low, band_high,
// predicted, ci_low, ci_high, inside, note) and OUT/loo_parameters.csv (fold, calibration, parameter,
// full_fit, fold_value, held_at_prior), and prints the share of counted left-out targets inside their bands.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "src/cli/app.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/run_support.hpp"
#include "src/cli/stop_signal.hpp"
#include "src/io/atomic_file.hpp"
#include "src/io/csv.hpp"
#include "src/io/data_dir.hpp"
#include "src/parallel/replicates.hpp"
#include "src/study/calibration_fit.hpp"
#include "src/study/folds.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;
namespace {

constexpr int kDefaultFoldEvaluations = 25;

std::string num(const std::optional<double>& v) { return v ? io::format_number(*v) : std::string(); }

std::string row(const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + io::csv_cell(cells[i]);
    return line + "\n";
}

}  // namespace

int command_leave_one_out(const std::vector<std::string>& files, const CommonOptions& common, const std::string& output_dir,
                          const ValidateSettings& settings) {
    const auto started = std::chrono::steady_clock::now();
    const bool talk = !common.quiet;
    // The calibrations, in their order.
    const std::vector<std::string> spec_files = yaml_files(
        settings.calibrations.empty() ? std::vector<std::string>{(io::data_dir() / "scenarios" / "calibration").string()}
                                      : settings.calibrations);
    std::vector<study::LoadedCalibration> specs;
    for (const auto& file : spec_files) {
        auto c = study::load_calibration(file, load_options(common));
        if (!c) {
            std::cerr << config::format_errors(c.errors());
            return kExitBadInput;
        }
        specs.push_back(std::move(c.value()));
    }
    std::stable_sort(specs.begin(), specs.end(), [](const auto& a, const auto& b) {
        return std::pair(a.spec.order, a.spec.name) < std::pair(b.spec.order, b.spec.name);
    });
    // Every target of the validation studies.
    std::vector<study::TargetInfo> targets;
    std::vector<std::pair<std::string, std::set<std::string>>> study_ids;  // file -> its target ids
    for (const auto& file : files) {
        auto st = study::load_study(file, load_options(common));
        if (!st) {
            std::cerr << config::format_errors(st.errors());
            return kExitBadInput;
        }
        study_ids.push_back({file, {}});
        for (const auto& t : st.value().spec.targets.targets) {
            targets.push_back({t.id, t.trial, t.members, t.counted()});
            study_ids.back().second.insert(t.id);
        }
    }
    const auto trials = study::fold_trials(targets);
    const int threads = settings.threads > 0 ? settings.threads : parallel::default_thread_count();
    const int budget = settings.loo_evaluations > 0 ? settings.loo_evaluations : kDefaultFoldEvaluations;
    if (talk)
        std::cout << fmt::format("cartsim: leave-one-trial-out over {} trials, {} calibration{} refitted per fold (at most {} "
                                 "evaluations each, {} thread{})\n",
                                 trials.size(), specs.size(), specs.size() == 1 ? "" : "s", budget, threads, threads == 1 ? "" : "s");

    std::string loo = row({"fold", "trial", "id", "quantity", "status", "counted", "clinical_value", "band_low", "band_high",
                           "predicted", "ci_low", "ci_high", "inside", "note"});
    std::string parameters = row({"fold", "calibration", "parameter", "full_fit", "fold_value", "held_at_prior"});
    int counted = 0, inside = 0;
    StopSignalGuard signals;
    try {
        for (std::size_t f = 0; f < trials.size(); ++f) {
            const auto fold_started = std::chrono::steady_clock::now();
            const auto left = study::left_out_ids(targets, trials[f]);
            if (talk)
                std::cout << fmt::format("cartsim: fold {}/{}: {} ({} targets leave)\n", f + 1, trials.size(), trials[f], left.size())
                          << std::flush;
            scenario::LoadOptions load = load_options(common);
            bool changed = false;  // does this fold differ from the full fit so far?
            for (const auto& spec : specs) {
                const study::LoadedCalibration fold = study::restrict_to_fold(spec, left);
                const bool touched = fold.objective != spec.objective;
                std::vector<double> values = spec.start;
                bool any_free = false;
                for (std::size_t i = 0; i < values.size(); ++i) {
                    if (fold.fixed[i]) values[i] = *fold.fixed[i];
                    else any_free = true;
                }
                if (any_free && (touched || changed)) {
                    study::FitOptions fit;
                    fit.evaluation.load = load;
                    fit.evaluation.threads = threads;
                    fit.evaluation.cohort_size = settings.loo_size;
                    fit.evaluation.stop = &stop_requested();
                    fit.evaluation.objective_only = true;
                    fit.max_evaluations = budget;
                    fit.start = spec.start;
                    const auto result = study::fit_calibration(fold, fit);
                    values = result.values;
                    if (talk)
                        std::cout << fmt::format("  refitted {} on {} targets: deviance {:.4g} ({} evaluations)\n", spec.spec.name,
                                                 fold.objective.size(), result.best.deviance, result.evaluations)
                              << std::flush;
                } else if (talk && values != spec.start) {
                    std::cout << fmt::format("  {}: every parameter at its prior\n", spec.spec.name);
                }
                if (values != spec.start) changed = true;
                for (auto& o : study::preset_overrides(spec, values)) load.preset_overrides.push_back(std::move(o));
                for (std::size_t i = 0; i < values.size(); ++i)
                    parameters += row({trials[f], spec.spec.name,
                                       fs::path(spec.spec.parameters[i].file).stem().string() + ":" + spec.spec.parameters[i].key,
                                       io::format_number(spec.start[i]), io::format_number(values[i]), fold.fixed[i] ? "true" : "false"});
            }
            // Predict the left-out targets on the validation patients.
            if (settings.size > 0) load.overrides.push_back(fmt::format("cohort.size={}", settings.size));
            int fold_counted = 0, fold_inside = 0;
            for (const auto& [file, ids] : study_ids) {
                if (std::none_of(ids.begin(), ids.end(), [&](const auto& id) { return left.count(id) > 0; })) continue;
                const auto st = study::run_study_targets(file, load, threads, &stop_requested());
                for (const auto& r : st.results) {
                    const auto& t = r.target;
                    if (!left.count(t.id) || t.status == study::TargetStatus::InputCheck) continue;
                    // Each target counts once, in its own trial's fold; a pool's members predicted again in the
                    // pool's fold are listed but not counted twice.
                    if (t.counted() && t.trial == trials[f]) ++fold_counted, fold_inside += r.inside;
                    loo += row({trials[f], t.trial, t.id, t.quantity, std::string(enum_name(t.status)), t.counted() ? "true" : "false",
                                io::format_number(t.clinical_value), io::format_number(t.band[0]), io::format_number(t.band[1]),
                                num(r.model_value), num(r.ci_low), num(r.ci_high), r.inside ? "true" : "false", r.note});
                }
            }
            counted += fold_counted;
            inside += fold_inside;
            if (talk)
                std::cout << fmt::format("  predicted: {} of {} counted targets of {} inside ({:.0f} s)\n", fold_inside, fold_counted,
                                         trials[f],
                                         std::chrono::duration<double>(std::chrono::steady_clock::now() - fold_started).count())
                          << std::flush;
        }
    } catch (const study::CalibrationInterrupted&) {
        std::cerr << "cartsim: interrupted; the leave-one-out run has no resume: start it again\n";
        return 130;
    } catch (const std::exception& e) {
        std::cerr << "cartsim: leave-one-out failed: " << e.what() << "\n";
        return kExitRunFailed;
    }
    std::error_code ec;
    fs::create_directories(output_dir, ec);
    io::write_file_atomic(fs::path(output_dir) / "loo.csv", loo);
    io::write_file_atomic(fs::path(output_dir) / "loo_parameters.csv", parameters);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string headline = fmt::format("left-out targets inside their bands: {} of {} ({:.0f}%)", inside, counted,
                                             counted ? 100.0 * inside / counted : 0.0);
    io::write_file_atomic(fs::path(output_dir) / "loo_summary.txt", headline + "\n");
    if (talk)
        std::cout << fmt::format("cartsim: {} ({} folds, {:.0f} s); {}/loo.csv, {}/loo_parameters.csv\n", headline, trials.size(), wall,
                                 output_dir, output_dir);
    return kExitOk;
}

}  // namespace cartsim::cli
