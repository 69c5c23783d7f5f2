#include "src/study/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "model/common/names.hpp"
#include "src/config/override.hpp"
#include "src/config/reader.hpp"
#include "src/io/atomic_file.hpp"
#include "src/io/column_names.hpp"
#include "src/io/csv.hpp"
#include "src/study/patient_row.hpp"
#include "src/study/runner.hpp"
#include "src/study/likelihood.hpp"
#include "src/study/seeds.hpp"
#include "src/study/study_loader.hpp"
#include "src/config/suggest.hpp"

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

namespace {

/// Where item i of a list (or its key) is written, for errors.
config::Origin origin_of(const Node* list, std::size_t i, const char* key, const config::Origin& fallback) {
    if (!list || !list->is_sequence() || i >= list->items.size()) return list ? list->origin : fallback;
    const Node& item = list->items[i];
    const Node* v = key && item.is_map() ? item.find(key) : nullptr;
    return v ? v->origin : item.origin;
}

struct ValidationSeeds {
    fs::path file;
    std::vector<int> seeds;
    int patients = 0;
};

/// The validation seeds of every study in `folders` (files that do not load as studies are skipped).
std::vector<ValidationSeeds> validation_seeds_in(const std::set<fs::path>& folders, const scenario::LoadOptions& options) {
    std::vector<ValidationSeeds> out;
    for (const auto& folder : folders) {
        std::error_code ec;
        std::vector<fs::path> files;
        for (const auto& e : fs::directory_iterator(folder, ec))
            if (e.path().extension() == ".yaml") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            auto st = load_study(file.string(), options);
            if (st && st.value().spec.has_targets) out.push_back({file, validation_seeds(st.value()), st.value().patients});
        }
    }
    return out;
}

}  // namespace

config::Result<LoadedCalibration> load_calibration(const std::string& path, const scenario::LoadOptions& options) {
    auto root = config::load_yaml_file(path);
    if (!root) return root.errors();
    auto read = config::read_struct(root.value(), "", CalibrationSpec{});
    if (!read) return read.errors();
    LoadedCalibration c;
    c.path = path;
    c.spec = read.value();
    std::vector<ConfigError> errors;
    const fs::path folder = fs::absolute(fs::path(path)).parent_path();
    const Node& top = root.value();
    const Node* studies = top.find("studies");
    const Node* parameters = top.find("parameters");
    const Node* seeds = top.find("seeds");
    if (c.spec.studies.empty()) errors.push_back(config::make_error(top.origin, "studies", "name at least one validation study"));
    for (std::size_t i = 0; i < c.spec.studies.size(); ++i) {
        const fs::path file = fs::weakly_canonical(folder / c.spec.studies[i]);
        if (!fs::is_regular_file(file))
            errors.push_back(config::make_error(origin_of(studies, i, nullptr, top.origin), fmt::format("studies[{}]", i),
                                                "no such file: " + file.string()));
        c.studies.push_back(file);
    }
    if (!c.spec.seeds.empty() && c.spec.seeds.size() != c.spec.studies.size())
        errors.push_back(config::make_error(seeds ? seeds->origin : top.origin, "seeds", "give one calibration seed per study"));
    if (c.spec.parameters.empty()) errors.push_back(config::make_error(top.origin, "parameters", "name at least one parameter to fit"));
    for (std::size_t i = 0; i < c.spec.parameters.size(); ++i) {
        const auto& p = c.spec.parameters[i];
        const std::string at = fmt::format("parameters[{}]", i);
        const auto where = [&](const char* key) { return origin_of(parameters, i, key, top.origin); };
        c.files.push_back(fs::weakly_canonical(folder / p.file));
        c.copies.emplace_back();
        for (const auto& copy : p.copies) c.copies.back().push_back(fs::weakly_canonical(folder / copy));
        c.start.push_back(0.0);
        c.fixed.emplace_back();
        if (!(p.low < p.high)) errors.push_back(config::make_error(where("low"), at + ".low", "must be below high"));
        if (p.scale == Scale::Log && !(p.low > 0.0))
            errors.push_back(config::make_error(where("low"), at + ".low", "must be above 0 on a log scale"));
        if (p.informed_by.empty())
            errors.push_back(config::make_error(where("key"), at + ".informed_by", "name the targets (ids) that inform this parameter"));
        if (p.prior && p.prior_source.empty())
            errors.push_back(config::make_error(where("prior"), at + ".prior_source", "say where the prior comes from"));
        for (const auto& file : [&] { auto all = c.copies.back(); all.insert(all.begin(), c.files.back()); return all; }()) {
            auto preset = config::load_yaml_file(file.string());
            if (!preset) {
                errors.push_back(config::make_error(where("file"), at + ".file", "cannot read " + file.string()));
                continue;
            }
            const Node* value = config::find_at(preset.value(), p.key);
            if (!value || !value->is_scalar()) {
                errors.push_back(config::make_error(where("key"), at + ".key",
                                                    "'" + p.key + "' is not written in " + file.string() +
                                                        " (write its current value there first, so write-back has a place)"));
                continue;
            }
            double v = 0.0;
            try {
                v = parse_value(*value);
            } catch (const std::exception&) {
                errors.push_back(config::make_error(value->origin, p.key, "expected a number, got '" + value->text + "'"));
                continue;
            }
            if (file == c.files.back()) {
                c.start.back() = v;
                if (p.low < p.high && !(v >= p.low && v <= p.high))
                    errors.push_back(config::make_error(where("low"), at,
                                                        fmt::format("the current value {} in {} lies outside [{}, {}]", v,
                                                                    file.filename().string(), p.low, p.high)));
            } else if (v != c.start.back()) {
                errors.push_back(config::make_error(where("copies"), at + ".copies",
                                                    fmt::format("{} holds {} where {} holds {}: copies must agree", file.string(), v,
                                                                c.files.back().filename().string(), c.start.back())));
            }
        }
    }
    for (std::size_t i = 0; i < c.spec.parameters.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (c.files[i] == c.files[j] && c.spec.parameters[i].key == c.spec.parameters[j].key)
                errors.push_back(config::make_error(origin_of(parameters, i, "key", top.origin), fmt::format("parameters[{}]", i),
                                                    "listed twice"));
    if (!errors.empty()) return errors;

    // The studies: their targets (by id) and the seeds the fit may use.
    std::map<std::string, std::pair<TargetSpec, fs::path>> targets;
    std::set<fs::path> folders;
    std::vector<int> sizes;  // patients per study in an evaluation
    for (std::size_t i = 0; i < c.studies.size(); ++i) {
        const config::Origin at = origin_of(studies, i, nullptr, top.origin);
        auto st = load_study(c.studies[i].string(), options);
        if (!st) return st.errors();
        const LoadedStudy& study = st.value();
        folders.insert(c.studies[i].parent_path());
        sizes.push_back(c.spec.cohort_size > 0 ? c.spec.cohort_size : study.patients);
        c.study_targets.emplace_back();
        for (const auto& t : study.spec.targets.targets) c.study_targets.back().insert(t.id);
        if (!study.spec.has_targets) {
            errors.push_back(config::make_error(at, fmt::format("studies[{}]", i), c.studies[i].string() + " has no targets: block"));
            continue;
        }
        for (const auto& t : study.spec.targets.targets) {
            const auto [it, fresh] = targets.insert({t.id, {t, c.studies[i]}});
            if (!fresh && it->second.second != c.studies[i])
                errors.push_back(config::make_error(at, fmt::format("studies[{}]", i),
                                                    fmt::format("target id '{}' is used in {} and {}", t.id,
                                                                it->second.second.string(), c.studies[i].string())));
        }
        int seed = -1;
        if (!c.spec.seeds.empty()) seed = static_cast<int>(c.spec.seeds[i]);
        else if (study.spec.has_seeds) seed = study.spec.seeds.calibration;
        if (seed < 0)
            errors.push_back(config::make_error(at, fmt::format("studies[{}]", i),
                                                c.studies[i].string() + " states no calibration seed (seeds: {calibration: N, "
                                                                        "validation: [...]}), so the fit could draw validation patients"));
        c.seeds.push_back(seed);
    }
    for (std::size_t i = 0; i < c.spec.parameters.size(); ++i)
        for (const auto& id : c.spec.parameters[i].informed_by) {
            const config::Origin at = origin_of(parameters, i, "informed_by", top.origin);
            const std::string key = fmt::format("parameters[{}].informed_by", i);
            const auto it = targets.find(id);
            if (it == targets.end()) {
                std::vector<std::string> ids;
                for (const auto& [known, _] : targets) ids.push_back(known);
                errors.push_back(config::make_error(at, key, "no target '" + id + "' in the studies" + config::suggestion_suffix(id, ids)));
                continue;
            }
            const TargetSpec& t = it->second.first;
            if (t.status != TargetStatus::Calibrated)
                errors.push_back(config::make_error(at, key, fmt::format("target '{}' ({}) is marked {}: a target a fit uses is "
                                                                         "calibrated (change its status in {})",
                                                                         id, it->second.second.filename().string(), enum_name(t.status),
                                                                         it->second.second.string())));
            else if (likelihood_form(t) == LikelihoodForm::None)
                errors.push_back(config::make_error(at, key, fmt::format("target '{}' has an assumed band and no likelihood: it "
                                                                         "cannot enter an objective", id)));
            c.objective.insert(id);
        }
    // Calibration patients are never validation patients, in any study beside these: no shared cohort seed,
    // and no overlap of the patients' own seeds (seed + i).
    for (const auto& v : validation_seeds_in(folders, options))
        for (std::size_t i = 0; i < c.seeds.size(); ++i) {
            if (c.seeds[i] < 0) continue;
            for (int seed : v.seeds) {
                const bool same = seed == c.seeds[i];
                const bool overlap = c.seeds[i] < seed + v.patients && seed < c.seeds[i] + sizes[i];
                if (!same && !overlap) continue;
                errors.push_back(config::make_error(
                    c.spec.seeds.empty() ? origin_of(studies, i, nullptr, top.origin) : origin_of(seeds, i, nullptr, top.origin),
                    c.spec.seeds.empty() ? fmt::format("studies[{}]", i) : fmt::format("seeds[{}]", i),
                    same ? fmt::format("calibration seed {} for {} is a validation seed of {}: the fit must not see validation "
                                       "patients",
                                       c.seeds[i], c.studies[i].filename().string(), v.file.string())
                         : fmt::format("calibration seed {} for {} lies within {} patients of the validation seed {} of {}: "
                                       "patient i's own random parts use seed + i, so the two sets would share them",
                                       c.seeds[i], c.studies[i].filename().string(), std::max(sizes[i], v.patients), seed,
                                       v.file.string())));
                break;
            }
        }
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

std::vector<BoundHit> parameters_at_bounds(const LoadedCalibration& c, const std::vector<double>& values, double margin) {
    std::vector<BoundHit> hits;
    for (std::size_t i = 0; i < values.size() && i < c.spec.parameters.size(); ++i) {
        if (i < c.fixed.size() && c.fixed[i]) continue;
        const auto& p = c.spec.parameters[i];
        const double unit = to_unit(p, values[i]);
        if (unit <= margin) hits.push_back({i, false, p.low});
        else if (unit >= 1.0 - margin) hits.push_back({i, true, p.high});
    }
    return hits;
}

std::vector<scenario::PresetOverride> preset_overrides(const LoadedCalibration& c, const std::vector<double>& values) {
    std::vector<scenario::PresetOverride> out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        out.push_back({c.files[i], c.spec.parameters[i].key + "=" + exact(values[i])});
        for (const auto& copy : c.copies[i]) out.push_back({copy, c.spec.parameters[i].key + "=" + exact(values[i])});
    }
    return out;
}

StudyTargets run_study_targets(const std::string& file, const scenario::LoadOptions& load, int threads,
                              const std::atomic<bool>* stop) {
    auto loaded = load_study(file, load);
    if (!loaded) throw std::runtime_error(config::format_errors(loaded.errors()));
    const LoadedStudy& st = loaded.value();
    const RowLayout layout = row_layout(st, {});
    RunnerOptions run;
    run.threads = threads;
    run.stop = stop;
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
    return {evaluate_targets(st.spec.targets.targets, table, st.name), st.base.horizon_days};
}

Evaluation evaluate_calibration(const LoadedCalibration& c, const std::vector<double>& values, const EvaluationOptions& options) {
    Evaluation e;
    e.values = values;
    const int size = options.cohort_size > 0 ? options.cohort_size : c.spec.cohort_size;
    for (std::size_t s = 0; s < c.studies.size(); ++s) {
        if (options.objective_only && s < c.study_targets.size() &&
            std::none_of(c.study_targets[s].begin(), c.study_targets[s].end(), [&](const auto& id) { return c.objective.count(id) > 0; }))
            continue;
        scenario::LoadOptions load = options.load;
        for (auto& o : preset_overrides(c, values)) load.preset_overrides.push_back(std::move(o));
        if (size > 0) load.overrides.push_back(fmt::format("cohort.size={}", size));
        load.cohort_seed = c.seeds[s];
        const StudyTargets st = run_study_targets(c.studies[s].string(), load, options.threads, options.stop);
        for (const auto& r : st.results)
            if (c.objective.count(r.target.id)) e.deviance += deviance(r, st.horizon_days);
        e.results.insert(e.results.end(), st.results.begin(), st.results.end());
    }
    return e;
}

std::string history_header(const LoadedCalibration& c) {
    std::vector<std::string> cells{"evaluation"};
    // The output contract (src/io/column_names.hpp): a parameter as preset.key, a target by its id.
    for (const auto& p : c.spec.parameters) cells.push_back(io::parameter_column(fs::path(p.file).stem().string() + "." + p.key));
    cells.push_back("deviance");
    for (const auto& id : c.objective) cells.push_back("target_" + column_safe(id));
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + io::csv_cell(cells[i]);
    return line;
}

std::string history_line(int evaluation, const LoadedCalibration& c, const Evaluation& e) {
    std::string line = std::to_string(evaluation);
    for (double v : e.values) line += "," + exact(v);
    line += "," + exact(e.deviance);
    for (const auto& id : c.objective) {
        const auto it = std::find_if(e.results.begin(), e.results.end(), [&](const auto& r) { return r.target.id == id; });
        line += "," + (it != e.results.end() && it->model_value ? io::format_number(*it->model_value) : std::string());
    }
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
