#include "src/scenario/loader.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "src/config/merge.hpp"
#include "src/config/override.hpp"
#include "src/config/reader.hpp"
#include "src/config/suggest.hpp"
#include "src/config/writer.hpp"

#ifndef CARTSIM_SOURCE_DIR
#define CARTSIM_SOURCE_DIR "."
#endif

namespace cartsim::scenario {
namespace fs = std::filesystem;
using config::ConfigError;
using config::Node;

std::vector<fs::path> product_search_path(const std::string& scenario_path, const std::vector<fs::path>& given) {
    std::vector<fs::path> dirs = given;
    std::error_code ec;
    fs::path dir = fs::absolute(fs::path(scenario_path), ec).parent_path();
    for (int depth = 0; depth < 4 && !dir.empty(); ++depth) {
        for (const fs::path& candidate : {dir / "products", dir / "scenarios" / "products"})
            if (fs::is_directory(candidate, ec)) dirs.push_back(candidate);
        if (dir == dir.parent_path()) break;
        dir = dir.parent_path();
    }
    dirs.push_back(fs::path(CARTSIM_SOURCE_DIR) / "scenarios" / "products");
    return dirs;
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
void expand_products(Node& root, const std::vector<fs::path>& dirs, std::vector<ConfigError>& errors) {
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
            auto preset = config::load_yaml_file(file->string());
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
    expand_products(root, product_search_path(path, options.product_dirs), errors);
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

config::Result<LoadedScenario> load_scenario(const std::string& path, const LoadOptions& options) {
    auto prepared = prepare_scenario(path, options);
    if (!prepared) return prepared.errors();
    Node root = std::move(prepared.value());
    std::vector<ConfigError> errors;
    expand_presets(root, path, options, errors);
    if (!errors.empty()) return errors;
    return read_scenario(root, path);
}

}  // namespace cartsim::scenario
