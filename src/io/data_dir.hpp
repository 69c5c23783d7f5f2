#pragma once
// Where cartsim's shipped files are: the folder holding scenarios/ (presets, validation studies,
// calibration specs) and plots/ (the plotting scripts).
//
// In order:
//   1. $CARTSIM_DATA_DIR, when set and not empty;
//   2. an installed layout: <program folder>/<CARTSIM_BIN_TO_DATA> (for `cmake --install` and the Debian
//      package, bin/../share/cartsim), when it holds scenarios/;
//   3. the source tree the program was built from (a build-tree program).

#include <filesystem>
#include <optional>
#include <string>

namespace cartsim::io {

/// The data folder, chosen as above (computed once).
const std::filesystem::path& data_dir();

/// The rule above with its inputs given: `environment` is $CARTSIM_DATA_DIR (nullopt: unset), `program`
/// the running program's path, `bin_to_data` the relative path from its folder to an installed data
/// folder, `source_dir` the source tree. Exposed for tests.
std::filesystem::path choose_data_dir(const std::optional<std::string>& environment, const std::filesystem::path& program,
                                      const std::filesystem::path& bin_to_data, const std::filesystem::path& source_dir);

}  // namespace cartsim::io
