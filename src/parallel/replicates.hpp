#pragma once
// Replicates: one scenario run many times with consecutive seeds, in parallel (oneTBB).
// Replicate i uses seed = scenario.seed + i, so replicate 0 is the single run of the scenario.
// Records are stored by replicate index and every random draw derives from the seed, so the result
// does not depend on the number of threads.

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/simulate/run_result.hpp"
#include "src/simulate/scenario.hpp"

namespace cartsim::parallel {

/// The outcome recorded for a replicate whose run threw.
inline constexpr std::string_view kErrorOutcome = "error";

struct ReplicateRecord {
    int replicate = 0;
    int seed = 0;
    std::string outcome;                       // a name of simulate::kOutcomes, or kErrorOutcome
    std::optional<simulate::Summary> summary;  // empty when the run failed
    std::string error;                         // what the failed run reported; empty otherwise
};

/// Runs one patient and returns its endpoints; must be safe to call from several threads at once.
using PatientRunner = std::function<simulate::Summary(const simulate::Scenario&)>;

struct ReplicateOptions {
    PatientRunner runner;                   // empty: simulate::run_patient
    std::atomic<int>* completed = nullptr;  // when set, incremented as each replicate finishes
    double run_time_limit_seconds = 0.0;    // wall-clock limit per replicate (0: none); over it: an error
};

/// The seed of replicate `replicate` (0-based): scenario.seed + replicate. Throws
/// std::invalid_argument when that does not fit in an int.
int replicate_seed(const simulate::Scenario& scenario, int replicate);

/// Runs `replicates` replicates on at most `threads` threads. A replicate whose run throws is
/// recorded with outcome "error" and the message, and the others go on. Throws
/// std::invalid_argument for replicates < 1, threads < 1 or a last seed beyond INT_MAX.
std::vector<ReplicateRecord> run_replicates(const simulate::Scenario& scenario, int replicates, int threads,
                                            const ReplicateOptions& options = {});

/// The number of threads used when none is asked for: every core oneTBB may use.
int default_thread_count();

}  // namespace cartsim::parallel
