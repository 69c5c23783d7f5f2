// `cartsim run SCENARIO --replicates N [--threads T] -o OUT`: N seeds of one patient in parallel.
// Replicate i uses seed = scenario seed + i, so replicate 0 is the single run of the scenario.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "src/cli/app.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/progress_line.hpp"
#include "src/cli/replicates_output.hpp"
#include "src/cli/run_support.hpp"
#include "src/config/emit.hpp"
#include "src/io/atomic_file.hpp"
#include "src/parallel/aggregate.hpp"
#include "src/parallel/replicates.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;
namespace {

void print_outcome_table(const parallel::ReplicateAggregate& a) {
    const auto percent = [](double share) { return fmt::format("{:5.1f}%", 100.0 * share); };
    std::cout << fmt::format("  {:<27} {:>6} {:>7}   95% CI (Wilson)\n", "outcome", "count", "share");
    for (const auto& o : a.outcomes) {
        if (o.outcome == parallel::kErrorOutcome && o.count == 0) continue;
        std::cout << fmt::format("  {:<27} {:>6} {:>7}   [{}, {}]\n", o.outcome, o.count, percent(o.share),
                                 percent(o.ci.low), percent(o.ci.high));
    }
    if (a.median_progression_day)
        std::cout << fmt::format("  median progression day {:.0f} ({} of {} progressed)\n", *a.median_progression_day,
                                 a.progressed, a.replicates);
    else
        std::cout << fmt::format("  no replicate progressed\n");
}

}  // namespace

int command_replicates(const CommonOptions& options, const std::string& output_dir, const ReplicateSettings& settings) {
    const auto started = std::chrono::steady_clock::now();
    const std::string started_at = utc_now();
    auto loaded = load_or_report(options);
    if (!loaded) return kExitBadInput;
    const simulate::Scenario& sc = loaded->scenario;
    if (sc.model != simulate::ModelKind::Myeloma) {
        std::cerr << fmt::format(
            "cartsim: {}: --replicates needs model: myeloma ({} has no random parts); "
            "nothing was run\n",
            options.scenario, enum_name(sc.model));
        return kExitBadInput;
    }
    try {
        parallel::replicate_seed(sc, settings.replicates - 1);
    } catch (const std::invalid_argument& error) {
        std::cerr << "cartsim: " << options.scenario << ": --replicates " << settings.replicates << ": " << error.what()
                  << "; nothing was run\n";
        return kExitBadInput;
    }
    std::error_code ec;
    if (fs::exists(output_dir, ec) && !fs::is_directory(output_dir, ec)) {
        std::cerr << "cartsim: output path " << output_dir << " exists and is not a folder\n";
        return kExitBadInput;
    }

    const int threads = settings.threads > 0 ? settings.threads : parallel::default_thread_count();
    std::atomic<int> completed{0};
    std::vector<parallel::ReplicateRecord> records;
    {
        ProgressLine progress("replicates", settings.replicates, completed, !options.quiet && stdout_is_terminal());
        parallel::ReplicateOptions run_options;
        run_options.completed = &completed;
        run_options.run_time_limit_seconds = options.run_time_limit_seconds;
        records = parallel::run_replicates(sc, settings.replicates, threads, run_options);
    }
    const auto aggregate = parallel::aggregate(records);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    nlohmann::json manifest = manifest_json(options, *loaded, started_at, wall);
    manifest["replicates"] = settings.replicates;
    manifest["first_seed"] = records.front().seed;
    manifest["threads"] = threads;
    try {
        fs::create_directories(output_dir);
        const fs::path out(output_dir);
        io::write_file_atomic(out / "replicates.csv", replicates_csv(records));
        io::write_file_atomic(out / "summary.json", replicates_summary_json(sc, records, aggregate).dump(2) + "\n");
        io::write_file_atomic(out / "scenario.yaml", config::to_yaml_string(loaded->resolved));
        io::write_file_atomic(out / "manifest.json", manifest.dump(2) + "\n");
    } catch (const std::exception& error) {
        std::cerr << "cartsim: cannot write results: " << error.what() << "\n";
        return kExitRunFailed;
    }

    if (aggregate.failed > 0) {
        const auto first = std::find_if(records.begin(), records.end(), [](const auto& r) { return !r.error.empty(); });
        std::cerr << fmt::format(
            "cartsim: {} of {} replicates failed (outcome \"error\" in {}/replicates.csv); "
            "first: replicate {} (seed {}): {}\n",
            aggregate.failed, aggregate.replicates, output_dir, first->replicate, first->seed, first->error);
    }
    if (!options.quiet) {
        std::cout << fmt::format("cartsim: {} x {} replicates (seeds {}..{}) on {} thread{} in {:.2f} s\n", sc.name,
                                 settings.replicates, records.front().seed, records.back().seed, threads,
                                 threads == 1 ? "" : "s", wall);
        print_outcome_table(aggregate);
        std::cout << fmt::format("  results: {0}/summary.json, {0}/replicates.csv ({1} rows), {0}/manifest.json\n",
                                 output_dir, records.size());
        std::cout << fmt::format("  plot:    cartsim plot {}\n", output_dir);
    }
    return aggregate.failed == aggregate.replicates ? kExitRunFailed : kExitOk;
}

}  // namespace cartsim::cli
