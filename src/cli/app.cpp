#include "src/cli/app.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "src/cli/commands.hpp"
#include "src/cli/version.hpp"

namespace cartsim::cli {
namespace {

void add_scenario_options(CLI::App& command, CommonOptions& options) {
    command.add_option("scenario", options.scenario, "Scenario file (YAML)")->required();
    command.add_option("--set", options.overrides,
                       "Override a scenario value, e.g. --set patient.tumour.growth_rate_per_day=0.012 or "
                       "--set patient.tumour.clones[bcma_neg].fraction=0 (repeatable)")
        ->take_all()
        ->allow_extra_args(false);
    command.add_option("--products", options.product_dirs, "Extra folder of product presets (repeatable)");
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{"cartsim: CAR-T cell therapy versus multiple myeloma, a mechanistic simulator", "cartsim"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("cartsim ") + version() + " (" + git_commit() + ")");

    CommonOptions run_options;
    std::string output_dir;
    auto* run_cmd = app.add_subcommand("run", "Simulate a scenario and write timeseries.csv, summary.json, "
                                              "manifest.json");
    add_scenario_options(*run_cmd, run_options);
    run_cmd->add_option("-o,--output", output_dir, "Output folder (created if missing)")->required();
    run_cmd->add_flag("-q,--quiet", run_options.quiet, "Print nothing but errors");
    run_cmd
        ->add_option("--run-time-limit", run_options.run_time_limit_seconds,
                     "Wall-clock seconds one patient run may take (default 0: no limit); a study or --replicates "
                     "records a run over it as an error and goes on (which runs reach it depends on the machine)")
        ->check(CLI::Range(0.0, 1e7));
    ReplicateSettings replicate_settings;
    run_cmd
            ->add_option("--replicates", replicate_settings.replicates,
                         "Run N replicates with seeds seed, seed+1, ..., seed+N-1 in parallel and write "
                         "summary.json (outcome shares with 95% CIs), replicates.csv, manifest.json")
            ->check(CLI::Range(1, 10'000'000));
    run_cmd->add_option("--threads", replicate_settings.threads, "Threads for --replicates or a study (default: all cores)")
        ->check(CLI::Range(1, 4096));
    StudySettings study_settings;
    run_cmd->add_flag("--resume", study_settings.resume,
                      "Study: finish an interrupted run in the same output folder, skipping finished patients");
    run_cmd->add_flag("--attribute", study_settings.attribute,
                      "Study: re-run each patient with each mechanism that is on switched off in turn and report "
                      "how far each knock-out moves progression");

    CommonOptions check_options;
    auto* check_cmd = app.add_subcommand("check", "Validate a scenario without running it; print the resolved scenario");
    add_scenario_options(*check_cmd, check_options);

    std::string params_model = "myeloma", params_format = "text";
    auto* params_cmd = app.add_subcommand("params", "List every parameter with its default, unit and source");
    params_cmd->add_option("--model", params_model, "myeloma, singh2021 or cartmath")
        ->check(CLI::IsMember({"myeloma", "singh2021", "cartmath"}));
    params_cmd->add_option("--format", params_format, "text, csv or markdown")
        ->check(CLI::IsMember({"text", "csv", "markdown"}));

    std::string schema_kind = "scenario", schema_file;
    auto* schema_cmd = app.add_subcommand("schema", "Print the JSON Schema of a kind of YAML file, for editors and checks");
    schema_cmd->add_option("kind", schema_kind,
                           "scenario (default: scenarios, studies, populations, lessons, validation), product, "
                           "calibration or uncertainty")
        ->check(CLI::IsMember({"scenario", "product", "calibration", "uncertainty"}));
    schema_cmd->add_option("-o,--output", schema_file, "Write the schema to this file instead of standard output");

    std::string report_dir, report_file;
    auto* report_cmd = app.add_subcommand(
        "report", "Write one self-contained HTML page (charts, tables; no network) of a run, study or validation folder");
    report_cmd->add_option("folder", report_dir, "Folder written by cartsim run or cartsim validate")->required();
    report_cmd->add_option("-o,--output", report_file, "HTML file (default: FOLDER/report.html)");

    ServeSettings serve_settings;
    auto* serve_cmd = app.add_subcommand(
        "serve", "Serve the lessons as a local web page with sliders; each move re-runs the lesson (Ctrl-C stops)");
    serve_cmd->add_option("--host", serve_settings.host, "Address to listen on (default 127.0.0.1: this machine only)");
    serve_cmd->add_option("--port", serve_settings.port, "Port (default 8765; 0: any free port, printed)")
        ->check(CLI::Range(0, 65535));
    serve_cmd->add_option("--lessons", serve_settings.lessons, "Folder of lessons (default: scenarios/lessons)");

    std::string plot_dir, plot_png;
    auto* plot_cmd = app.add_subcommand("plot", "Draw the plot of a run folder (needs /usr/bin/python3 with matplotlib)");
    plot_cmd->add_option("run_dir", plot_dir, "Folder written by cartsim run")->required();
    plot_cmd->add_option("-o,--output", plot_png,
                         "PNG file (default: RUN_DIR/plot.png); for a study, the folder for its PNGs (default: RUN_DIR)");

    std::vector<std::string> validate_inputs;
    CommonOptions validate_options;
    std::string validate_dir;
    ValidateSettings validate_settings;
    auto* validate_cmd = app.add_subcommand(
        "validate", "Run the validation studies (default: scenarios/validation/*.yaml) and write validation.csv; "
                    "exit 1 when a calibrated target leaves its band");
    validate_cmd->add_option("studies", validate_inputs, "Validation study files or folders");
    validate_cmd->add_option("-o,--output", validate_dir, "Output folder (one subfolder per study)")->required();
    validate_cmd->add_option("--size", validate_settings.size, "Virtual patients per arm (default: each file's cohort size)")
        ->check(CLI::Range(1, 10'000'000));
    validate_cmd->add_option("--threads", validate_settings.threads, "Threads (default: all cores)")->check(CLI::Range(1, 4096));
    validate_cmd->add_flag("--resume", validate_settings.resume, "Finish an interrupted validation in the same folder");
    validate_cmd->add_option("--seeds", validate_settings.seeds,
                             "Validation seeds per study (default 1); verdicts that flip between them go to verdicts.csv")
        ->check(CLI::Range(1, 1000));
    validate_cmd->add_option("--parameter-draws", validate_settings.parameter_draws,
                             "Re-run with K parameter sets drawn from the calibrations' uncertainty; the model's intervals include it")
        ->check(CLI::Range(2, 100'000));
    validate_cmd->add_option("--uncertainty", validate_settings.uncertainty,
                             "Uncertainty files or folders for --parameter-draws (default: scenarios/calibration/uncertainty)");
    validate_cmd->add_flag("--leave-one-out", validate_settings.leave_one_out,
                           "Leave-one-trial-out prediction: refit without each trial, predict it (loo.csv)");
    validate_cmd->add_option("--calibrations", validate_settings.calibrations,
                             "Calibration specs refitted by --leave-one-out (default: scenarios/calibration/*.yaml)");
    validate_cmd->add_option("--loo-evaluations", validate_settings.loo_evaluations,
                             "--leave-one-out: evaluation budget of each fit in each fold (default 25)")
        ->check(CLI::Range(1, 100'000));
    validate_cmd->add_option("--loo-size", validate_settings.loo_size,
                             "--leave-one-out: patients per study in each fold's fits (default: each spec's cohort_size)")
        ->check(CLI::Range(1, 10'000'000));
    validate_cmd->add_option("--set", validate_options.overrides, "Override a value in every study (repeatable)")
        ->take_all()
        ->allow_extra_args(false);
    validate_cmd->add_option("--products", validate_options.product_dirs, "Extra folder of product presets (repeatable)");
    validate_cmd->add_flag("-q,--quiet", validate_options.quiet, "Print nothing but errors");
    validate_cmd
        ->add_option("--run-time-limit", validate_options.run_time_limit_seconds,
                     "Wall-clock seconds one patient run may take (default 0: no limit); a run over it is an error row")
        ->check(CLI::Range(0.0, 1e7));

    CommonOptions calibrate_options;
    std::string calibrate_dir;
    CalibrateSettings calibrate_settings;
    auto* calibrate_cmd = app.add_subcommand(
        "calibrate", "Fit preset parameters to the targets a calibration spec names (NLopt, an approximate likelihood "
                     "of the trials' data, common random numbers on calibration seeds); write history.csv, fit.csv, fitted.yaml");
    calibrate_cmd->add_option("spec", calibrate_options.scenario, "Calibration spec (YAML, scenarios/calibration/)")->required();
    calibrate_cmd->add_option("-o,--output", calibrate_dir, "Output folder")->required();
    calibrate_cmd->add_option("--size", calibrate_settings.size, "Virtual patients per arm in each evaluation (default: the spec's)")
        ->check(CLI::Range(1, 10'000'000));
    calibrate_cmd->add_option("--max-evaluations", calibrate_settings.max_evaluations, "Evaluation budget (default: the spec's)")
        ->check(CLI::Range(2, 1'000'000));
    calibrate_cmd->add_option("--threads", calibrate_settings.threads, "Threads (default: all cores)")->check(CLI::Range(1, 4096));
    calibrate_cmd->add_flag("--resume", calibrate_settings.resume, "Continue an interrupted calibration from OUT/history.csv");
    calibrate_cmd->add_flag("--write-back", calibrate_settings.write_back,
                            "Write the fitted presets into OUT/presets/, with a comment naming the targets");
    calibrate_cmd->add_flag("--in-place", calibrate_settings.in_place,
                            "With --write-back: write the fitted values into the preset files themselves");
    calibrate_cmd->add_option("--uncertainty", calibrate_settings.uncertainty,
                              "Evaluate N design points around the fit for the parameters' uncertainty (response surface)")
        ->check(CLI::Range(1, 100'000));
    calibrate_cmd->add_option("--products", calibrate_options.product_dirs, "Extra folder of product presets (repeatable)");
    calibrate_cmd->add_flag("-q,--quiet", calibrate_options.quiet, "Print nothing but errors");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? kExitOk : kExitBadInput;
    }
    if (*run_cmd) {
        const bool study = study_requested(run_options);
        const auto refuse = [](const char* message) {
            std::cerr << "cartsim: " << message << "; nothing was run\n";
            return kExitBadInput;
        };
        if (study && replicate_settings.replicates > 0)
            return refuse("--replicates is for one patient; a study (cohort, sweep or arms) draws its own patients");
        // A scenario that does not load is no study either: the run below names its errors (file, line,
        // key) instead of a complaint about the options.
        const bool loads = study || scenario_loads(run_options);
        if (!study && loads && (study_settings.resume || study_settings.attribute))
            return refuse("--resume and --attribute need a study (a scenario with cohort, sweep or arms)");
        if (!study && loads && replicate_settings.threads > 0 && replicate_settings.replicates == 0)
            return refuse("--threads needs --replicates or a study");
        if (study) {
            study_settings.threads = replicate_settings.threads;
            return command_study(run_options, output_dir, study_settings);
        }
        if (replicate_settings.replicates > 0) return command_replicates(run_options, output_dir, replicate_settings);
        return command_run(run_options, output_dir);
    }
    if (*check_cmd) return command_check(check_options);
    if (*params_cmd) return command_params(params_model, params_format);
    if (*schema_cmd) return command_schema(schema_kind, schema_file);
    if (*plot_cmd) return command_plot(plot_dir, plot_png);
    if (*report_cmd) return command_report(report_dir, report_file);
    if (*serve_cmd) return command_serve(serve_settings);
    if (*calibrate_cmd) return command_calibrate(calibrate_options, calibrate_dir, calibrate_settings);
    if (*validate_cmd) return command_validate(validate_inputs, validate_options, validate_dir, validate_settings);
    return kExitBadInput;
}

}  // namespace cartsim::cli
