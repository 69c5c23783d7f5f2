#pragma once
// One function per subcommand; each returns the process exit code.

#include <string>
#include <vector>

namespace cartsim::config {
struct ParamRow;
}

namespace cartsim::cli {

struct CommonOptions {
    std::string scenario;
    std::vector<std::string> overrides;
    std::vector<std::string> product_dirs;
    bool quiet = false;
    int cohort_seed = -1;  // a study with seeds: draws these patients (-1: its first validation seed)
    double run_time_limit_seconds = 0.0;  // --run-time-limit: wall-clock seconds per run (0: none)
};

/// `cartsim run --replicates N`: 0 replicates means a single run; 0 threads means every core.
struct ReplicateSettings {
    int replicates = 0;
    int threads = 0;
};

/// `cartsim run STUDY`: threads 0 means every core.
struct StudySettings {
    int threads = 0;
    bool resume = false;
    bool attribute = false;
    bool keep_finished = false;  // with resume: a folder holding this study, finished, is kept (validate --resume)
};

/// `cartsim validate`: cohort size 0 keeps each file's own; threads 0 means every core.
struct ValidateSettings {
    int size = 0;
    int threads = 0;
    bool resume = false;
    int seeds = 1;                          // validation seeds per study (verdicts that flip are reported)
    int parameter_draws = 0;                // > 0: re-run with parameters drawn from the calibrations' uncertainty
    std::vector<std::string> uncertainty;   // uncertainty files (default: scenarios/calibration/uncertainty/*.yaml)
    bool leave_one_out = false;             // leave-one-trial-out prediction (loo.csv)
    std::vector<std::string> calibrations;  // calibration specs for --leave-one-out (default: scenarios/calibration)
    int loo_evaluations = 0;                // evaluation budget per fit and fold (0: 25)
    int loo_size = 0;                       // patients per study in each fold's fits (0: each spec's cohort_size)
};

/// `cartsim calibrate`: 0 keeps the spec's cohort size and evaluation budget; threads 0: every core.
struct CalibrateSettings {
    int size = 0;
    int threads = 0;
    int max_evaluations = 0;
    bool resume = false;
    bool write_back = false;
    bool in_place = false;  // with write_back: change the preset files themselves (else copies under OUT/presets)
    int uncertainty = 0;    // > 0: evaluate this many design points around the fit for the parameters' uncertainty
};

/// True when the scenario file (after overrides) has cohort, sweep or arms blocks.
bool study_requested(const CommonOptions& options);
/// False when the scenario (with its --set overrides) does not load: its own errors then say why.
bool scenario_loads(const CommonOptions& options);
int command_study(const CommonOptions& options, const std::string& output_dir, const StudySettings& settings);
/// `cartsim check STUDY`: validates every arm or point (with the cohort's median draws in place).
int command_check_study(const CommonOptions& options);
int command_run(const CommonOptions& options, const std::string& output_dir);
int command_replicates(const CommonOptions& options, const std::string& output_dir, const ReplicateSettings& settings);
int command_check(const CommonOptions& options);
int command_params(const std::string& model, const std::string& format);
/// The rows `cartsim params --model MODEL` lists (myeloma: with the study blocks and `population`).
std::vector<config::ParamRow> param_rows(const std::string& model);
/// `cartsim schema [KIND] [-o FILE]`: the JSON Schema of one kind of YAML file (scenario, product,
/// calibration, uncertainty), printed or written atomically to FILE.
int command_schema(const std::string& kind, const std::string& output_file);
/// `cartsim serve`: where it listens (port 0: any free port, printed) and which lessons it offers
/// (empty: the data folder's scenarios/lessons).
struct ServeSettings {
    std::string host = "127.0.0.1";
    int port = 8765;
    std::string lessons;
};
int command_serve(const ServeSettings& settings);
/// `cartsim report FOLDER [-o FILE]`: a self-contained HTML page of a run, replicate, study or validation
/// folder (default FILE: FOLDER/report.html).
int command_report(const std::string& folder, const std::string& output_file);
int command_plot(const std::string& run_dir, const std::string& output_png);
/// The *.yaml files named, folders expanded (sorted within each folder).
std::vector<std::string> yaml_files(const std::vector<std::string>& files_or_folders);
/// The validation studies named by files and folders (default: the source tree's scenarios/validation).
std::vector<std::string> validation_files(const std::vector<std::string>& inputs);
int command_calibrate(const CommonOptions& common, const std::string& output_dir, const CalibrateSettings& settings);
int command_validate(const std::vector<std::string>& inputs, const CommonOptions& common, const std::string& output_dir,
                     const ValidateSettings& settings);
/// `cartsim validate --leave-one-out`: the leave-one-trial-out prediction over the validation studies `files`.
int command_leave_one_out(const std::vector<std::string>& files, const CommonOptions& common, const std::string& output_dir,
                          const ValidateSettings& settings);

}  // namespace cartsim::cli
