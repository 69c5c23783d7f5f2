// The native half of the Python module (`cartsim._cartsim`, pybind11): loading with every problem
// returned as data, single runs, studies and the parameter table, each with the GIL released while
// cartsim works. cartsim/__init__.py turns the results into pandas DataFrames and dicts and raises
// ScenarioError; it is the documented API.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <sstream>

#include "src/cli/commands.hpp"
#include "src/cli/run_support.hpp"
#include "src/cli/version.hpp"
#include "src/config/emit.hpp"
#include "src/config/params.hpp"
#include "src/io/data_dir.hpp"
#include "src/study/study_loader.hpp"

namespace py = pybind11;
using namespace cartsim;

namespace {

cli::CommonOptions options_of(const std::string& path, const std::vector<std::string>& overrides,
                              const std::vector<std::string>& products) {
    cli::CommonOptions options;
    options.scenario = path;
    options.overrides = overrides;
    options.product_dirs = products;
    options.quiet = true;
    return options;
}

py::list error_list(const std::vector<config::ConfigError>& errors) {
    py::list out;
    for (const auto& e : errors) {
        py::dict d;
        d["file"] = e.file;
        d["line"] = e.line;
        d["column"] = e.column;
        d["key"] = e.key_path;
        d["message"] = e.message;
        d["text"] = e.format();
        out.append(std::move(d));
    }
    return out;
}

py::list warning_list(const std::vector<config::ConfigWarning>& warnings) {
    py::list out;
    for (const auto& w : warnings) out.append(w.format());
    return out;
}

/// {"errors": [...]} when the file does not load, else {"errors": [], "study": bool, "resolved_yaml": str,
/// "warnings": [str]}.
py::dict py_check(const std::string& path, const std::vector<std::string>& overrides, const std::vector<std::string>& products) {
    const auto options = options_of(path, overrides, products);
    py::dict out;
    const bool study = cli::study_requested(options);
    out["study"] = study;
    if (study) {
        std::optional<config::Result<study::LoadedStudy>> loaded;
        {
            py::gil_scoped_release release;
            loaded.emplace(study::load_study(path, cli::load_options(options)));
        }
        if (!*loaded) {
            out["errors"] = error_list(loaded->errors());
            return out;
        }
        out["errors"] = py::list();
        out["resolved_yaml"] = loaded->value().resolved_yaml;
        out["warnings"] = py::list();
        return out;
    }
    std::optional<config::Result<scenario::LoadedScenario>> loaded;
    {
        py::gil_scoped_release release;
        loaded.emplace(scenario::load_scenario(path, cli::load_options(options)));
    }
    if (!*loaded) {
        out["errors"] = error_list(loaded->errors());
        return out;
    }
    out["errors"] = py::list();
    out["resolved_yaml"] = config::to_yaml_string(loaded->value().resolved);
    out["warnings"] = warning_list(loaded->value().warnings);
    return out;
}

/// {"errors": [...]} or {"errors": [], "columns": [str], "values": 2-D float array, "summary_json": str,
/// "warnings": [str]}. Solver failures raise RuntimeError with the solver's message.
py::dict py_run(const std::string& path, const std::vector<std::string>& overrides, const std::vector<std::string>& products) {
    const auto options = options_of(path, overrides, products);
    py::dict out;
    if (cli::study_requested(options)) {
        out["errors"] = error_list({config::ConfigError{path, 0, 0, "", "this file is a study (cohort, sweep or arms): "
                                                                        "use cartsim.study()"}});
        return out;
    }
    std::optional<config::Result<scenario::LoadedScenario>> loaded;
    cli::SingleRun single;
    std::string failure;
    {
        py::gil_scoped_release release;
        loaded.emplace(scenario::load_scenario(path, cli::load_options(options)));
        if (*loaded) {
            try {
                single = cli::simulate_single(loaded->value().scenario, 0.0);
            } catch (const std::exception& e) {
                failure = e.what();
            }
        }
    }
    if (!*loaded) {
        out["errors"] = error_list(loaded->errors());
        return out;
    }
    if (!failure.empty()) throw std::runtime_error("cartsim: the run of " + path + " failed: " + failure);
    const auto& table = single.table;
    py::array_t<double> values({table.rows.size(), table.columns.size()});
    auto view = values.mutable_unchecked<2>();
    for (std::size_t r = 0; r < table.rows.size(); ++r)
        for (std::size_t c = 0; c < table.columns.size(); ++c) view(r, c) = table.rows[r][c];
    out["errors"] = py::list();
    out["columns"] = table.columns;
    out["values"] = std::move(values);
    out["summary_json"] = single.summary.dump(2);
    out["warnings"] = warning_list(loaded->value().warnings);
    return out;
}

/// Runs a study into `output_dir` exactly as `cartsim run STUDY -o OUTPUT_DIR` does; returns the exit
/// code and, when the file does not load, its problems.
py::dict py_study(const std::string& path, const std::vector<std::string>& overrides, const std::vector<std::string>& products,
               const std::string& output_dir, int threads, bool resume) {
    const auto options = options_of(path, overrides, products);
    py::dict out;
    std::optional<config::Result<study::LoadedStudy>> loaded;
    int code = 0;
    {
        py::gil_scoped_release release;
        loaded.emplace(study::load_study(path, cli::load_options(options)));
        if (*loaded) {
            cli::StudySettings settings;
            settings.threads = threads;
            settings.resume = resume;
            code = cli::command_study(options, output_dir, settings);
        }
    }
    out["errors"] = *loaded ? py::list() : error_list(loaded->errors());
    out["exit_code"] = *loaded ? code : 2;
    return out;
}

py::list py_params(const std::string& model) {
    py::list out;
    for (const auto& r : cli::param_rows(model)) {
        py::dict d;
        d["key"] = r.key_path;
        d["default"] = r.default_text;
        d["unit"] = r.unit;
        d["range"] = r.range_text;
        d["plausible"] = r.plausible_text;
        d["plausible_source"] = r.plausible_source;
        d["applies_when"] = r.applies_when;
        d["source"] = r.source;
        d["description"] = r.doc;
        out.append(std::move(d));
    }
    return out;
}

}  // namespace

PYBIND11_MODULE(_cartsim, m) {
    m.doc() = "cartsim's native module; use the cartsim package (cartsim/__init__.py)";
    m.def("check", &py_check, py::arg("path"), py::arg("overrides"), py::arg("products"));
    m.def("run", &py_run, py::arg("path"), py::arg("overrides"), py::arg("products"));
    m.def("study", &py_study, py::arg("path"), py::arg("overrides"), py::arg("products"), py::arg("output_dir"),
          py::arg("threads"), py::arg("resume"));
    m.def("params", &py_params, py::arg("model"));
    m.def("data_dir", [] { return io::data_dir().string(); });
    m.attr("__version__") = cli::version();
}
