// The values a sweep, an arm or the command line gives a path the cohort draws (group_values.hpp).

#include "src/study/group_values.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace cartsim::study {
using config::ConfigError;

namespace {

/// A path as written, without spaces, for comparing a sweep or arm path with a drawn one.
std::string path_key(std::string_view path) {
    std::string out;
    for (char c : path)
        if (c != ' ' && c != '\t') out += c;
    return out;
}

/// The number a `PATH=VALUE` text sets (spaces ignored), or none when VALUE is not one.
std::optional<double> set_number(const std::string& text) {
    try {
        std::size_t used = 0;
        const std::string value = path_key(text.substr(text.find('=') + 1));
        const double v = std::stod(value, &used);
        if (used != value.size()) return std::nullopt;
        return v;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

void mark_group_values(LoadedStudy& study, const std::vector<ArmEntry>& arms, const std::vector<std::string>& command_line,
                       std::vector<ConfigError>& errors) {
    const auto& drawn = study.spec.cohort.parameters;
    const auto drawn_index = [&](std::string_view path) -> std::optional<std::size_t> {
        for (std::size_t k = 0; k < drawn.size(); ++k)
            if (path_key(drawn[k].path) == path_key(path)) return k;
        return std::nullopt;
    };
    // The drawn path a `PATH=VALUE` text sets, if any.
    const auto drawn_set = [&](std::string_view text) -> std::optional<std::size_t> {
        const auto eq = text.find('=');
        return eq == std::string_view::npos ? std::nullopt : drawn_index(text.substr(0, eq));
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
    for (const auto& text : command_line) {
        const auto k = drawn_set(text);
        if (!k) continue;
        const auto v = set_number(text);
        if (!v) {
            errors.push_back(ConfigError{"--set " + text, 0, 0, drawn[*k].path,
                                         "'" + drawn[*k].path + "' is drawn by the cohort; --set on it needs a number"});
            continue;
        }
        for (auto& g : study.groups)
            if (!g.sets[*k]) g.sets[*k] = *v;
        study.precedence.push_back(fmt::format("{} is drawn by the cohort and set by --set: the value {} wins for every "
                                               "patient where no sweep or arm sets it (one patients.csv column, the value used)",
                                               drawn[*k].path, *v));
    }
    if (study.kind != StudyKind::Trial) return;
    for (const auto& arm : arms)  // a variant is a share of the patients: it cannot also override their draws
        for (const auto& v : arm.variants)
            for (const auto& [text, origin] : v.change.overrides)
                if (const auto k = drawn_index(text.substr(0, text.find('='))))
                    errors.push_back(config::make_error(origin, "arms[" + arm.name + "].variants[" + v.name + "].set",
                                                        "'" + drawn[*k].path + "' is drawn by the cohort; a variant cannot set it "
                                                        "(give the arm the value, or draw it with a choice distribution)"));
    for (std::size_t a = 0; a < arms.size() && a < study.groups.size(); ++a)
        for (const auto& [text, origin] : arms[a].change.overrides) {
            const auto k = drawn_set(text);
            if (!k) continue;
            const auto v = set_number(text);
            if (!v) {
                errors.push_back(config::make_error(origin, "arms[" + arms[a].name + "].set",
                                                    "'" + drawn[*k].path + "' is drawn by the cohort; an arm that sets it needs a number"));
                continue;
            }
            study.groups[a].sets[*k] = *v;
            study.precedence.push_back(fmt::format("{} is drawn by the cohort and set by arm '{}': the arm's value wins there "
                                                   "(one patients.csv column, the value used)",
                                                   drawn[*k].path, arms[a].name));
        }
    // `--set arms[NAME].PATH=VALUE` on a drawn PATH: the value wins in that arm, over the arm's own `set`
    // (without this the draw silently replaced the value the command line wrote into the arm).
    for (const auto& text : command_line) {
        const auto close = text.find("]."), eq = text.find('=');
        if (text.rfind("arms[", 0) != 0 || close == std::string::npos || eq < close) continue;
        const auto k = drawn_set(std::string_view(text).substr(close + 2));
        if (!k) continue;
        // The arm by name, or by index as the --set selector also takes it (arms[0]).
        const std::string name = path_key(text.substr(5, close - 5));
        auto arm = std::find_if(arms.begin(), arms.end(), [&](const ArmEntry& e) { return e.name == name; });
        if (arm == arms.end() && !name.empty() && name.find_first_not_of("0123456789") == std::string::npos &&
            std::stoul(name) < arms.size())
            arm = arms.begin() + static_cast<std::ptrdiff_t>(std::stoul(name));
        if (arm == arms.end()) continue;  // no such arm: loading the arm's --set reports it
        const auto v = set_number(text);
        if (!v) {
            errors.push_back(ConfigError{"--set " + text, 0, 0, drawn[*k].path,
                                         "'" + drawn[*k].path + "' is drawn by the cohort; --set on it needs a number"});
            continue;
        }
        study.groups[static_cast<std::size_t>(arm - arms.begin())].sets[*k] = *v;
        study.precedence.push_back(fmt::format("{} is drawn by the cohort and set by --set for arm '{}': the value {} wins "
                                               "there (one patients.csv column, the value used)",
                                               drawn[*k].path, arm->name, *v));
    }
}

}  // namespace cartsim::study
