#include "src/cli/commands.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "src/cli/app.hpp"
#include "src/cli/study_folder.hpp"
#include "src/cli/run_support.hpp"
#include "src/cli/version.hpp"
#include "src/config/emit.hpp"
#include "src/io/atomic_file.hpp"
#include "src/io/data_dir.hpp"
#include "src/io/folder_lock.hpp"
#include "src/io/csv.hpp"
#include "src/io/summary_json.hpp"
#include "src/scenario/loader.hpp"
#include "src/simulate/patient_run.hpp"
#include "src/simulate/reference_runner.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;

namespace {

void print_run_summary(const simulate::Summary& s) {
    const auto text = [](const auto& value) -> std::string {
        if (!value) return "none";
        if constexpr (NamedEnum<std::decay_t<decltype(*value)>>)
            return std::string(enum_name(*value));
        else
            return fmt::format("day {:.0f}", *value);
    };
    std::cout << fmt::format("  best response {} | MRD-negative {} | progression {} | relapse type {}\n",
                             text(s.best_response), s.mrd_negative ? "yes" : "no", text(s.progression_day),
                             text(s.relapse_type));
    std::cout << fmt::format("  CAR-T peak {:.1f} cells/uL in blood on {} | CRS-risk grade {}{} | death {}\n",
                             s.cart_peak_blood_cells_per_ul, text(s.cart_peak_day), s.crs_grade,
                             s.crs_onset_day ? fmt::format(" from day {:.1f}", *s.crs_onset_day) : "",
                             s.death_day ? fmt::format("day {:.0f} ({})", *s.death_day, s.death_cause) : "none");
}

}  // namespace

int command_run(const CommonOptions& options, const std::string& output_dir) {
    const auto started = std::chrono::steady_clock::now();
    const std::string started_at = utc_now();
    auto loaded = load_or_report(options);
    if (!loaded) return kExitBadInput;
    const simulate::Scenario& sc = loaded->scenario;

    std::error_code ec;
    if (fs::exists(output_dir, ec) && !fs::is_directory(output_dir, ec)) {
        std::cerr << "cartsim: output path " << output_dir << " exists and is not a folder\n";
        return kExitBadInput;
    }

    SingleRun single;
    try {
        single = simulate_single(sc, options.run_time_limit_seconds);
    } catch (const ode::IntegrationError& error) {
        std::cerr << "cartsim: the solver failed for " << options.scenario << ": " << error.what()
                  << "\n  try a smaller solver.max_step_days or solver.method: bdf\n";
        return kExitRunFailed;
    } catch (const std::invalid_argument& error) {
        std::cerr << "cartsim: " << options.scenario << ": " << error.what() << "\n";
        return kExitBadInput;
    } catch (const std::runtime_error& error) {  // the wall-time limit, the hybrid's agent bound
        std::cerr << "cartsim: " << options.scenario << ": " << error.what() << "; nothing was written\n";
        return kExitRunFailed;
    }
    const simulate::Table& table = single.table;
    const nlohmann::json& summary = single.summary;
    const nlohmann::json& solver = single.summary["solver"];
    const auto& patient_summary = single.patient_summary;
    const auto& lineages = single.lineages;
    const auto& clone_names = single.clone_names;

    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    nlohmann::json manifest = manifest_json(options, *loaded, started_at, wall);
    manifest["solver"] = solver;
    std::string lock_problem;
    const auto lock = io::FolderLock::acquire(output_dir, lock_problem);  // the files of one run, together
    if (!lock) {
        std::cerr << "cartsim: " << lock_problem << "\n";
        return kExitBadInput;
    }
    try {
        fs::create_directories(output_dir);
        const fs::path out(output_dir);
        io::write_csv(out / "timeseries.csv", table);
        if (sc.output.long_timeseries) io::write_long_csv(out / "timeseries_long.csv", table);
        io::write_file_atomic(out / "summary.json", summary.dump(2) + "\n");
        if (lineages) io::write_lineage_csv(out / "lineage.csv", *lineages, clone_names);
        io::write_file_atomic(out / "scenario.yaml", config::to_yaml_string(loaded->resolved));
        io::write_file_atomic(out / "manifest.json", manifest.dump(2) + "\n");
    } catch (const std::exception& error) {
        std::cerr << "cartsim: cannot write results: " << error.what() << "\n";
        return kExitRunFailed;
    }
    if (patient_summary && patient_summary->negative_state_points > 0)  // a numerical failure, said loudly
        std::cerr << fmt::format("cartsim: warning: at {} solver points an amount was below minus the absolute "
                                 "tolerance (the lowest: {} = {:.3g}); tighten solver.abs_tol or solver.rel_tol\n",
                                 patient_summary->negative_state_points,
                                 patient_summary->most_negative_state_name.value_or("?"),
                                 patient_summary->most_negative_state.value_or(0.0));
    if (!options.quiet) {
        std::cout << fmt::format("cartsim: {} simulated {:.0f} days in {:.3f} s ({} steps, {} RHS evaluations)\n",
                                 sc.name, sc.horizon_days, wall, solver["steps"].get<long>(),
                                 solver["rhs_evaluations"].get<long>());
        if (patient_summary) print_run_summary(*patient_summary);
        std::cout << fmt::format("  results: {0}/timeseries.csv ({1} rows), {0}/summary.json, {0}/manifest.json\n",
                                 output_dir, table.rows.size());
        std::cout << fmt::format("  plot:    cartsim plot {}\n", output_dir);
    }
    return kExitOk;
}

int command_check(const CommonOptions& options) {
    if (study_requested(options)) return command_check_study(options);
    auto loaded = load_or_report(options);
    if (!loaded) return kExitBadInput;
    std::cout << "# " << options.scenario << ": valid. Resolved scenario (presets and overrides applied):\n";
    print_warnings_section(loaded->warnings);
    std::cout << config::to_yaml_string(loaded->resolved);
    return kExitOk;
}

namespace {

enum class FolderKind { Run, Replicates, Study, None };

/// What the latest `cartsim run` into a folder wrote: its manifest says (a study records "runs", a
/// replicate run "replicates"); without a manifest the files decide.
FolderKind folder_kind(const fs::path& dir) {
    std::ifstream stream(dir / "manifest.json");
    const auto manifest = nlohmann::json::parse(stream, nullptr, /*allow_exceptions=*/false);
    const bool has_manifest = manifest.is_object();
    if (fs::is_regular_file(dir / "patients.csv") && (!has_manifest || manifest.contains("runs"))) return FolderKind::Study;
    if (fs::is_regular_file(dir / "replicates.csv") && (!has_manifest || manifest.contains("replicates") ||
                                                        !fs::is_regular_file(dir / "timeseries.csv")))
        return FolderKind::Replicates;
    if (fs::is_regular_file(dir / "timeseries.csv")) return FolderKind::Run;
    return FolderKind::None;
}

}  // namespace

int command_plot(const std::string& run_dir, const std::string& output_png) {
    if (const std::string status = study_status(run_dir); !status.empty() && status != "finished") {
        std::cerr << "cartsim: " << run_dir << "/manifest.json says the study there is " << status
                  << ", not finished: finish it with `cartsim run ... -o " << run_dir << " --resume`\n";
        return kExitBadInput;
    }
    const FolderKind kind = folder_kind(run_dir);
    if (kind == FolderKind::None) {
        std::cerr << "cartsim: " << run_dir << " has no timeseries.csv, replicates.csv or patients.csv (run `cartsim run ... -o "
                  << run_dir << "` first)\n";
        return kExitBadInput;
    }
    const char* name = kind == FolderKind::Study ? "plot_study.py" : kind == FolderKind::Replicates ? "plot_replicates.py" : "plot_run.py";
    fs::path script = io::data_dir() / "plots" / name;
    if (!fs::exists(script)) {
        std::cerr << "cartsim: plot script not found at " << script << "\n";
        return kExitRunFailed;
    }
    std::string command = "/usr/bin/python3 '" + script.string() + "' '" + run_dir + "'";
    if (!output_png.empty()) command += " -o '" + output_png + "'";  // a study: the folder for its PNGs
    const int status = std::system(command.c_str());
    return status == 0 ? kExitOk : kExitRunFailed;
}

}  // namespace cartsim::cli
