// `cartsim run STUDY.yaml -o OUT [--threads N] [--resume] [--attribute]`: a scenario file with cohort,
// sweep or arms blocks. Units (patient x arm or point) run on oneTBB threads, split across MPI ranks
// under mpirun; rows stream into OUT/.patients.rank<R>.partial as units finish, so Ctrl-C or SIGTERM
// keeps every finished unit and --resume finishes the study. At the end the partial files become
// patients.csv and the summary files are built from it.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "src/cli/app.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/progress_line.hpp"
#include "src/cli/run_support.hpp"
#include "src/cli/stop_signal.hpp"
#include "src/cli/study_folder.hpp"
#include "src/cli/study_print.hpp"
#include "src/cli/version.hpp"
#include "src/io/atomic_file.hpp"
#include "src/io/folder_lock.hpp"
#include "src/io/csv.hpp"
#include "src/parallel/distributed.hpp"
#include "src/parallel/replicates.hpp"
#include "src/study/checkpoint.hpp"
#include "src/study/runner.hpp"
#include "src/study/summarize.hpp"
#include "src/study/seeds.hpp"
#include "src/study/validation.hpp"
#include "src/cli/validation_output.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;
namespace {

/// The plausibility warnings of a study: what its file writes (with its population, presets and --set
/// overrides) in every arm, arm variant or point; values a sweep or cohort generates are not warned about.
std::vector<config::ConfigWarning> study_warnings(const study::LoadedStudy& st, const CommonOptions& options) {
    const auto opts = load_options(options);
    auto written = scenario::prepare_scenario(options.scenario, opts);
    std::vector<config::ConfigWarning> all;
    const auto add = [&](const config::Node& root) {
        for (auto& w : scenario::plausibility_warnings(root, opts, written ? &written.value() : nullptr))
            if (std::find(all.begin(), all.end(), w) == all.end()) all.push_back(std::move(w));
    };
    for (const auto& g : st.groups) {
        add(g.root);
        for (const auto& variant : g.variants) add(variant.root);
    }
    return all;
}

}  // namespace

bool study_requested(const CommonOptions& options) {
    auto root = scenario::prepare_scenario(options.scenario, load_options(options));
    return root && study::has_study_blocks(root.value());
}

bool scenario_loads(const CommonOptions& options) {
    return static_cast<bool>(scenario::prepare_scenario(options.scenario, load_options(options)));
}

int command_check_study(const CommonOptions& options) {
    auto loaded = study::load_study(options.scenario, load_options(options));
    if (!loaded) {
        std::cerr << config::format_errors(loaded.errors());
        std::cerr << fmt::format("cartsim: {} has {} problem{}\n", options.scenario, loaded.errors().size(),
                                 loaded.errors().size() == 1 ? "" : "s");
        return kExitBadInput;
    }
    const auto& st = loaded.value();
    const char* kind = st.kind == study::StudyKind::Trial ? "trial" : st.kind == study::StudyKind::Sweep ? "sweep" : "cohort";
    std::cout << fmt::format("# {}: valid {}: {} {} x {} patient{} = {} runs. Resolved scenario and study blocks:\n",
                             options.scenario, kind, st.groups.size(),
                             st.kind == study::StudyKind::Sweep ? "points" : st.kind == study::StudyKind::Trial ? "arms" : "group",
                             st.patients, st.patients == 1 ? "" : "s", st.groups.size() * static_cast<std::size_t>(st.patients));
    if (st.kind == study::StudyKind::Trial) {  // the arms as run (a knockouts: item names its own)
        std::vector<std::string> names;
        for (const auto& g : st.groups) names.push_back(g.name);
        std::cout << fmt::format("# arms: {}\n", fmt::join(names, "; "));
    }
    for (const auto& note : st.precedence) std::cout << "# precedence: " << note << "\n";
    const auto warnings = study_warnings(st, options);
    report_warnings(warnings);
    print_warnings_section(warnings);
    if (st.spec.has_seeds) {
        const bool overridden = study::overrides_seed(options.overrides);
        std::cout << fmt::format("# seeds: these runs draw cohort seed {} ({}); cartsim validate scores the validation seeds "
                                 "[{}], cartsim calibrate fits on {}; --set seed or cohort.seed wins over the block on "
                                 "cartsim run, and validate and calibrate refuse it\n",
                                 st.spec.cohort.seed,
                                 overridden ? "set on the command line" : "the first validation seed",
                                 fmt::join(study::validation_seeds(st), ", "), st.spec.seeds.calibration);
    }
    std::cout << st.resolved_yaml;
    return kExitOk;
}

int command_study(const CommonOptions& options, const std::string& output_dir, const StudySettings& settings) {
    const auto started = std::chrono::steady_clock::now();
    const std::string started_at = utc_now();
    parallel::Distributed world;
    const bool talk = world.root();

    auto loaded = study::load_study(options.scenario, load_options(options));
    if (!loaded) {
        if (talk) {
            std::cerr << config::format_errors(loaded.errors());
            std::cerr << fmt::format("cartsim: {} has {} problem{}; nothing was run\n", options.scenario,
                                     loaded.errors().size(), loaded.errors().size() == 1 ? "" : "s");
        }
        return kExitBadInput;
    }
    const study::LoadedStudy& st = loaded.value();
    if (talk) report_warnings(study_warnings(st, options));
    const fs::path out(output_dir);
    std::error_code ec;
    if (fs::exists(out, ec) && !fs::is_directory(out, ec)) {
        if (talk) std::cerr << "cartsim: output path " << output_dir << " exists and is not a folder\n";
        return kExitBadInput;
    }
    // --attribute knocks out each switch that is on, in the order of the `mechanisms:` block (one already
    // off has nothing to attribute).
    const auto attribution =
        settings.attribute ? patient::mechanism_names(st.base.mechanisms, true) : std::vector<std::string>{};
    const study::RowLayout layout = study::row_layout(st, attribution);
    std::string header;
    for (const auto& h : layout.header()) header += (header.empty() ? "" : ",") + io::csv_cell(h);
    const std::string identity = study::fingerprint(st.resolved_yaml + "\n" + header);

    // Fresh start or resume: the identity file says which study the partial rows belong to.
    std::optional<io::FolderLock> lock;  // held to the end: one writer per folder
    FolderPlan plan;
    if (talk) {
        std::string lock_problem;
        lock = io::FolderLock::acquire(out, lock_problem);
        plan = lock ? prepare_study_folder(out, identity, settings) : FolderPlan{FolderPlan::Verdict::BadInput, lock_problem, ""};
        if (!plan.message.empty()) std::cerr << "cartsim: " << plan.message << "\n";
    }
    const bool bad_resume = plan.verdict == FolderPlan::Verdict::BadInput;
    const bool io_failure = plan.verdict == FolderPlan::Verdict::IoFailure;
    const bool already_finished = plan.verdict == FolderPlan::Verdict::AlreadyFinished;
    const std::string resume_note = plan.note;
    if (world.any(io_failure)) return kExitRunFailed;
    if (world.any(bad_resume)) return kExitBadInput;
    if (world.any(already_finished)) {
        if (talk && !options.quiet) std::cout << "cartsim: " << output_dir << " holds this study, finished; kept as it is\n";
        return kExitOk;
    }
    world.barrier();

    std::set<study::UnitKey> finished;
    try {
        if (settings.resume) finished = study::finished_units(out, header, st.kind == study::StudyKind::Sweep);
    } catch (const io::IoError& e) {
        if (talk) std::cerr << "cartsim: cannot resume: " << e.what() << "\n";
        return kExitRunFailed;
    } catch (const std::exception& e) {
        if (talk) std::cerr << "cartsim: cannot resume: " << e.what() << "\n";
        return kExitBadInput;
    }
    const int threads = settings.threads > 0 ? settings.threads : parallel::default_thread_count();
    const long units = static_cast<long>(st.groups.size()) * st.patients;
    if (talk && !options.quiet) {
        if (!resume_note.empty()) std::cout << "cartsim: " << resume_note << "\n";
        std::cout << fmt::format("cartsim: {}: {} group{} x {} patient{} = {} runs{} on {} rank{} x {} thread{}{}\n",
                                 st.name, st.groups.size(), st.groups.size() == 1 ? "" : "s", st.patients,
                                 st.patients == 1 ? "" : "s", units, settings.attribute ? " (plus knock-outs)" : "",
                                 world.size(), world.size() == 1 ? "" : "s", threads, threads == 1 ? "" : "s",
                                 finished.empty() ? "" : fmt::format("; {} finished before", finished.size()));
    }

    // The manifest comes first and says "running" until the end, so a reader can tell an unfinished
    // folder (even one whose process was killed outright) from a finished one.
    nlohmann::json manifest = {{"cartsim_version", version()},
                               {"git_commit", git_commit()},
                               {"scenario_file", options.scenario},
                               {"overrides", options.overrides},
                               {"started_at", started_at},
                               {"runs", units},
                               {"threads", threads},
                               {"ranks", world.size()},
                               {"mpi", parallel::Distributed::library()},
                               {"resumed", settings.resume},
                               {"attribute", settings.attribute},
                               {"study_fingerprint", identity}};
    bool manifest_failed = false;
    if (talk) {
        try {
            write_manifest(out, manifest, "running");
        } catch (const std::exception& e) {
            std::cerr << "cartsim: " << e.what() << "\n";
            manifest_failed = true;
        }
    }
    if (world.any(manifest_failed)) return kExitRunFailed;
    const auto mark = [&](const std::string& status, const std::string& error) {  // rank 0, best effort
        if (!talk) return;
        nlohmann::json m = manifest;
        if (!error.empty()) m["error"] = error;
        try {
            write_manifest(out, m, status);
        } catch (const std::exception&) {  // the disk may be what failed: the manifest stays "running"
        }
    };

    study::RunnerOptions run;
    run.threads = threads;
    run.attribute = settings.attribute;
    run.run_time_limit_seconds = options.run_time_limit_seconds;
    run.rank = world.rank();
    run.ranks = world.size();
    run.finished = &finished;
    std::atomic<int> completed{0};
    run.completed = &completed;
    run.stop = &stop_requested();
    study::RunnerStats stats;
    bool write_failed = false;
    std::string write_error;
    {
        StopSignalGuard signals;
        try {
            study::PartialWriter writer(study::partial_path(out, world.rank()), header);
            const long mine = study::units_to_run(st, run);
            ProgressLine progress(world.size() > 1 ? fmt::format("rank 0 runs") : std::string("runs"),
                                  static_cast<int>(mine), completed, talk && !options.quiet && stdout_is_terminal());
            stats = study::run_study(st, layout, run, [&](const std::string& row) { writer.write(row); });
        } catch (const std::exception& e) {
            std::cerr << fmt::format("cartsim: rank {}: {}\n", world.rank(), e.what());
            write_failed = true;
            write_error = e.what();
        }
    }
    if (world.any(write_failed)) {
        mark("failed", write_error.empty() ? "another rank failed to write" : write_error);
        if (talk) std::cerr << "cartsim: finished runs are kept; once the cause is fixed, finish with --resume\n";
        return kExitRunFailed;
    }
    const long done_now = world.sum(stats.run);
    if (world.any(stats.interrupted)) {
        if (talk)
        {
            std::string again = "cartsim run " + options.scenario + " -o " + output_dir;
            for (const auto& o : options.overrides) again += " --set '" + o + "'";
            if (settings.attribute) again += " --attribute";
            std::cerr << fmt::format("cartsim: interrupted{}; {} runs finished now, {} before. Finish with: {} --resume\n",
                                     stop_signal() ? fmt::format(" by signal {}", stop_signal()) : "", done_now,
                                     finished.size(), again);
        }
        mark("interrupted", "");
        return 128 + (stop_signal() ? stop_signal() : SIGINT);
    }
    world.barrier();
    if (!talk) return kExitOk;

    // Rank 0: partial files -> patients.csv, then the summary files from it.
    study::StudyTables tables;
    std::vector<study::TargetResult> validation;
    try {
        study::merge_partials(out, header, out / "patients.csv", units);
        // Streamed from the file (a copy in memory cost about 800 bytes per run: 80 MB at 100,000 runs).
        const auto read_back = [&] {
            std::ifstream in(out / "patients.csv");
            if (!in) throw std::runtime_error("cannot read back " + (out / "patients.csv").string());
            return in;
        };
        std::ifstream patients_csv = read_back();
        tables = study::summarize(st, layout, patients_csv);
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        io::write_file_atomic(out / "summary.json", tables.summary.dump(2) + "\n");
        io::write_file_atomic(out / "km.csv", tables.km_csv);
        if (!tables.sweep_csv.empty()) io::write_file_atomic(out / "sweep.csv", tables.sweep_csv);
        if (!tables.sobol_csv.empty()) io::write_file_atomic(out / "sobol.csv", tables.sobol_csv);
        io::write_file_atomic(out / "scenario.yaml", st.resolved_yaml);
        if (st.spec.has_targets) {
            std::ifstream again = read_back();
            validation = study::evaluate_targets(st.spec.targets.targets, study::read_patient_table(again), st.name);
            study::write_validation_tables(out.string(), validation);
        }
        manifest["wall_time_seconds"] = wall;
        write_manifest(out, manifest, "finished");
        study::remove_partials(out);
        if (!options.quiet) {
            std::cout << fmt::format("cartsim: {} runs in {:.1f} s ({:.0f} runs/s)\n", done_now, wall,
                                     wall > 0 ? double(done_now) / wall : 0.0);
            print_study_summary(tables.summary, std::cout);
            if (!validation.empty()) print_validation(validation);
            std::cout << fmt::format("  results: {0}/patients.csv, {0}/summary.json, {0}/km.csv{1}{2}\n", output_dir,
                                     tables.sweep_csv.empty() ? "" : fmt::format(", {}/sweep.csv", output_dir),
                                     validation.empty() ? "" : fmt::format(", {}/validation.csv", output_dir));
            std::cout << fmt::format("  plots:   cartsim plot {}\n", output_dir);
        }
    } catch (const std::exception& e) {
        std::cerr << "cartsim: cannot write results: " << e.what() << "\n";
        mark("failed", e.what());
        return kExitRunFailed;
    }
    const long errors = tables.summary["errors"].get<long>();
    if (errors > 0)
        std::cerr << fmt::format("cartsim: {} of {} runs failed (column error in {}/patients.csv)\n", errors, units, output_dir);
    return errors == units ? kExitRunFailed : kExitOk;
}

}  // namespace cartsim::cli
