// `cartsim validate [FILE|FOLDER ...] -o OUT [--size N] [--seeds N] [--parameter-draws K]
// [--leave-one-out]`: runs every validation study (by default scenarios/validation/*.yaml) on its first
// validation seed as a study into OUT/<file name>, then gathers the targets into OUT/validation.csv and
// the input checks into OUT/input_checks.csv, printed with the counts per status (OUT/counts.txt).
// --seeds N runs the next validation seeds too (OUT/<file name>.seed<S>) and reports in OUT/verdicts.csv
// every target whose inside/outside verdict flips between seeds. --parameter-draws K re-runs the studies
// with K parameter sets drawn from the calibrations' uncertainty and widens the model's intervals by it.
// The exit code is 1 when a calibrated target with a source-backed band lands outside it (CI fails when
// calibration drifts). --leave-one-out: see loo_command.cpp.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "src/cli/app.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/run_support.hpp"
#include "src/cli/stop_signal.hpp"
#include "src/cli/validation_output.hpp"
#include "src/io/atomic_file.hpp"
#include "src/io/csv.hpp"
#include "src/io/data_dir.hpp"
#include "src/io/folder_lock.hpp"
#include "src/parallel/distributed.hpp"
#include "src/parallel/replicates.hpp"
#include "src/study/seeds.hpp"
#include "src/study/study_loader.hpp"
#include "src/study/uncertainty.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;

std::vector<std::string> yaml_files(const std::vector<std::string>& given) {
    std::vector<std::string> files;
    for (const auto& input : given) {
        std::error_code ec;
        if (fs::is_directory(input, ec)) {
            std::vector<std::string> found;
            for (const auto& e : fs::directory_iterator(input, ec))
                if (e.path().extension() == ".yaml") found.push_back(e.path().string());
            std::sort(found.begin(), found.end());
            files.insert(files.end(), found.begin(), found.end());
        } else {
            files.push_back(input);
        }
    }
    return files;
}

namespace {

/// verdicts.csv: one row per target, its value and verdict at each validation seed, and whether it flips.
std::string verdicts_csv(const std::vector<std::vector<study::TargetResult>>& per_seed,
                         std::vector<const study::TargetResult*>& flips) {
    std::string out = "id,quantity,trial,status,counted";
    for (std::size_t j = 0; j < per_seed.size(); ++j) out += fmt::format(",value_seed{0},inside_seed{0}", j + 1);
    out += ",flips\n";
    for (std::size_t i = 0; i < per_seed.front().size(); ++i) {
        const auto& t = per_seed.front()[i].target;
        bool any_in = false, any_out = false;
        std::string cells;
        for (const auto& results : per_seed) {
            const auto& r = results[i];
            cells += "," + (r.model_value ? io::format_number(*r.model_value) : std::string()) + "," + (r.inside ? "true" : "false");
            (r.inside ? any_in : any_out) = true;
        }
        const bool flip = t.counted() && any_in && any_out;
        if (flip) flips.push_back(&per_seed.front()[i]);
        out += io::csv_cell(t.id) + "," + io::csv_cell(t.quantity) + "," + io::csv_cell(t.trial) + "," +
               std::string(enum_name(t.status)) + "," + (t.counted() ? "true" : "false") + cells + "," + (flip ? "true" : "false") + "\n";
    }
    return out;
}

}  // namespace

int include_draws(const std::vector<std::string>& files, const CommonOptions& common, const ValidateSettings& settings,
                  std::vector<study::TargetResult>& all, bool talk);

std::vector<std::string> validation_files(const std::vector<std::string>& inputs) {
    if (inputs.empty()) return yaml_files({(io::data_dir() / "scenarios" / "validation").string()});
    return yaml_files(inputs);
}

int command_validate(const std::vector<std::string>& inputs, const CommonOptions& common, const std::string& output_dir,
                     const ValidateSettings& settings) {
    const auto started = std::chrono::steady_clock::now();
    parallel::Distributed world;
    const bool talk = world.root() && !common.quiet;
    if (study::overrides_seed(common.overrides)) {
        if (world.root())
            std::cerr << "cartsim: validate scores each study's validation seeds (seeds.validation); it does not take "
                         "--set seed or --set cohort.seed (use --seeds N for more of them)\n";
        return kExitBadInput;
    }
    const auto files = validation_files(inputs);
    if (files.empty()) {
        std::cerr << "cartsim: no validation studies (*.yaml) found\n";
        return kExitBadInput;
    }
    // Check every file first: a typo in the last study should not wait for the first to run.
    std::vector<std::string> names;
    std::vector<study::LoadedStudy> studies;
    std::map<std::string, std::string> id_file;
    for (const auto& file : files) {
        CommonOptions options = common;
        options.scenario = file;
        if (settings.size > 0) options.overrides.push_back(fmt::format("cohort.size={}", settings.size));
        auto loaded = study::load_study(file, load_options(options));
        if (!loaded) {
            if (world.root()) std::cerr << config::format_errors(loaded.errors());
            return kExitBadInput;
        }
        const auto& st = loaded.value();
        std::string problem;
        if (!st.spec.has_targets) problem = "has no targets: block; it is not a validation study";
        else if (static_cast<int>(study::validation_seeds(st).size()) < settings.seeds)
            problem = fmt::format("lists {} validation seed(s); --seeds {} needs more (seeds.validation)",
                                  study::validation_seeds(st).size(), settings.seeds);
        for (const auto& t : st.spec.targets.targets)
            if (auto [it, fresh] = id_file.insert({t.id, file}); !fresh && problem.empty())
                problem = fmt::format("uses the target id '{}' that {} uses too", t.id, it->second);
        if (!problem.empty()) {
            if (world.root()) std::cerr << "cartsim: " << file << " " << problem << "\n";
            return kExitBadInput;
        }
        names.push_back(fs::path(file).stem().string());
        studies.push_back(std::move(loaded.value()));
    }
    if (settings.leave_one_out) {
        if (!world.root()) return kExitOk;
        return command_leave_one_out(files, common, output_dir, settings);
    }

    std::optional<io::FolderLock> lock;  // the whole validation: one writer per folder (each study locks its own)
    std::string lock_problem;
    if (world.root()) lock = io::FolderLock::acquire(output_dir, lock_problem);
    if (world.any(world.root() && !lock)) {
        if (world.root()) std::cerr << "cartsim: " << lock_problem << "\n";
        return kExitBadInput;
    }
    std::vector<std::vector<study::TargetResult>> per_seed(static_cast<std::size_t>(settings.seeds));
    for (int j = 0; j < settings.seeds; ++j) {
        for (std::size_t i = 0; i < files.size(); ++i) {
            CommonOptions options = common;
            options.scenario = files[i];
            options.quiet = true;
            options.cohort_seed = study::validation_seeds(studies[i])[static_cast<std::size_t>(j)];
            if (settings.size > 0) options.overrides.push_back(fmt::format("cohort.size={}", settings.size));
            const fs::path folder =
                fs::path(output_dir) / (j == 0 ? names[i] : fmt::format("{}.seed{}", names[i], options.cohort_seed));
            if (talk)
                std::cout << fmt::format("cartsim: [{}/{}] {} (seed {}) -> {}\n", j * files.size() + i + 1, files.size() * settings.seeds,
                                         files[i], options.cohort_seed, folder.string())
                          << std::flush;
            StudySettings study_settings;
            study_settings.threads = settings.threads;
            study_settings.resume = settings.resume;
            study_settings.keep_finished = settings.resume;  // a study that finished before is not run again
            const int code = command_study(options, folder.string(), study_settings);
            if (code != kExitOk) return code;
            if (!world.root()) continue;
            std::ifstream patients(folder / "patients.csv");
            auto results = study::evaluate_targets(studies[i].spec.targets.targets, study::read_patient_table(patients),
                                                   studies[i].name);
            auto& all = per_seed[static_cast<std::size_t>(j)];
            all.insert(all.end(), results.begin(), results.end());
        }
    }
    if (!world.root()) return kExitOk;
    std::vector<study::TargetResult> all = per_seed.front();

    if (settings.parameter_draws > 0) {
        const int code = include_draws(files, common, settings, all, talk);
        if (code != kExitOk) return code;
    }
    study::write_validation_tables(output_dir, all);
    const std::string counts = study::counts_line(study::count_statuses(all));
    io::write_file_atomic(fs::path(output_dir) / "counts.txt", counts + "\n");
    std::vector<const study::TargetResult*> flips;
    if (settings.seeds > 1) io::write_file_atomic(fs::path(output_dir) / "verdicts.csv", verdicts_csv(per_seed, flips));
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (talk) {
        print_validation(all);
        if (settings.seeds > 1) {
            std::cout << fmt::format("  verdicts across {} validation seeds: {} counted target{} flip{}\n", settings.seeds, flips.size(),
                                     flips.size() == 1 ? "" : "s", flips.size() == 1 ? "s" : "");
            for (const auto* f : flips) std::cout << fmt::format("    {} ({}): {}\n", f->target.quantity, f->target.trial, f->target.id);
        }
        std::cout << fmt::format("  {} validation studies in {:.1f} s; tables: {}/validation.csv, {}/input_checks.csv{}\n", files.size(),
                                 wall, output_dir, output_dir, settings.seeds > 1 ? ", verdicts.csv" : "");
    }
    const auto misses = calibrated_misses(all);
    if (!misses.empty()) {
        std::cerr << fmt::format("cartsim: {} calibrated target{} outside the band:\n", misses.size(),
                                 misses.size() == 1 ? " is" : "s are");
        for (const auto* m : misses)
            std::cerr << fmt::format("  {} ({}, {}): model {} , band [{}, {}]\n", m->target.quantity, m->target.trial,
                                     m->study, m->model_value ? fmt::format("{:.3g}", *m->model_value) : m->note,
                                     m->target.band[0], m->target.band[1]);
        return kExitRunFailed;
    }
    return kExitOk;
}

int include_draws(const std::vector<std::string>& files, const CommonOptions& common, const ValidateSettings& settings,
                  std::vector<study::TargetResult>& all, bool talk) {
    std::vector<std::string> given = settings.uncertainty;
    if (given.empty()) given.push_back((io::data_dir() / "scenarios" / "calibration" / "uncertainty").string());
    std::vector<study::ParameterDistributionSet> sets;
    for (const auto& file : yaml_files(given)) {
        auto set = study::load_uncertainty(file);
        if (!set) {
            std::cerr << config::format_errors(set.errors());
            return kExitBadInput;
        }
        sets.push_back(std::move(set.value()));
    }
    if (sets.empty()) {
        std::cerr << "cartsim: --parameter-draws needs the calibrations' uncertainty (cartsim calibrate --uncertainty N); none found\n";
        return kExitBadInput;
    }
    const int threads = settings.threads > 0 ? settings.threads : parallel::default_thread_count();
    std::vector<std::vector<study::TargetResult>> draws;
    StopSignalGuard signals;
    for (int d = 1; d <= settings.parameter_draws; ++d) {
        scenario::LoadOptions load = load_options(common);
        // Each calibration's draws come from a stream of its own (seed = its place in the list + 1), so the
        // draws of different calibrations are independent.
        for (std::size_t k = 0; k < sets.size(); ++k)
            for (auto& o : study::preset_overrides(sets[k].calibration, study::draw_parameters(sets[k], d, k + 1)))
                load.preset_overrides.push_back(std::move(o));
        if (settings.size > 0) load.overrides.push_back(fmt::format("cohort.size={}", settings.size));
        std::vector<study::TargetResult> results;
        try {
            for (const auto& file : files) {
                const auto st = study::run_study_targets(file, load, threads, &stop_requested());
                results.insert(results.end(), st.results.begin(), st.results.end());
            }
        } catch (const study::CalibrationInterrupted&) {
            std::cerr << "cartsim: interrupted during the parameter draws\n";
            return 130;
        }
        if (talk) std::cout << fmt::format("cartsim: parameter draw {}/{} done\n", d, settings.parameter_draws) << std::flush;
        draws.push_back(std::move(results));
    }
    study::include_parameter_draws(all, draws);
    return kExitOk;
}

}  // namespace cartsim::cli
