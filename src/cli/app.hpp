#pragma once
// The cartsim command line: run, check, params, plot, version.

namespace cartsim::cli {

/// Exit codes: 0 success, 1 a run failed (for example the solver), 2 bad input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRunFailed = 1;
inline constexpr int kExitBadInput = 2;

int run(int argc, char** argv);

}  // namespace cartsim::cli
