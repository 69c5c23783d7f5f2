#pragma once
// The parts of `cartsim calibrate` after the fit: the parameters' uncertainty (--uncertainty N).

#include <filesystem>
#include <optional>

#include "src/study/calibration_fit.hpp"
#include "src/study/uncertainty.hpp"

namespace cartsim::cli {

/// Evaluates `points` design points around the fit (resuming from OUT/surface.csv), fits the response
/// surface and writes surface.csv, uncertainty.csv, directions.csv and uncertainty.yaml into `out`.
/// Prints the parameters' intervals and the unidentified directions unless quiet. Returns nothing and
/// prints why when the surface cannot be fitted; throws CalibrationInterrupted on Ctrl-C.
std::optional<study::ParameterUncertainty> run_uncertainty(const study::LoadedCalibration& calibration,
                                                           const study::FitResult& fit, const study::FitOptions& options,
                                                           const std::filesystem::path& out, int points, bool talk);

}  // namespace cartsim::cli
