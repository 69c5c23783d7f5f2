#pragma once
// What a calibration leaves behind: fitted.yaml and the write-back of the fitted values, either into
// copies of the preset files under the output folder or into the preset files themselves.

#include <filesystem>
#include <string>
#include <vector>

#include "src/study/calibration_fit.hpp"

namespace cartsim::study {

/// fitted.yaml: the spec, the optimiser's outcome, the best deviance and every parameter's start and
/// fitted value.
std::string fitted_yaml(const LoadedCalibration& calibration, const FitResult& result, double wall_seconds,
                        const std::string& when);

/// Writes each parameter's fitted value (into its file and its copies), under a comment line
/// "<comment> to <the parameter's informing targets>". With `folder` empty the preset files themselves
/// change; otherwise each preset is first copied to `folder`/<its path below the spec's parent folder>
/// and only the copy changes. Returns the files written.
std::vector<std::filesystem::path> write_back_all(const LoadedCalibration& calibration, const std::vector<double>& values,
                                                  const std::string& comment, const std::filesystem::path& folder);

}  // namespace cartsim::study
