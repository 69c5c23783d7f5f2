#pragma once
// Small described structs that exercise every field kind the config visitors support.

#include <array>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "model/common/describe.hpp"

namespace cartsim::config::toy {

enum class Law { Exponential, Logistic, Gompertz };
enum class TherapyKind { Cart, Drug };

/// A day, or "progression": stands in for the ScalarCodec types of the real model.
struct StartDay {
    bool at_progression = false;
    double day = 0.0;
    bool operator==(const StartDay&) const = default;
};

}  // namespace cartsim::config::toy

namespace cartsim {

template <>
struct EnumNames<config::toy::Law> {
    static constexpr std::array items{std::pair{config::toy::Law::Exponential, "exponential"},
                                      std::pair{config::toy::Law::Logistic, "logistic"},
                                      std::pair{config::toy::Law::Gompertz, "gompertz"}};
};

template <>
struct EnumNames<config::toy::TherapyKind> {
    static constexpr std::array items{std::pair{config::toy::TherapyKind::Cart, "cart"},
                                      std::pair{config::toy::TherapyKind::Drug, "drug"}};
};

template <>
struct ScalarCodec<config::toy::StartDay> {
    static constexpr std::string_view expected = "a day (number) or 'progression'";
    static std::optional<config::toy::StartDay> parse(std::string_view text);
    static std::string format(const config::toy::StartDay& value);
};

}  // namespace cartsim

namespace cartsim::config::toy {

struct Growth {
    double rate_per_day = 0.01;
    Law law = Law::Logistic;
    std::vector<double> checkpoints_days{7.0, 28.0};
    bool operator==(const Growth&) const = default;
};

template <class V>
void describe(Growth& g, V& v) {
    v.field("rate_per_day", g.rate_per_day, nonnegative("1/day", "assumed", "net growth rate"));
    v.field("law", g.law, any_value("-", "assumed", "growth law"));
    v.field("checkpoints_days", g.checkpoints_days, nonnegative("day", "assumed", "assessment days"));
}

struct Clone {
    std::string name = "clone";
    double fraction = 1.0;
    int bins = 4;
    bool operator==(const Clone&) const = default;
};

template <class V>
void describe(Clone& c, V& v) {
    v.field("name", c.name, any_value("-", "assumed", "clone name"));
    v.field("fraction", c.fraction, fraction("assumed", "share of the tumour"));
    v.field("bins", c.bins, bounded("-", "assumed", "antigen bins", 1, 64));
}

struct CartFields {
    double dose_cells = 450e6;
    bool lymphodepletion = true;
    bool operator==(const CartFields&) const = default;
};

template <class V>
void describe(CartFields& c, V& v) {
    v.field("dose_cells", c.dose_cells, nonnegative("cells", "KarMMa", "infused CAR+ cells"));
    v.field("lymphodepletion", c.lymphodepletion, any_value("-", "KarMMa", "Flu/Cy before infusion"));
}

struct DrugFields {
    double dose_mg = 16.0;
    std::optional<double> stop_day;
    bool operator==(const DrugFields&) const = default;
};

template <class V>
void describe(DrugFields& d, V& v) {
    v.field("dose_mg", d.dose_mg, nonnegative("mg", "label", "dose per administration"));
    v.field("stop_day", d.stop_day, nonnegative("day", "assumed", "last day, null = never"));
}

/// Polymorphic: `type` selects which fields follow, all flat in the same map.
struct Therapy {
    TherapyKind kind = TherapyKind::Cart;
    std::string product = "ide-cel";
    CartFields cart;
    DrugFields drug;
    bool operator==(const Therapy&) const = default;
};

template <class V>
void describe(Therapy& t, V& v) {
    v.field("type", t.kind, any_value("-", "assumed", "therapy kind"));
    v.field("product", t.product, any_value("-", "assumed", "product name"));
    switch (t.kind) {
    case TherapyKind::Cart: describe(t.cart, v); break;
    case TherapyKind::Drug: describe(t.drug, v); break;
    }
}

struct Patient {
    double response_probability = 0.5;
    int age_years = 65;
    bool high_risk = false;
    std::string label = "p1";
    std::optional<double> relapse_day;
    Law law = Law::Gompertz;
    StartDay start;
    std::vector<double> doses{1.0, 2.0};
    std::vector<std::string> tags;
    std::vector<Law> laws;
    Growth growth;
    std::vector<Clone> clones{Clone{}};
    std::vector<Therapy> therapies;
    bool operator==(const Patient&) const = default;
};

template <class V>
void describe(Patient& p, V& v) {
    v.field("response_probability", p.response_probability, fraction("assumed", "chance of response"));
    v.field("age_years", p.age_years, bounded("year", "assumed", "age", 18, 100));
    v.field("high_risk", p.high_risk, any_value("-", "assumed", "high-risk cytogenetics"));
    v.field("label", p.label, any_value("-", "assumed", "display name"));
    v.field("relapse_day", p.relapse_day, nonnegative("day", "assumed", "forced relapse, null = none"));
    v.field("law", p.law, any_value("-", "assumed", "default law"));
    v.field("start", p.start, any_value("-", "assumed", "start of treatment"));
    v.field("doses", p.doses, bounded("mg", "assumed", "doses", 0, 100));
    v.field("tags", p.tags, any_value("-", "assumed", "free tags"));
    v.field("laws", p.laws, any_value("-", "assumed", "laws to compare"));
    v.section("growth", p.growth);
    v.list("clones", p.clones);
    v.list("therapies", p.therapies);
}

}  // namespace cartsim::config::toy

namespace cartsim {

inline std::optional<config::toy::StartDay> ScalarCodec<config::toy::StartDay>::parse(std::string_view text) {
    if (text == "progression") return config::toy::StartDay{true, 0.0};
    try {
        std::size_t used = 0;
        const double day = std::stod(std::string(text), &used);
        if (used == text.size()) return config::toy::StartDay{false, day};
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

inline std::string ScalarCodec<config::toy::StartDay>::format(const config::toy::StartDay& value) {
    return value.at_progression ? "progression" : fmt::format("{}", value.day);
}

}  // namespace cartsim
