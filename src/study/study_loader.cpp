#include "src/study/study_loader.hpp"

#include <climits>
#include <cstdlib>
#include <set>

#include <fmt/format.h>

#include "src/config/emit.hpp"
#include "src/config/reader.hpp"
#include "src/config/suggest.hpp"
#include "src/study/design.hpp"
#include "src/study/sampling_bridge.hpp"
#include "src/study/seeds.hpp"
#include "src/study/summarize.hpp"

namespace cartsim::study {
using config::ConfigError;
using config::Node;

namespace {

constexpr std::array kStudyKeys{"cohort", "sweep", "arms", "targets", "seeds"};

/// Takes `key` out of the map (null node when absent).
std::optional<config::MapEntry> take(Node& root, std::string_view key) {
    for (auto it = root.entries.begin(); it != root.entries.end(); ++it) {
        if (it->key != key) continue;
        config::MapEntry entry = std::move(*it);
        root.entries.erase(it);
        return entry;
    }
    return std::nullopt;
}

ConfigError problem_at(const config::Origin& origin, const std::string& problem) {
    const auto colon = problem.find(": ");
    if (colon != std::string::npos && problem.find(' ') > colon)
        return config::make_error(origin, problem.substr(0, colon), problem.substr(colon + 2));
    return config::make_error(origin, "", problem);
}

/// A problem "targets[i].key: message" placed on the line of list item i (else of the block).
ConfigError located(const Node& list, const std::string& problem) {
    const auto open = problem.find('['), close = problem.find(']');
    if (list.is_sequence() && open != std::string::npos && close != std::string::npos && open < close) {
        try {
            const auto i = std::stoul(problem.substr(open + 1, close - open - 1));
            if (i < list.items.size()) {
                const Node& item = list.items[i];
                const auto colon = problem.find(": ");
                const std::string key = problem.substr(close + 2, colon == std::string::npos ? 0 : colon - close - 2);
                const Node* value = item.is_map() && !key.empty() ? item.find(key) : nullptr;
                return problem_at(value ? value->origin : item.origin, problem);
            }
        } catch (const std::exception&) {
        }
    }
    return problem_at(list.origin, problem);
}

struct ArmEntry {
    std::string name;
    std::optional<Node> regimen;
    std::vector<std::pair<std::string, config::Origin>> overrides;
};

/// arms: a list of {name, regimen, set}; strict like every other block.
std::vector<ArmEntry> read_arms(const config::MapEntry& entry, std::vector<ConfigError>& errors) {
    std::vector<ArmEntry> arms;
    const Node& list = entry.value;
    if (!list.is_sequence() || list.items.empty()) {
        errors.push_back(config::make_error(list.origin, "arms", "expected a list of arms, got " + config::describe_node(list)));
        return arms;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.items.size(); ++i) {
        const Node& item = list.items[i];
        const std::string at = fmt::format("arms[{}]", i);
        if (!item.is_map()) {
            errors.push_back(config::make_error(item.origin, at, "expected a map, got " + config::describe_node(item)));
            continue;
        }
        ArmEntry arm;
        for (const auto& e : item.entries) {
            if (e.key == "name" && e.value.is_scalar()) {
                arm.name = e.value.text;
            } else if (e.key == "regimen") {
                arm.regimen = e.value;
            } else if (e.key == "set" && e.value.is_sequence()) {
                for (const Node& o : e.value.items) {
                    if (o.is_scalar()) arm.overrides.push_back({o.text, o.origin});
                    else errors.push_back(config::make_error(o.origin, at + ".set", "expected 'path=value', got " +
                                                                                       config::describe_node(o)));
                }
            } else if (e.key == "description") {
            } else if (e.key == "name" || e.key == "set") {
                errors.push_back(config::make_error(e.value.origin, at + "." + e.key,
                                                    e.key == "name" ? "expected a name" : "expected a list of 'path=value'"));
            } else {
                errors.push_back(config::make_error(
                    e.key_origin, at + "." + e.key,
                    "unknown key" + config::suggestion_suffix(e.key, {"name", "description", "regimen", "set"})));
            }
        }
        if (arm.name.empty()) errors.push_back(config::make_error(item.origin, at + ".name", "every arm needs a name"));
        else if (!names.insert(arm.name).second)
            errors.push_back(config::make_error(item.origin, at + ".name", "arm '" + arm.name + "' is listed twice"));
        arms.push_back(std::move(arm));
    }
    return arms;
}

template <class Spec>
std::optional<Spec> read_block(const config::MapEntry& entry, const char* key, std::vector<ConfigError>& errors) {
    auto read = config::read_struct(entry.value, key, Spec{});
    if (!read) {
        for (const auto& e : read.errors()) errors.push_back(e);
        return std::nullopt;
    }
    for (const auto& problem : validate(read.value())) errors.push_back(problem_at(entry.key_origin, problem));
    return read.value();
}

/// An override of `path` whose value is filled in later; errors in its value name the block's line.
std::optional<config::Override> path_override(const std::string& path, const config::Origin& origin,
                                              const std::string& at, std::vector<ConfigError>& errors) {
    auto parsed = config::parse_override(path + "=0");
    if (!parsed) {
        errors.push_back(config::make_error(origin, at, "'" + path + "' is not a parameter path"));
        return std::nullopt;
    }
    return parsed.value();
}

config::Override with_value(config::Override change, double value) {
    change.value = Node::scalar(fmt::format("{}", value));
    change.text = fmt::format("{}={}", change.text.substr(0, change.text.rfind('=')), value);
    return change;
}

/// Where each parameter path of a block is written: errors about a path point at its line.
using PathOrigins = std::vector<std::pair<std::string, config::Origin>>;

void add_path_origins(const std::optional<config::MapEntry>& block, PathOrigins& out) {
    if (!block) return;
    const Node* parameters = block->value.find("parameters");
    if (!parameters || !parameters->is_sequence()) return;
    for (const Node& p : parameters->items)
        if (const Node* path = p.find("path"); path && path->is_scalar()) out.push_back({path->text, path->origin});
}

/// Checks a group scenario (with sample values in place) at load time, naming `where` in errors.
/// An error raised by a study path (an override whose text starts with the path) points at the line
/// where the path is written.
void check_group(const Node& root, const std::string& path, const std::string& where, const PathOrigins& origins,
                 std::vector<ConfigError>& errors) {
    auto read = scenario::read_scenario(root, path, false);
    if (read) return;
    for (auto e : read.errors()) {
        bool placed = false;
        for (const auto& [text, origin] : origins) {
            if (e.file.rfind("--set " + text + "=", 0) != 0) continue;
            e.file = origin.file;
            e.line = origin.line;
            e.column = origin.column;
            if (e.key_path.empty()) e.key_path = text;
            placed = true;
            break;
        }
        if (!placed && !where.empty()) e.message += " (in " + where + ")";
        errors.push_back(std::move(e));
    }
}

/// A path as written, without spaces, for comparing a sweep or arm path with a drawn one.
std::string path_key(std::string_view path) {
    std::string out;
    for (char c : path)
        if (c != ' ' && c != '\t') out += c;
    return out;
}

/// The rule for a path that the cohort draws and a sweep or an arm also sets: the sweep or arm value
/// wins for that group (Group::sets), patients.csv keeps one column (the value used), and `check` says so.
void mark_group_values(LoadedStudy& study, const std::vector<ArmEntry>& arms, std::vector<ConfigError>& errors) {
    const auto& drawn = study.spec.cohort.parameters;
    const auto drawn_index = [&](std::string_view path) -> std::optional<std::size_t> {
        for (std::size_t k = 0; k < drawn.size(); ++k)
            if (path_key(drawn[k].path) == path_key(path)) return k;
        return std::nullopt;
    };
    for (auto& g : study.groups) g.sets.assign(drawn.size(), std::nullopt);
    const auto& sweep = study.spec.sweep.parameters;
    for (std::size_t j = 0; j < sweep.size(); ++j) {
        const auto k = drawn_index(sweep[j].path);
        if (!k) {
            study.sweep_columns.push_back(j);
            continue;
        }
        for (auto& g : study.groups)
            if (j < g.point.size()) g.sets[*k] = g.point[j];
        study.precedence.push_back(fmt::format("{} is drawn by the cohort and swept: the sweep's value wins at every point "
                                               "(one patients.csv column, the value used)",
                                               drawn[*k].path));
    }
    if (study.kind != StudyKind::Trial) return;
    for (std::size_t a = 0; a < arms.size() && a < study.groups.size(); ++a)
        for (const auto& [text, origin] : arms[a].overrides) {
            const auto eq = text.find('=');
            if (eq == std::string::npos) continue;
            const auto k = drawn_index(text.substr(0, eq));
            if (!k) continue;
            try {
                std::size_t used = 0;
                const std::string value = path_key(text.substr(eq + 1));
                const double v = std::stod(value, &used);
                if (used != value.size()) throw std::invalid_argument(value);
                study.groups[a].sets[*k] = v;
            } catch (const std::exception&) {
                errors.push_back(config::make_error(origin, "arms[" + arms[a].name + "].set",
                                                    "'" + drawn[*k].path + "' is drawn by the cohort; an arm that sets it needs a number"));
                continue;
            }
            study.precedence.push_back(fmt::format("{} is drawn by the cohort and set by arm '{}': the arm's value wins there "
                                                   "(one patients.csv column, the value used)",
                                                   drawn[*k].path, arms[a].name));
        }
}

}  // namespace

bool has_study_blocks(const Node& root) {
    for (const char* key : kStudyKeys)
        if (root.find(key)) return true;
    return false;
}

config::Result<LoadedStudy> load_study(const std::string& path, const scenario::LoadOptions& options) {
    auto prepared = scenario::prepare_scenario(path, options);
    if (!prepared) return prepared.errors();
    Node root = std::move(prepared.value());
    std::vector<ConfigError> errors;
    LoadedStudy study;
    study.path = path;
    std::optional<config::MapEntry> seeds_entry;
    errors = apply_seeds(root, path, options, study.spec, seeds_entry);
    if (!errors.empty()) return errors;

    const auto cohort = take(root, "cohort");
    const auto sweep = take(root, "sweep");
    const auto arms_entry = take(root, "arms");
    const auto targets_entry = take(root, "targets");
    std::vector<ArmEntry> arms;
    if (cohort) {
        if (auto spec = read_block<CohortSpec>(*cohort, "cohort", errors)) study.spec.cohort = *spec;
        study.spec.has_cohort = true;
    }
    if (sweep) {
        if (auto spec = read_block<SweepSpec>(*sweep, "sweep", errors)) study.spec.sweep = *spec;
        study.spec.has_sweep = true;
    }
    if (arms_entry) {
        arms = read_arms(*arms_entry, errors);
        study.spec.has_arms = true;
    }
    if (cohort && errors.empty()) {
        try {
            check_correlations(study.spec.cohort);
        } catch (const std::invalid_argument& e) {
            errors.push_back(config::make_error(cohort->key_origin, "cohort.correlations", e.what()));
        }
    }
    if (sweep && study.spec.sweep.design == SweepDesign::Sobol) {
        const auto& names = group_endpoints();
        if (std::find(names.begin(), names.end(), study.spec.sweep.endpoint) == names.end())
            errors.push_back(config::make_error(sweep->key_origin, "sweep.endpoint",
                                                "unknown endpoint '" + study.spec.sweep.endpoint + "'" +
                                                    config::suggestion_suffix(study.spec.sweep.endpoint, names)));
        if (study.spec.sweep.points < 2)
            errors.push_back(config::make_error(sweep->key_origin, "sweep.points", "a Sobol design needs at least 2 base points"));
    }
    if (sweep && arms_entry)
        errors.push_back(config::make_error(arms_entry->key_origin, "arms",
                                            "a study has arms or a sweep, not both (run one study per arm)"));
    if (!errors.empty()) return errors;

    // Path templates, checked against the scenario below with a typical value in place.
    std::vector<config::Override> sweep_paths;
    for (const auto& p : study.spec.cohort.parameters)
        if (auto o = path_override(p.path, cohort->key_origin, "cohort.parameters", errors)) study.cohort_paths.push_back(*o);
    for (const auto& p : study.spec.sweep.parameters)
        if (auto o = path_override(p.path, sweep->key_origin, "sweep.parameters", errors)) sweep_paths.push_back(*o);
    if (!errors.empty()) return errors;

    study.kind = sweep ? StudyKind::Sweep : arms_entry ? StudyKind::Trial : StudyKind::Cohort;
    if (study.kind == StudyKind::Trial) {
        for (const auto& arm : arms) {
            Group g{arm.name, root, {}, {}};
            if (arm.regimen) g.root.set("regimen", *arm.regimen, arm.regimen->origin);
            for (const auto& [text, origin] : arm.overrides) {
                auto change = config::parse_override(text);
                if (!change) {
                    errors.push_back(config::make_error(origin, "arms[" + arm.name + "].set", change.errors().front().message));
                    continue;
                }
                for (auto& e : config::apply_override(g.root, change.value())) {
                    e.message += " (in arm '" + arm.name + "')";
                    errors.push_back(std::move(e));
                }
            }
            study.groups.push_back(std::move(g));
        }
    } else if (study.kind == StudyKind::Sweep) {
        const auto points = design_points(study.spec.sweep);
        for (std::size_t i = 0; i < points.size(); ++i) {
            Group g{fmt::format("p{}", i), root, points[i], {}};
            for (std::size_t k = 0; k < sweep_paths.size(); ++k)
                for (auto& e : config::apply_override(g.root, with_value(sweep_paths[k], points[i][k])))
                    errors.push_back(std::move(e));
            study.groups.push_back(std::move(g));
        }
    } else {
        study.groups.push_back(Group{"cohort", root, {}, {}});
    }
    mark_group_values(study, arms, errors);
    if (targets_entry) {
        // Read through a wrapper map so the list is as strict as every other block.
        Node wrapper = Node::map(targets_entry->key_origin);
        wrapper.set("targets", targets_entry->value, targets_entry->key_origin);
        auto read = config::read_struct(wrapper, "", TargetsSpec{});
        if (!read) {
            for (const auto& e : read.errors()) errors.push_back(e);
        } else {
            std::vector<std::string> names;
            for (const auto& g : study.groups) names.push_back(g.name);
            for (const auto& problem : validate(read.value(), names)) errors.push_back(located(targets_entry->value, problem));
            study.spec.targets = read.value();
            study.spec.has_targets = true;
        }
    }
    if (!errors.empty()) return errors;

    // Presets, then every group read once with the cohort's median draws in place: a misspelt path
    // or a value of the wrong kind fails here, not in patient 1 of 1,000.
    const std::vector<double> typical = median_draws(study.spec.cohort);
    PathOrigins origins;
    add_path_origins(cohort, origins);
    add_path_origins(sweep, origins);
    for (auto& g : study.groups) {
        scenario::expand_presets(g.root, path, options, errors);
        if (!errors.empty()) return errors;
        Node probe = g.root;
        for (std::size_t k = 0; k < study.cohort_paths.size(); ++k)
            for (auto e : config::apply_override(probe, with_value(study.cohort_paths[k], typical[k]))) {
                e.message += " (cohort.parameters)";
                errors.push_back(std::move(e));
            }
        if (errors.empty())
            check_group(probe, path, study.kind == StudyKind::Trial ? "arm '" + g.name + "'" : "", origins, errors);
        if (!errors.empty()) return errors;
    }

    auto base = scenario::read_scenario(study.groups.front().root, path);
    if (!base) return base.errors();
    study.base = base.value().scenario;
    study.name = study.base.name;
    if (study.base.model != simulate::ModelKind::Myeloma)
        return config::make_error(root.origin, "model", "studies need model: myeloma");
    study.patients = study.spec.has_cohort ? study.spec.cohort.size : 1;
    if (study.spec.has_seeds) {
        // Patient i's own random parts use seed + i: two seeds closer than the cohort size would share them.
        std::vector<long long> all{study.spec.seeds.calibration};
        for (double v : study.spec.seeds.validation) all.push_back(static_cast<long long>(v));
        for (std::size_t a = 0; a < all.size(); ++a)
            for (std::size_t b = 0; b < a; ++b)
                if (std::llabs(all[a] - all[b]) < study.patients)
                    return config::make_error(seeds_entry->value.origin, "seeds",
                                              fmt::format("seeds {} and {} lie closer than the cohort size ({}): patient i's own "
                                                          "random parts use seed + i, so the two sets would share them",
                                                          all[b], all[a], study.patients));
    }
    if (static_cast<long long>(study.base.seed) + study.patients - 1 > INT_MAX)
        return config::make_error(root.origin, "seed", "seed + cohort size must stay below 2147483648");
    for (const auto& g : study.groups) {
        const Node* regimen = g.root.find("regimen");
        if (regimen && regimen->is_sequence()) study.lines = std::max<int>(study.lines, static_cast<int>(regimen->items.size()));
    }
    // What ran: the base scenario and the study blocks as written.
    Node resolved = base.value().resolved;
    const std::optional<config::MapEntry>& seeds_block = seeds_entry;
    for (const auto* entry : {&seeds_block, &cohort, &sweep, &arms_entry, &targets_entry})
        if (*entry) resolved.set((*entry)->key, (*entry)->value, (*entry)->key_origin);
    study.resolved_yaml = config::to_yaml_string(resolved);
    return study;
}

config::Result<simulate::Scenario> patient_scenario(const LoadedStudy& study, std::size_t group, int patient,
                                                    const std::vector<double>& drawn) {
    const Group& g = study.groups.at(group);
    Node root = g.root;
    std::vector<ConfigError> errors;
    for (std::size_t k = 0; k < study.cohort_paths.size() && k < drawn.size(); ++k) {
        if (k < g.sets.size() && g.sets[k]) continue;  // the group's own value is in its tree already
        for (auto& e : config::apply_override(root, with_value(study.cohort_paths[k], drawn[k]))) errors.push_back(e);
    }
    if (!errors.empty()) return errors;
    auto read = scenario::read_scenario(root, study.path, false);
    if (!read) return read.errors();
    simulate::Scenario s = std::move(read.value().scenario);
    s.seed = patient_seed(study, patient);
    return s;
}

std::vector<double> row_parameters(const LoadedStudy& study, std::size_t group, const std::vector<double>& drawn) {
    const Group& g = study.groups.at(group);
    std::vector<double> out = drawn;
    for (std::size_t k = 0; k < out.size() && k < g.sets.size(); ++k)
        if (g.sets[k]) out[k] = *g.sets[k];
    for (std::size_t k : study.sweep_columns)
        if (k < g.point.size()) out.push_back(g.point[k]);
    return out;
}

int patient_seed(const LoadedStudy& study, int patient) { return study.base.seed + patient; }

}  // namespace cartsim::study
