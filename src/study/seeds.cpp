#include "src/study/seeds.hpp"

#include <fmt/format.h>

#include "src/config/override.hpp"
#include "src/config/reader.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::study {
using config::ConfigError;
using config::Node;

namespace {

bool names_path(const std::vector<std::string>& overrides, const std::string& path) {
    for (const auto& o : overrides)
        if (o.rfind(path + "=", 0) == 0) return true;
    return false;
}

}  // namespace

bool overrides_seed(const std::vector<std::string>& overrides) {
    return names_path(overrides, "seed") || names_path(overrides, "cohort.seed");
}

std::vector<ConfigError> apply_seeds(Node& root, const std::string& file, const scenario::LoadOptions& options,
                                     StudySpec& spec, std::optional<config::MapEntry>& entry) {
    std::vector<ConfigError> errors;
    for (auto it = root.entries.begin(); it != root.entries.end(); ++it) {
        if (it->key != "seeds") continue;
        entry = std::move(*it);
        root.entries.erase(it);
        break;
    }
    if (!entry) return errors;
    auto read = config::read_struct(entry->value, "seeds", SeedsSpec{});
    if (!read) return read.errors();
    spec.seeds = read.value();
    spec.has_seeds = true;
    for (const auto& problem : validate(spec.seeds)) {
        const auto colon = problem.find(": ");
        errors.push_back(config::make_error(entry->value.origin, problem.substr(0, colon), problem.substr(colon + 2)));
    }
    if (!root.find("cohort"))
        errors.push_back(config::make_error(entry->key_origin, "seeds", "seeds: chooses virtual patients; it needs a cohort: block"));
    // The file's own `seed` or `cohort.seed` would be dead text beside the block: refuse it.
    if (auto own = config::load_yaml_file(file)) {
        const Node* seed = own.value().find("seed");
        const Node* cohort = own.value().find("cohort");
        const Node* cohort_seed = cohort && cohort->is_map() ? cohort->find("seed") : nullptr;
        for (const Node* n : {seed, cohort_seed})
            if (n)
                errors.push_back(config::make_error(n->origin, n == seed ? "seed" : "cohort.seed",
                                                    "this study chooses its patients with seeds: (calibration and "
                                                    "validation seeds); remove this line"));
    }
    if (!errors.empty()) return errors;
    const int chosen = options.cohort_seed >= 0 ? options.cohort_seed : static_cast<int>(spec.seeds.validation.front());
    for (const char* path : {"seed", "cohort.seed"}) {
        if (names_path(options.overrides, path)) continue;  // --set wins over the block
        auto change = config::parse_override(fmt::format("{}={}", path, chosen));
        for (auto& e : config::apply_override(root, change.value())) errors.push_back(std::move(e));
    }
    return errors;
}

std::vector<int> validation_seeds(const LoadedStudy& study) {
    std::vector<int> out;
    if (study.spec.has_seeds)
        for (double v : study.spec.seeds.validation) out.push_back(static_cast<int>(v));
    else
        out.push_back(study.spec.cohort.seed);
    return out;
}

}  // namespace cartsim::study
