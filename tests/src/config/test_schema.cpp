#include <doctest/doctest.h>

#include "src/config/schema.hpp"
#include "toy_params.hpp"

using namespace cartsim;
using namespace cartsim::config;

namespace {

/// Two variants that share a key (`amount`) with different units: the schema accepts either, and the
/// variant's rule holds it to its own.
struct Shared {
    toy::TherapyKind kind = toy::TherapyKind::Cart;
    double amount = 1.0;
};

template <class V>
void describe(Shared& s, V& v) {
    v.field("type", s.kind, any_value("-", "assumed", "kind"));
    if (s.kind == toy::TherapyKind::Cart) v.field("amount", s.amount, nonnegative("cells", "assumed", "cells given"));
    else v.field("amount", s.amount, bounded("mg", "assumed", "milligrams given", 0.0, 10.0));
}

const Json& rule_for(const Json& object, const std::string& key, const std::string& value) {
    for (const Json& rule : object.at("allOf"))
        if (rule.at("if").at("properties").at(key).at("const") == value) return rule;
    FAIL("no rule for " << key << ": " << value);
    static const Json none;
    return none;
}

}  // namespace

TEST_CASE("config: schema_of gives every field its JSON type, bounds, default and description") {
    toy::Patient patient;
    patient.age_years = 70;  // defaults come from the struct passed in
    const Json s = schema_of(patient);
    CHECK(s.at("type") == "object");
    CHECK(s.at("additionalProperties") == false);
    const Json& p = s.at("properties");
    CHECK(p.at("response_probability").at("type") == "number");
    CHECK(p.at("response_probability").at("minimum") == 0.0);
    CHECK(p.at("response_probability").at("maximum") == 1.0);
    CHECK(p.at("age_years").at("type") == "integer");
    CHECK(p.at("age_years").at("default") == 70);
    CHECK(p.at("age_years").at("x-unit") == "year");
    CHECK(p.at("age_years").at("x-source") == "assumed");
    CHECK(p.at("age_years").at("description") == "age. Unit: year. Range: [18, 100]. Source: assumed. Default: 70");
    CHECK(p.at("high_risk").at("type") == "boolean");
    CHECK(p.at("label").at("type") == "string");
    CHECK(p.at("relapse_day").at("type") == Json::array({"number", "null"}));
    CHECK(p.at("relapse_day").at("default").is_null());
    CHECK(p.at("relapse_day").at("minimum") == 0.0);
    CHECK_FALSE(p.at("relapse_day").contains("maximum"));  // open above
    CHECK(p.at("law").at("enum") == Json::array({"exponential", "logistic", "gompertz"}));
    CHECK(p.at("law").at("default") == "gompertz");
    CHECK(p.at("start").at("type") == Json::array({"number", "string"}));
    CHECK(p.at("doses").at("type") == "array");
    CHECK(p.at("doses").at("items").at("maximum") == 100.0);
    CHECK(p.at("doses").at("default") == Json::array({1.0, 2.0}));
    CHECK(p.at("laws").at("items").at("enum").size() == 3);
    // A section may be written empty ("growth:"); a list holds objects that forbid unknown keys.
    CHECK(p.at("growth").at("type") == Json::array({"object", "null"}));
    CHECK(p.at("growth").at("properties").at("checkpoints_days").at("x-unit") == "day");
    CHECK(p.at("clones").at("type") == "array");
    CHECK(p.at("clones").at("items").at("additionalProperties") == false);
    CHECK(p.at("clones").at("items").at("properties").at("bins").at("maximum") == 64.0);
}

TEST_CASE("config: schema_of lists every variant's keys and forbids, when the discriminator is written, those its variant lacks") {
    toy::Patient patient;
    const Json therapy = schema_of(patient).at("properties").at("therapies").at("items");
    const Json& p = therapy.at("properties");
    CHECK(p.contains("dose_cells"));
    CHECK(p.contains("dose_mg"));
    CHECK(p.at("type").at("default") == "cart");  // the prototype's, not a forced variant's
    REQUIRE(therapy.at("allOf").size() == 2);
    const Json& cart = rule_for(therapy, "type", "cart");
    CHECK(cart.at("if").at("required") == Json::array({"type"}));
    CHECK(cart.at("then").at("properties").at("dose_mg") == false);
    CHECK(cart.at("then").at("properties").at("stop_day") == false);
    CHECK_FALSE(cart.at("then").at("properties").contains("dose_cells"));
    CHECK_FALSE(cart.at("then").at("properties").contains("product"));  // every variant has it
    const Json& drug = rule_for(therapy, "type", "drug");
    CHECK(drug.at("then").at("properties").at("dose_cells") == false);
    CHECK(drug.at("then").at("properties").at("lymphodepletion") == false);
}

TEST_CASE("config: schema_of accepts either variant's schema for a key they describe differently, and the rule picks one") {
    const Json s = schema_of(Shared{});
    const Json& amount = s.at("properties").at("amount");
    REQUIRE(amount.at("anyOf").size() == 2);
    CHECK(amount.at("anyOf")[0].at("x-unit") == "cells");
    CHECK(amount.at("anyOf")[1].at("x-unit") == "mg");
    CHECK(rule_for(s, "type", "cart").at("then").at("properties").at("amount").at("x-unit") == "cells");
    CHECK(rule_for(s, "type", "drug").at("then").at("properties").at("amount").at("maximum") == 10.0);
}

TEST_CASE("config: a struct without variants gets no rules, and a non-finite default is left out") {
    toy::Growth growth;
    growth.rate_per_day = kInf;
    const Json s = schema_of(growth);
    CHECK_FALSE(s.contains("allOf"));  // `law` is an enum, but no variant differs by it
    CHECK_FALSE(s.at("properties").at("rate_per_day").contains("default"));
    CHECK(s.at("type") == "object");
}
