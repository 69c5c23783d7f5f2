// `cartsim validate [FILE|FOLDER ...] -o OUT [--size N]`: runs every validation study (by default
// scenarios/validation/*.yaml) as a study into OUT/<file name>, then gathers their targets into one
// table, OUT/validation.csv, printed at the end. The exit code is 1 when a target marked
// `calibrated: true` lands outside its band, so CI fails when calibration drifts.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "src/cli/app.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/run_support.hpp"
#include "src/cli/validation_output.hpp"
#include "src/io/atomic_file.hpp"
#include "src/parallel/distributed.hpp"
#include "src/study/study_loader.hpp"

#ifndef CARTSIM_SOURCE_DIR
#define CARTSIM_SOURCE_DIR "."
#endif

namespace cartsim::cli {
namespace fs = std::filesystem;

std::vector<std::string> validation_files(const std::vector<std::string>& inputs) {
    std::vector<std::string> given = inputs;
    if (given.empty()) given.push_back((fs::path(CARTSIM_SOURCE_DIR) / "scenarios" / "validation").string());
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

int command_validate(const std::vector<std::string>& inputs, const CommonOptions& common, const std::string& output_dir,
                     const ValidateSettings& settings) {
    const auto started = std::chrono::steady_clock::now();
    parallel::Distributed world;
    const bool talk = world.root() && !common.quiet;
    const auto files = validation_files(inputs);
    if (files.empty()) {
        std::cerr << "cartsim: no validation studies (*.yaml) found\n";
        return kExitBadInput;
    }
    // Check every file first: a typo in the last study should not wait for the first to run.
    std::vector<std::string> names;
    std::vector<study::LoadedStudy> studies;
    for (const auto& file : files) {
        CommonOptions options = common;
        options.scenario = file;
        if (settings.size > 0) options.overrides.push_back(fmt::format("cohort.size={}", settings.size));
        auto loaded = study::load_study(file, load_options(options));
        if (!loaded) {
            if (world.root()) std::cerr << config::format_errors(loaded.errors());
            return kExitBadInput;
        }
        if (!loaded.value().spec.has_targets) {
            if (world.root()) std::cerr << "cartsim: " << file << " has no targets: block; it is not a validation study\n";
            return kExitBadInput;
        }
        names.push_back(fs::path(file).stem().string());
        studies.push_back(std::move(loaded.value()));
    }
    std::vector<study::TargetResult> all;
    for (std::size_t i = 0; i < files.size(); ++i) {
        CommonOptions options = common;
        options.scenario = files[i];
        options.quiet = true;
        if (settings.size > 0) options.overrides.push_back(fmt::format("cohort.size={}", settings.size));
        const fs::path folder = fs::path(output_dir) / names[i];
        if (talk) std::cout << fmt::format("cartsim: [{}/{}] {} -> {}\n", i + 1, files.size(), files[i], folder.string()) << std::flush;
        StudySettings study_settings;
        study_settings.threads = settings.threads;
        study_settings.resume = settings.resume;
        const int code = command_study(options, folder.string(), study_settings);
        if (code != kExitOk) return code;
        if (!world.root()) continue;
        std::ifstream patients(folder / "patients.csv");
        auto results = study::evaluate_targets(studies[i].spec.targets.targets, study::read_patient_table(patients),
                                               studies[i].name);
        all.insert(all.end(), results.begin(), results.end());
    }
    if (!world.root()) return kExitOk;
    io::write_file_atomic(fs::path(output_dir) / "validation.csv", study::validation_csv(all));
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (talk) {
        print_validation(all);
        std::cout << fmt::format("  {} validation studies in {:.1f} s; table: {}/validation.csv\n", files.size(), wall,
                                 output_dir);
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

}  // namespace cartsim::cli
