#include "src/scenario/loader.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "src/config/merge.hpp"
#include "src/config/override.hpp"
#include "src/config/plausibility.hpp"
#include "src/config/reader.hpp"
#include "src/config/suggest.hpp"
#include "src/config/writer.hpp"
#include "src/io/data_dir.hpp"

namespace cartsim::scenario {
namespace fs = std::filesystem;
using config::ConfigError;
using config::Node;

namespace {

/// `folder` next to the scenario or in a `scenarios` folder above it (up to 4 levels), then the
/// data folder's scenarios/<folder> (the installed presets, or the source tree's; src/io/data_dir.hpp).
std::vector<fs::path> preset_folders(const std::string& scenario_path, const std::vector<fs::path>& given,
                                     const char* folder) {
    std::vector<fs::path> dirs = given;
    std::error_code ec;
    fs::path dir = fs::absolute(fs::path(scenario_path), ec).parent_path();
    for (int depth = 0; depth < 4 && !dir.empty(); ++depth) {
        for (const fs::path& candidate : {dir / folder, dir / "scenarios" / folder})
            if (fs::is_directory(candidate, ec)) dirs.push_back(candidate);
        if (dir == dir.parent_path()) break;
        dir = dir.parent_path();
    }
    dirs.push_back(io::data_dir() / "scenarios" / folder);
    return dirs;
}

fs::path canonical_or_same(const fs::path& p) {
    std::error_code ec;
    auto c = fs::weakly_canonical(p, ec);
    return ec ? p : c;
}

}  // namespace

std::vector<fs::path> product_search_path(const std::string& scenario_path, const std::vector<fs::path>& given) {
    return preset_folders(scenario_path, given, "products");
}

std::vector<fs::path> population_search_path(const std::string& scenario_path) {
    return preset_folders(scenario_path, {}, "populations");
}

config::Result<Node> load_preset(const fs::path& file, const LoadOptions& options) {
    auto preset = config::load_yaml_file(file.string());
    if (!preset || options.preset_overrides.empty()) return preset;
    const fs::path canonical = canonical_or_same(file);
    std::vector<ConfigError> errors;
    for (const auto& o : options.preset_overrides) {
        if (canonical_or_same(o.file) != canonical) continue;
        auto change = config::parse_override(o.change);
        if (!change) return change.errors();
        for (auto& e : config::apply_override(preset.value(), change.value())) {
            e.message += " (preset " + file.string() + ")";
            errors.push_back(std::move(e));
        }
    }
    if (!errors.empty()) return errors;
    return preset;
}

namespace {

/// Merges two lists of maps entry by entry: an overlay entry replaces the base entry with the same
/// key (`key_of`), other overlay entries are appended.
template <class KeyOf>
Node merge_keyed_list(const Node& base, const Node& overlay, KeyOf key_of) {
    if (!base.is_sequence() || !overlay.is_sequence()) return overlay;
    Node merged = base;
    for (const Node& item : overlay.items) {
        const auto key = key_of(item);
        auto same = std::find_if(merged.items.begin(), merged.items.end(),
                                 [&](const Node& existing) { return key && key_of(existing) == key; });
        if (same != merged.items.end())
            *same = item;
        else
            merged.items.push_back(item);
    }
    return merged;
}

std::optional<std::string> text_of(const Node& item, const char* key) {
    const Node* v = item.is_map() ? item.find(key) : nullptr;
    return v && v->is_scalar() ? std::optional<std::string>(v->text) : std::nullopt;
}

}  // namespace

Node merge_population(const Node& population, const Node& study) {
    Node merged = config::deep_merge(population, study);
    const Node* base_cohort = population.find("cohort");
    const Node* own_cohort = study.find("cohort");
    if (!base_cohort || !own_cohort || !base_cohort->is_map() || !own_cohort->is_map()) return merged;
    Node* cohort = merged.find("cohort");
    if (const Node *b = base_cohort->find("parameters"), *o = own_cohort->find("parameters"); b && o)
        cohort->set("parameters", merge_keyed_list(*b, *o, [](const Node& n) { return text_of(n, "path"); }), o->origin);
    if (const Node *b = base_cohort->find("correlations"), *o = own_cohort->find("correlations"); b && o)
        cohort->set("correlations", merge_keyed_list(*b, *o, [](const Node& n) -> std::optional<std::string> {
                        const auto a = text_of(n, "a"), c = text_of(n, "b");
                        if (!a || !c) return std::nullopt;
                        return std::min(*a, *c) + "\n" + std::max(*a, *c);
                    }),
                    o->origin);
    return merged;
}

std::vector<std::string> available_products(const std::vector<fs::path>& dirs) {
    std::set<std::string> names;
    std::error_code ec;
    for (const auto& dir : dirs) {
        if (!fs::is_directory(dir, ec)) continue;
        for (const auto& entry : fs::directory_iterator(dir, ec))
            if (entry.path().extension() == ".yaml") names.insert(entry.path().stem().string());
    }
    return {names.begin(), names.end()};
}

namespace {

/// Replaces each therapy entry that names a product by the preset merged under the entry.
void expand_products(Node& root, const std::vector<fs::path>& dirs, const LoadOptions& options,
                     std::vector<ConfigError>& errors) {
    Node* regimen = root.find("regimen");
    if (!regimen || !regimen->is_sequence()) return;  // the reader reports a wrong kind
    const auto label = [](const Node& entry, const char* key, std::size_t index) {
        const Node* name = entry.is_map() ? entry.find(key) : nullptr;
        return name && name->is_scalar() ? name->text : std::to_string(index);
    };
    for (std::size_t l = 0; l < regimen->items.size(); ++l) {
        Node& line = regimen->items[l];
        Node* therapies = line.is_map() ? line.find("therapies") : nullptr;
        if (!therapies || !therapies->is_sequence()) continue;
        for (std::size_t t = 0; t < therapies->items.size(); ++t) {
            Node& entry = therapies->items[t];
            const Node* product = entry.is_map() ? entry.find("product") : nullptr;
            if (!product || !product->is_scalar() || product->text.empty()) continue;
            std::optional<fs::path> file;
            for (const auto& dir : dirs) {
                std::error_code ec;
                if (fs::is_regular_file(dir / (product->text + ".yaml"), ec)) {
                    file = dir / (product->text + ".yaml");
                    break;
                }
            }
            if (!file) {
                const Node* named = entry.find("name");
                const std::string path = "regimen[" + label(line, "name", l) + "].therapies[" +
                                         (named ? named->text : product->text) + "].product";
                errors.push_back(config::make_error(
                    product->origin, path,
                    "unknown product '" + product->text + "'" +
                        config::suggestion_suffix(product->text, available_products(dirs))));
                continue;
            }
            auto preset = load_preset(*file, options);
            if (!preset) {
                for (const auto& e : preset.errors()) errors.push_back(e);
                continue;
            }
            const std::string name = product->text;
            const config::Origin origin = product->origin;
            Node merged = config::deep_merge(preset.value(), entry);
            if (!merged.find("name")) merged.set("name", Node::quoted(name, origin), origin);
            entry = std::move(merged);
        }
    }
}

/// Attaches a cross-field problem ("key.path: message") to the line of the deepest node it names.
ConfigError locate(const Node& root, const std::string& path_text, const std::string& problem) {
    std::string key_path, message = problem;
    const auto colon = problem.find(": ");
    if (colon != std::string::npos && problem.find(' ') > colon) {
        key_path = problem.substr(0, colon);
        message = problem.substr(colon + 2);
    }
    const Node* node = &root;
    config::Origin origin = root.origin;
    std::string rest = key_path;
    while (node && !rest.empty()) {
        const auto dot = rest.find('.');
        std::string step = rest.substr(0, dot);
        rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
        std::string selector;
        if (const auto bracket = step.find('['); bracket != std::string::npos) {
            selector = step.substr(bracket + 1, step.size() - bracket - 2);
            step = step.substr(0, bracket);
        }
        const config::MapEntry* entry = node->find_entry(step);
        if (!entry) break;
        origin = entry->key_origin;
        node = &entry->value;
        if (!selector.empty() && node->is_sequence()) {
            const Node* found = nullptr;
            for (const Node& item : node->items) {
                const Node* name = item.find("name");
                if (name && name->text == selector) found = &item;
            }
            if (!found) break;
            node = found;
            origin = found->origin;
        }
    }
    if (origin.file.empty()) origin.file = path_text;
    return config::make_error(origin, key_path, message);
}

void fill_default_names(simulate::Scenario& s) {
    for (auto& line : s.regimen)
        for (auto& t : line.therapies)
            if (t.name.empty()) t.name = !t.product.empty() ? t.product : std::string(enum_name(t.kind));
}

}  // namespace

namespace {
std::vector<ConfigError> in_file_order(std::vector<ConfigError> errors) {
    std::stable_sort(errors.begin(), errors.end(), [](const ConfigError& a, const ConfigError& b) {
        return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
    });
    return errors;
}
}  // namespace

config::Result<Node> prepare_scenario(const std::string& path, const LoadOptions& options) {
    auto loaded = config::load_yaml_file(path);
    if (!loaded) return loaded.errors();
    Node root = std::move(loaded.value());
    if (!root.is_map())
        return std::vector<ConfigError>{
            config::make_error(root.origin, "", "a scenario must be a map of keys, got " + config::describe_node(root))};

    std::vector<ConfigError> errors;
    if (const Node* name = root.find("population")) {
        if (!name->is_scalar() || name->text.empty())
            return config::make_error(name->origin, "population",
                                      "expected the name of a population preset, got " + config::describe_node(*name));
        const auto dirs = population_search_path(path);
        std::optional<fs::path> file;
        for (const auto& dir : dirs) {
            std::error_code ec;
            if (fs::is_regular_file(dir / (name->text + ".yaml"), ec)) {
                file = dir / (name->text + ".yaml");
                break;
            }
        }
        if (!file)
            return config::make_error(name->origin, "population",
                                      "unknown population '" + name->text + "'" +
                                          config::suggestion_suffix(name->text, available_products(dirs)));
        auto population = load_preset(*file, options);
        if (!population) return population.errors();
        if (!population.value().is_map())
            return config::make_error(population.value().origin, "", "a population preset must be a map of keys");
        Node own = root;
        own.erase("population");
        root = merge_population(population.value(), own);
    }
    for (const std::string& text : options.overrides) {
        auto change = config::parse_override(text);
        if (!change) {
            for (const auto& e : change.errors()) errors.push_back(e);
            continue;
        }
        for (auto& e : config::apply_override(root, change.value())) errors.push_back(std::move(e));
    }
    if (!errors.empty()) return errors;
    return root;
}

void expand_presets(Node& root, const std::string& path, const LoadOptions& options,
                    std::vector<ConfigError>& errors) {
    expand_products(root, product_search_path(path, options.product_dirs), options, errors);
}

config::Result<LoadedScenario> read_scenario(const Node& root, const std::string& path, bool resolve) {
    std::vector<ConfigError> errors;
    auto read = config::read_struct(root, "", simulate::Scenario{});
    if (!read) return in_file_order(read.errors());
    LoadedScenario result{std::move(read.value()), Node{}, path};
    fill_default_names(result.scenario);
    for (const auto& problem : simulate::validate(result.scenario)) errors.push_back(locate(root, path, problem));
    if (!errors.empty()) return errors;
    if (resolve) result.resolved = config::write_struct(result.scenario);
    return result;
}

namespace {

/// Where a scalar with exactly `text` is written in `tree` (the first one), if anywhere.
const Node* find_scalar(const Node& tree, const std::string& text) {
    if (tree.is_scalar()) return tree.text == text ? &tree : nullptr;
    for (const Node& item : tree.items)
        if (const Node* found = find_scalar(item, text)) return found;
    for (const config::MapEntry& entry : tree.entries)
        if (const Node* found = find_scalar(entry.value, text)) return found;
    return nullptr;
}

}  // namespace

std::vector<config::ConfigWarning> plausibility_warnings(const Node& root, const LoadOptions& options,
                                                         const Node* written) {
    std::vector<config::ConfigWarning> kept;
    for (auto& w : config::plausibility_warnings(root, "", simulate::Scenario{})) {
        if (w.line == 0 && w.file.rfind("--set ", 0) == 0) {
            const std::string text = w.file.substr(6);
            const bool users_own = std::find(options.overrides.begin(), options.overrides.end(), text) !=
                                   options.overrides.end();
            if (!users_own) {
                const Node* at = written ? find_scalar(*written, text) : nullptr;
                if (!at) continue;  // generated by the study (a sweep point or a draw)
                w.file = at->origin.file;
                w.line = at->origin.line;
                w.column = at->origin.column;
            }
        }
        if (std::find(kept.begin(), kept.end(), w) == kept.end()) kept.push_back(std::move(w));
    }
    return kept;
}

config::Result<LoadedScenario> load_scenario(const std::string& path, const LoadOptions& options) {
    auto prepared = prepare_scenario(path, options);
    if (!prepared) return prepared.errors();
    Node root = std::move(prepared.value());
    std::vector<ConfigError> errors;
    expand_presets(root, path, options, errors);
    if (!errors.empty()) return errors;
    auto loaded = read_scenario(root, path);
    if (loaded) loaded.value().warnings = plausibility_warnings(root, options);
    return loaded;
}

}  // namespace cartsim::scenario
