#include "src/study/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "src/config/override.hpp"
#include "src/config/reader.hpp"
#include "src/io/atomic_file.hpp"
#include "src/io/csv.hpp"
#include "src/study/patient_row.hpp"
#include "src/study/runner.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::study {
namespace fs = std::filesystem;
using config::ConfigError;
using config::Node;

namespace {

double parse_value(const Node& node) {
    std::size_t used = 0;
    const double v = std::stod(node.text, &used);
    if (used != node.text.size()) throw std::invalid_argument(node.text);
    return v;
}

std::string exact(double v) { return fmt::format("{:.17g}", v); }

}  // namespace

config::Result<LoadedCalibration> load_calibration(const std::string& path) {
    auto root = config::load_yaml_file(path);
    if (!root) return root.errors();
    auto read = config::read_struct(root.value(), "", CalibrationSpec{});
    if (!read) return read.errors();
    LoadedCalibration c;
    c.path = path;
    c.spec = read.value();
    std::vector<ConfigError> errors;
    const fs::path folder = fs::absolute(fs::path(path)).parent_path();
    const Node* studies = root.value().find("studies");
    const Node* parameters = root.value().find("parameters");
    const auto origin_of = [](const Node* list, std::size_t i, const char* key) {
        if (!list || !list->is_sequence() || i >= list->items.size()) return list ? list->origin : config::Origin{};
        const Node& item = list->items[i];
        const Node* v = item.is_map() ? item.find(key) : nullptr;
        return v ? v->origin : item.origin;
    };
    if (c.spec.studies.empty())
        errors.push_back(config::make_error(root.value().origin, "studies", "name at least one validation study"));
    for (std::size_t i = 0; i < c.spec.studies.size(); ++i) {
        const fs::path file = fs::weakly_canonical(folder / c.spec.studies[i]);
        if (!fs::is_regular_file(file))
            errors.push_back(config::make_error(studies ? studies->items[i].origin : root.value().origin,
                                                fmt::format("studies[{}]", i), "no such file: " + file.string()));
        c.studies.push_back(file);
    }
    if (c.spec.parameters.empty())
        errors.push_back(config::make_error(root.value().origin, "parameters", "name at least one parameter to fit"));
    for (std::size_t i = 0; i < c.spec.parameters.size(); ++i) {
        const auto& p = c.spec.parameters[i];
        const std::string at = fmt::format("parameters[{}]", i);
        const fs::path file = fs::weakly_canonical(folder / p.file);
        c.files.push_back(file);
        c.start.push_back(0.0);
        if (!(p.low < p.high)) errors.push_back(config::make_error(origin_of(parameters, i, "low"), at + ".low", "must be below high"));
        if (p.scale == Scale::Log && !(p.low > 0.0))
            errors.push_back(config::make_error(origin_of(parameters, i, "low"), at + ".low", "must be above 0 on a log scale"));
        auto preset = config::load_yaml_file(file.string());
        if (!preset) {
            errors.push_back(config::make_error(origin_of(parameters, i, "file"), at + ".file", "cannot read " + file.string()));
            continue;
        }
        const Node* value = config::find_at(preset.value(), p.key);
        if (!value || !value->is_scalar()) {
            errors.push_back(config::make_error(origin_of(parameters, i, "key"), at + ".key",
                                                "'" + p.key + "' is not written in " + file.string() +
                                                    " (write its current value there first, so write-back has a place)"));
            continue;
        }
        try {
            c.start.back() = parse_value(*value);
        } catch (const std::exception&) {
            errors.push_back(config::make_error(value->origin, p.key, "expected a number, got '" + value->text + "'"));
            continue;
        }
        if (p.low < p.high && !(c.start.back() >= p.low && c.start.back() <= p.high))
            errors.push_back(config::make_error(origin_of(parameters, i, "low"), at,
                                                fmt::format("the current value {} in {} lies outside [{}, {}]", c.start.back(),
                                                            file.filename().string(), p.low, p.high)));
    }
    for (std::size_t i = 0; i < c.spec.parameters.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (c.files[i] == c.files[j] && c.spec.parameters[i].key == c.spec.parameters[j].key)
                errors.push_back(config::make_error(origin_of(parameters, i, "key"), fmt::format("parameters[{}]", i),
                                                    "listed twice"));
    if (!errors.empty()) return errors;
    return c;
}

double to_unit(const CalibrationParameter& p, double value) {
    const auto g = [&](double x) { return p.scale == Scale::Log ? std::log(x) : x; };
    return std::clamp((g(value) - g(p.low)) / (g(p.high) - g(p.low)), 0.0, 1.0);
}

double from_unit(const CalibrationParameter& p, double unit) {
    const double t = std::clamp(unit, 0.0, 1.0);
    if (p.scale == Scale::Log) return std::exp(std::log(p.low) + t * (std::log(p.high) - std::log(p.low)));
    return p.low + t * (p.high - p.low);
}

std::vector<scenario::PresetOverride> preset_overrides(const LoadedCalibration& c, const std::vector<double>& values) {
    std::vector<scenario::PresetOverride> out;
    for (std::size_t i = 0; i < values.size(); ++i)
        out.push_back({c.files[i], c.spec.parameters[i].key + "=" + exact(values[i])});
    return out;
}

Evaluation evaluate_calibration(const LoadedCalibration& c, const std::vector<double>& values, const EvaluationOptions& options) {
    Evaluation e;
    e.values = values;
    scenario::LoadOptions load = options.load;
    for (auto& o : preset_overrides(c, values)) load.preset_overrides.push_back(std::move(o));
    const int size = options.cohort_size > 0 ? options.cohort_size : c.spec.cohort_size;
    if (size > 0) load.overrides.push_back(fmt::format("cohort.size={}", size));
    for (const auto& file : c.studies) {
        auto loaded = load_study(file.string(), load);
        if (!loaded) throw std::runtime_error(config::format_errors(loaded.errors()));
        const LoadedStudy& st = loaded.value();
        const RowLayout layout = row_layout(st, {});
        RunnerOptions run;
        run.threads = options.threads;
        run.stop = options.stop;
        std::vector<std::string> lines;
        const auto stats = run_study(st, layout, run, [&](const std::string& row) { lines.push_back(row); });
        if (stats.interrupted) throw CalibrationInterrupted();
        PatientTable table;
        table.header = layout.header();
        for (const auto& line : lines) table.rows.push_back(io::split_csv_line(line));
        // Rows arrive in order of completion; sort by (group, patient) so sums do not depend on threads.
        const auto group = *table.column(st.kind == StudyKind::Sweep ? "point" : "arm");
        const auto patient = *table.column("patient");
        std::map<std::string, std::size_t> group_index;
        for (std::size_t g = 0; g < st.groups.size(); ++g) group_index[st.groups[g].name] = g;
        std::sort(table.rows.begin(), table.rows.end(), [&](const auto& a, const auto& b) {
            return std::pair(group_index[a[group]], std::stoi(a[patient])) < std::pair(group_index[b[group]], std::stoi(b[patient]));
        });
        auto results = evaluate_targets(st.spec.targets.targets, table, st.name);
        for (const auto& r : results)
            if (r.target.calibrated) e.distance += distance_term(r, st.base.horizon_days);
        e.results.insert(e.results.end(), results.begin(), results.end());
    }
    return e;
}

std::string history_header(const LoadedCalibration& c, const std::vector<TargetResult>& results) {
    std::vector<std::string> cells{"evaluation"};
    for (const auto& p : c.spec.parameters) cells.push_back(fs::path(p.file).stem().string() + ":" + p.key);
    cells.push_back("distance");
    for (const auto& r : results)
        if (r.target.calibrated) cells.push_back(r.target.trial + ": " + r.target.quantity);
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + io::csv_cell(cells[i]);
    return line;
}

std::string history_line(int evaluation, const Evaluation& e) {
    std::string line = std::to_string(evaluation);
    for (double v : e.values) line += "," + exact(v);
    line += "," + exact(e.distance);
    for (const auto& r : e.results)
        if (r.target.calibrated) line += "," + (r.model_value ? io::format_number(*r.model_value) : std::string());
    return line;
}

std::map<std::vector<double>, double> read_history(std::istream& in, std::size_t parameters) {
    std::map<std::vector<double>, double> out;
    std::string line;
    if (!std::getline(in, line)) return out;
    while (std::getline(in, line)) {
        const auto cells = io::split_csv_line(line);
        if (cells.size() < parameters + 2) continue;  // a line cut short by an interruption
        try {
            std::vector<double> values;
            for (std::size_t i = 0; i < parameters; ++i) values.push_back(std::stod(cells[1 + i]));
            out[values] = std::stod(cells[1 + parameters]);
        } catch (const std::exception&) {
            continue;
        }
    }
    return out;
}

void write_back(const fs::path& file, const std::string& key, double value, const std::string& comment) {
    auto root = config::load_yaml_file(file.string());
    if (!root) throw std::runtime_error(config::format_errors(root.errors()));
    const Node* node = config::find_at(root.value(), key);
    if (!node || !node->is_scalar() || node->origin.line <= 0)
        throw std::runtime_error(fmt::format("{}: '{}' is not written there as a value", file.string(), key));
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    const auto row = static_cast<std::size_t>(node->origin.line - 1);
    const auto col = static_cast<std::size_t>(node->origin.column - 1);
    if (row >= lines.size() || col >= lines[row].size()) throw std::runtime_error(file.string() + ": the value moved");
    std::string& text = lines[row];
    std::size_t end = col;
    while (end < text.size() && std::string_view(",}] \t#").find(text[end]) == std::string_view::npos) ++end;
    text.replace(col, end - col, fmt::format("{:.6g}", value));
    // One comment line above the value's line says what it was fitted to; a previous one is replaced.
    const std::size_t indent = text.find_first_not_of(' ');
    const std::string marker = "# fitted by cartsim calibrate";
    const std::string note = std::string(indent == std::string::npos ? 0 : indent, ' ') + marker + " " + comment;
    if (row > 0 && lines[row - 1].find(marker) != std::string::npos)
        lines[row - 1] = note;
    else
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(row), note);
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    io::write_file_atomic(file, out);
}

}  // namespace cartsim::study
