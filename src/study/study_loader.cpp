#include "src/study/study_loader.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <set>

#include <fmt/format.h>

#include "solvers/agents/counter_rng.hpp"
#include "src/config/emit.hpp"
#include "src/config/reader.hpp"
#include "src/config/suggest.hpp"
#include "src/io/column_names.hpp"
#include "src/simulate/regimen_plan.hpp"
#include "src/study/arms.hpp"
#include "src/study/design.hpp"
#include "src/study/group_values.hpp"
#include "src/study/sampling_bridge.hpp"
#include "src/study/seeds.hpp"
#include "src/study/summarize.hpp"

namespace cartsim::study {
using config::ConfigError;
using config::Node;

namespace {

constexpr std::array kStudyKeys{"cohort", "sweep", "arms", "targets", "seeds", "comparison"};

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
    const auto comparison_entry = take(root, "comparison");
    std::vector<ArmEntry> arms;
    if (comparison_entry) {
        if (auto spec = read_block<ComparisonSpec>(*comparison_entry, "comparison", errors)) study.spec.comparison = *spec;
        if (!arms_entry)
            errors.push_back(config::make_error(comparison_entry->key_origin, "comparison",
                                                "a comparison block needs arms to compare"));
    }
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
    if (study.kind != StudyKind::Cohort) {  // each arm, variant and point holds a copy of the tree: bound them first
        double trees = 0.0;
        if (study.kind == StudyKind::Sweep) trees = design_size(study.spec.sweep);
        for (const auto& arm : arms) trees += 1.0 + double(arm.variants.size());
        const double bytes = double(config::tree_bytes(root));
        if (trees * bytes > kMaxStudyBytes) {
            const bool swept = study.kind == StudyKind::Sweep;
            return config::make_error((swept ? sweep : arms_entry)->key_origin, swept ? "sweep" : "arms",
                                      fmt::format("{:.4g} {}, each a copy of the scenario ({} values, {:.3g} MB), would "
                                                  "take {:.3g} GB, more than {:.3g} GB (each copy is built and checked when "
                                                  "the study loads): make the scenario or the study smaller",
                                                  trees, swept ? "points" : "arms and variants", config::tree_size(root),
                                                  bytes / 1e6, trees * bytes / 1e9, kMaxStudyBytes / 1e9));
        }
    }
    if (study.kind == StudyKind::Trial) {
        for (const auto& arm : arms) {
            Group g{arm.name, root, {}, {}, {}};
            apply_change(g.root, arm.change, "arms[" + arm.name + "]", "in arm '" + arm.name + "'", errors);
            for (const auto& v : arm.variants) {
                GroupVariant variant{v.name, v.share, g.root};
                apply_change(variant.root, v.change, "arms[" + arm.name + "].variants[" + v.name + "]",
                             "in variant '" + v.name + "' of arm '" + arm.name + "'", errors);
                g.variants.push_back(std::move(variant));
            }
            study.groups.push_back(std::move(g));
        }
        const std::string& reference = study.spec.comparison.reference_arm;
        if (!reference.empty() && std::none_of(arms.begin(), arms.end(), [&](const ArmEntry& a) { return a.name == reference; })) {
            std::vector<std::string> names;
            for (const auto& a : arms) names.push_back(a.name);
            errors.push_back(config::make_error(comparison_entry->key_origin, "comparison.reference_arm",
                                                "no arm is called '" + reference + "'" +
                                                    config::suggestion_suffix(reference, names)));
        }
    } else if (study.kind == StudyKind::Sweep) {
        const auto points = design_points(study.spec.sweep);
        for (std::size_t i = 0; i < points.size(); ++i) {
            Group g{fmt::format("p{}", i), root, points[i], {}, {}};
            for (std::size_t k = 0; k < sweep_paths.size(); ++k)
                for (auto& e : config::apply_override(g.root, with_value(sweep_paths[k], points[i][k])))
                    errors.push_back(std::move(e));
            study.groups.push_back(std::move(g));
        }
    } else {
        study.groups.push_back(Group{"cohort", root, {}, {}, {}});
    }
    mark_group_values(study, arms, options.overrides, errors);
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
        std::vector<std::pair<Node*, std::string>> trees{{&g.root, study.kind == StudyKind::Trial ? "arm '" + g.name + "'" : ""}};
        for (auto& v : g.variants) trees.push_back({&v.root, "variant '" + v.name + "' of arm '" + g.name + "'"});
        for (auto& [tree, what] : trees) {
            scenario::expand_presets(*tree, path, options, errors);
            if (!errors.empty()) return errors;
            Node probe = *tree;
            for (std::size_t k = 0; k < study.cohort_paths.size(); ++k)
                for (auto e : config::apply_override(probe, with_value(study.cohort_paths[k], typical[k]))) {
                    e.message += " (cohort.parameters)";
                    errors.push_back(std::move(e));
                }
            if (errors.empty()) check_group(probe, path, what, origins, errors);
            if (!errors.empty()) return errors;
        }
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
        std::vector<const Node*> trees{&g.root};
        for (const auto& v : g.variants) trees.push_back(&v.root);
        for (const Node* tree : trees) {
            const Node* regimen = tree->find("regimen");
            if (regimen && regimen->is_sequence()) study.lines = std::max<int>(study.lines, static_cast<int>(regimen->items.size()));
            if (auto read = scenario::read_scenario(*tree, study.path, false))
                for (const auto& line : read.value().scenario.regimen)
                    for (Antigen a : simulate::line_targets(line))
                        if (std::find(study.antigens.begin(), study.antigens.end(), a) == study.antigens.end())
                            study.antigens.push_back(a);
        }
        study.any_variants = study.any_variants || !g.variants.empty();
    }
    std::sort(study.antigens.begin(), study.antigens.end());
    {  // patients.csv: one column per parameter path, and never two of one name
        std::vector<std::string> paths, columns;
        for (const auto& p : study.spec.cohort.parameters) paths.push_back(p.path);
        for (std::size_t k : study.sweep_columns) paths.push_back(study.spec.sweep.parameters[k].path);
        for (const auto& p : paths) columns.push_back(io::parameter_column(p));
        try {
            io::require_distinct_columns(columns, paths, "patients.csv");
        } catch (const std::invalid_argument& e) {
            return config::make_error(root.origin, study.kind == StudyKind::Sweep ? "sweep" : "cohort", e.what());
        }
    }
    // What ran: the base scenario and the study blocks as written.
    Node resolved = base.value().resolved;
    const std::optional<config::MapEntry>& seeds_block = seeds_entry;
    for (const auto* entry : {&seeds_block, &cohort, &sweep, &arms_entry, &targets_entry, &comparison_entry})
        if (*entry) resolved.set((*entry)->key, (*entry)->value, (*entry)->key_origin);
    study.resolved_yaml = config::to_yaml_string(resolved);
    return study;
}

namespace {
constexpr std::uint32_t kVariantStream = 0x7A41A7;  // which variant of an arm a patient gets
}  // namespace

std::optional<std::size_t> patient_variant(const LoadedStudy& study, std::size_t group, int patient) {
    const Group& g = study.groups.at(group);
    if (g.variants.empty()) return std::nullopt;
    // One uniform per patient, the same in every arm, so arms with the same shares give a patient
    // the same history.
    agents::CounterRng rng(agents::StreamKey{static_cast<std::uint64_t>(study.spec.cohort.seed),
                                             static_cast<std::uint32_t>(patient), kVariantStream, 0, 0});
    const double u = rng.uniform();
    double cumulative = 0.0;
    for (std::size_t v = 0; v < g.variants.size(); ++v) {
        cumulative += g.variants[v].share;
        if (u < cumulative) return v;
    }
    return g.variants.size() - 1;
}

config::Result<simulate::Scenario> patient_scenario(const LoadedStudy& study, std::size_t group, int patient,
                                                    const std::vector<double>& drawn) {
    const Group& g = study.groups.at(group);
    const auto variant = patient_variant(study, group, patient);
    Node root = variant ? g.variants[*variant].root : g.root;
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
