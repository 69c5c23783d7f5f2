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

int command_run(const CommonOptions& options, const std::string& output_dir);
int command_check(const CommonOptions& options);
int command_params(const std::string& model, const std::string& format);
int command_plot(const std::string& run_dir, const std::string& output_png);

}  // namespace cartsim::cli
