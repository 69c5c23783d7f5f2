#include "src/parallel/replicates.hpp"

#include <algorithm>
#include <climits>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "src/simulate/outcome.hpp"
#include "src/simulate/patient_run.hpp"

namespace cartsim::parallel {
namespace {

ReplicateRecord run_one(const simulate::Scenario& base, int replicate, const ReplicateOptions& options) {
    const PatientRunner& runner = options.runner;
    simulate::RunOptions run;
    run.wall_seconds_limit = options.run_time_limit_seconds;
    run.lineages = false;
    ReplicateRecord record;
    record.replicate = replicate;
    record.seed = replicate_seed(base, replicate);
    simulate::Scenario scenario = base;
    scenario.seed = record.seed;
    try {
        record.summary = runner ? runner(scenario) : simulate::run_patient(scenario, run).summary;
        record.outcome = std::string(simulate::classify_outcome(*record.summary));
    } catch (const ode::IntegrationError& error) {
        record.error = std::string("solver failed: ") + error.what();
    } catch (const std::exception& error) {
        record.error = error.what();
    } catch (...) {
        record.error = "unknown error";
    }
    if (!record.error.empty() || !record.summary) {
        record.summary.reset();
        record.outcome = std::string(kErrorOutcome);
        if (record.error.empty()) record.error = "unknown error";
    }
    return record;
}

}  // namespace

int replicate_seed(const simulate::Scenario& scenario, int replicate) {
    const long long seed = static_cast<long long>(scenario.seed) + replicate;
    if (replicate < 0 || seed > INT_MAX)
        throw std::invalid_argument("replicate " + std::to_string(replicate) + " of seed " +
                                    std::to_string(scenario.seed) + " needs seed " + std::to_string(seed) +
                                    ", beyond " + std::to_string(INT_MAX));
    return static_cast<int>(seed);
}

int default_thread_count() { return std::max(1, tbb::info::default_concurrency()); }

std::vector<ReplicateRecord> run_replicates(const simulate::Scenario& scenario, int replicates, int threads,
                                            const ReplicateOptions& options) {
    if (replicates < 1) throw std::invalid_argument("replicates must be at least 1");
    if (threads < 1) throw std::invalid_argument("threads must be at least 1");
    replicate_seed(scenario, replicates - 1);  // refuse before running anything

    std::vector<ReplicateRecord> records(static_cast<std::size_t>(replicates));
    // oneTBB starts one thread per core at most unless asked for more; --threads above that is honoured.
    std::optional<tbb::global_control> more_threads;
    if (threads > tbb::info::default_concurrency())
        more_threads.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    tbb::task_arena arena(threads);
    arena.execute([&] {
        tbb::parallel_for(0, replicates, [&](int i) {
            records[static_cast<std::size_t>(i)] = run_one(scenario, i, options);
            if (options.completed) options.completed->fetch_add(1, std::memory_order_relaxed);
        });
    });
    return records;
}

}  // namespace cartsim::parallel
