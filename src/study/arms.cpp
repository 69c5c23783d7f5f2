#include "src/study/arms.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "model/patient/mechanisms.hpp"
#include "src/config/override.hpp"
#include "src/config/suggest.hpp"

namespace cartsim::study {
namespace {

using config::ConfigError;
using config::Node;

/// Reads regimen: and set: into `change`; true when `e` was one of them.
bool read_change(const config::MapEntry& e, const std::string& at, Change& change, std::vector<ConfigError>& errors) {
    if (e.key == "regimen") {
        change.regimen = e.value;
        return true;
    }
    if (e.key != "set") return false;
    if (!e.value.is_sequence()) {
        errors.push_back(config::make_error(e.value.origin, at + ".set", "expected a list of 'path=value'"));
        return true;
    }
    for (const Node& o : e.value.items) {
        if (o.is_scalar()) change.overrides.push_back({o.text, o.origin});
        else errors.push_back(config::make_error(o.origin, at + ".set", "expected 'path=value', got " + config::describe_node(o)));
    }
    return true;
}

/// variants: a list of {name, share, regimen, set}, shares summing to 1.
std::vector<VariantEntry> read_variants(const Node& list, const std::string& at, std::vector<ConfigError>& errors) {
    std::vector<VariantEntry> variants;
    if (!list.is_sequence() || list.items.empty()) {
        errors.push_back(config::make_error(list.origin, at, "expected a list of variants, got " + config::describe_node(list)));
        return variants;
    }
    std::set<std::string> names;
    double total = 0.0;
    for (std::size_t i = 0; i < list.items.size(); ++i) {
        const Node& item = list.items[i];
        const std::string where = fmt::format("{}[{}]", at, i);
        if (!item.is_map()) {
            errors.push_back(config::make_error(item.origin, where, "expected a map, got " + config::describe_node(item)));
            continue;
        }
        VariantEntry v;
        v.origin = item.origin;
        for (const auto& e : item.entries) {
            if (read_change(e, where, v.change, errors)) continue;
            if (e.key == "name" && e.value.is_scalar()) {
                v.name = e.value.text;
            } else if (e.key == "share" && e.value.is_scalar()) {
                try {
                    v.share = std::stod(e.value.text);
                } catch (const std::exception&) {
                    v.share = -1.0;
                }
                if (!(v.share > 0.0 && v.share <= 1.0))
                    errors.push_back(config::make_error(e.value.origin, where + ".share", "expected a share in (0, 1]"));
            } else if (e.key != "description") {
                errors.push_back(config::make_error(e.key_origin, where + "." + e.key,
                                                    "unknown key" + config::suggestion_suffix(
                                                                        e.key, {"name", "share", "description", "regimen", "set"})));
            }
        }
        if (v.name.empty()) errors.push_back(config::make_error(item.origin, where + ".name", "every variant needs a name"));
        else if (!names.insert(v.name).second)
            errors.push_back(config::make_error(item.origin, where + ".name", "variant '" + v.name + "' is listed twice"));
        total += v.share;
        variants.push_back(std::move(v));
    }
    if (std::abs(total - 1.0) > 1e-9)
        errors.push_back(config::make_error(list.origin, at, fmt::format("the variants' shares add up to {:.6g}, not 1", total)));
    return variants;
}

/// An arms item {knockouts: all} or {knockouts: [mechanism, ...]}: one arm per mechanism named "no <mechanism>"
/// (underscores as spaces) that sets mechanisms.<mechanism>=false, in the order of the `mechanisms:` block.
std::vector<ArmEntry> knockout_arms(const config::MapEntry& e, const std::string& at, std::vector<ConfigError>& errors) {
    const auto switches = patient::mechanism_names(patient::Mechanisms{});
    std::vector<std::pair<std::string, config::Origin>> chosen;
    if (e.value.is_scalar() && e.value.text == "all") {
        for (const auto& name : switches) chosen.emplace_back(name, e.value.origin);
    } else if (e.value.is_sequence() && !e.value.items.empty()) {
        for (const Node& item : e.value.items) {
            if (!item.is_scalar()) {
                errors.push_back(config::make_error(item.origin, at + ".knockouts",
                                                    "expected a mechanism name, got " + config::describe_node(item)));
            } else if (std::find(switches.begin(), switches.end(), item.text) == switches.end()) {
                errors.push_back(config::make_error(item.origin, at + ".knockouts",
                                                    "unknown mechanism '" + item.text + "'" +
                                                        config::suggestion_suffix(item.text, switches)));
            } else {
                chosen.emplace_back(item.text, item.origin);
            }
        }
    } else {
        errors.push_back(config::make_error(e.value.origin, at + ".knockouts",
                                            "expected 'all' or a list of mechanisms (`cartsim params` lists them under "
                                            "mechanisms.), got " + config::describe_node(e.value)));
    }
    std::vector<ArmEntry> arms;
    for (const auto& [name, origin] : chosen) {
        ArmEntry arm;
        arm.name = "no " + name;
        std::replace(arm.name.begin(), arm.name.end(), '_', ' ');
        arm.change.overrides.push_back({"mechanisms." + name + "=false", origin});
        arms.push_back(std::move(arm));
    }
    return arms;
}

}  // namespace

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
        const auto knockouts = std::find_if(item.entries.begin(), item.entries.end(),
                                            [](const config::MapEntry& e) { return e.key == "knockouts"; });
        if (knockouts != item.entries.end()) {
            if (item.entries.size() > 1)
                errors.push_back(config::make_error(item.origin, at,
                                                    "an item with knockouts: has no other key (it names its arms "
                                                    "itself: 'no <mechanism>')"));
            for (auto& arm : knockout_arms(*knockouts, at, errors)) {
                if (!names.insert(arm.name).second)
                    errors.push_back(config::make_error(item.origin, at + ".knockouts", "arm '" + arm.name + "' is listed twice"));
                arms.push_back(std::move(arm));
            }
            continue;
        }
        ArmEntry arm;
        for (const auto& e : item.entries) {
            if (read_change(e, at, arm.change, errors)) continue;
            if (e.key == "name" && e.value.is_scalar()) {
                arm.name = e.value.text;
            } else if (e.key == "variants") {
                arm.variants = read_variants(e.value, at + ".variants", errors);
            } else if (e.key == "description") {
            } else if (e.key == "name") {
                errors.push_back(config::make_error(e.value.origin, at + ".name", "expected a name"));
            } else {
                errors.push_back(config::make_error(
                    e.key_origin, at + "." + e.key,
                    "unknown key" + config::suggestion_suffix(
                                      e.key, {"name", "description", "regimen", "set", "variants", "knockouts"})));
            }
        }
        if (arm.name.empty()) errors.push_back(config::make_error(item.origin, at + ".name", "every arm needs a name"));
        else if (!names.insert(arm.name).second)
            errors.push_back(config::make_error(item.origin, at + ".name", "arm '" + arm.name + "' is listed twice"));
        arms.push_back(std::move(arm));
    }
    return arms;
}

void apply_change(Node& root, const Change& change, const std::string& at, const std::string& what,
                  std::vector<ConfigError>& errors) {
    if (change.regimen) root.set("regimen", *change.regimen, change.regimen->origin);
    for (const auto& [text, origin] : change.overrides) {
        auto parsed = config::parse_override(text);
        if (!parsed) {
            errors.push_back(config::make_error(origin, at + ".set", parsed.errors().front().message));
            continue;
        }
        for (auto& e : config::apply_override(root, parsed.value())) {
            e.message += " (" + what + ")";
            errors.push_back(std::move(e));
        }
    }
}

}  // namespace cartsim::study
