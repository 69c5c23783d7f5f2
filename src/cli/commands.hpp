#pragma once
// One function per subcommand; each returns the process exit code.

#include <string>
#include <vector>

namespace cartsim::cli {

struct CommonOptions {
    std::string scenario;
    std::vector<std::string> overrides;
    std::vector<std::string> product_dirs;
    bool quiet = false;
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
};

/// `cartsim validate`: cohort size 0 keeps each file's own; threads 0 means every core.
struct ValidateSettings {
    int size = 0;
    int threads = 0;
    bool resume = false;
};

/// `cartsim calibrate`: 0 keeps the spec's cohort size and evaluation budget; threads 0: every core.
struct CalibrateSettings {
    int size = 0;
    int threads = 0;
    int max_evaluations = 0;
    bool resume = false;
    bool write_back = false;
};

/// True when the scenario file (after overrides) has cohort, sweep or arms blocks.
bool study_requested(const CommonOptions& options);
int command_study(const CommonOptions& options, const std::string& output_dir, const StudySettings& settings);
/// `cartsim check STUDY`: validates every arm or point (with the cohort's median draws in place).
int command_check_study(const CommonOptions& options);
int command_run(const CommonOptions& options, const std::string& output_dir);
int command_replicates(const CommonOptions& options, const std::string& output_dir, const ReplicateSettings& settings);
int command_check(const CommonOptions& options);
int command_params(const std::string& model, const std::string& format);
int command_plot(const std::string& run_dir, const std::string& output_png);
/// The validation studies named by files and folders (default: the source tree's scenarios/validation).
std::vector<std::string> validation_files(const std::vector<std::string>& inputs);
int command_calibrate(const CommonOptions& common, const std::string& output_dir, const CalibrateSettings& settings);
int command_validate(const std::vector<std::string>& inputs, const CommonOptions& common, const std::string& output_dir,
                     const ValidateSettings& settings);

}  // namespace cartsim::cli
