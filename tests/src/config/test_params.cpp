#include <doctest/doctest.h>

#include <algorithm>

#include "src/config/params.hpp"
#include "toy_params.hpp"

using namespace cartsim::config;

namespace {

const ParamRow& row(const std::vector<ParamRow>& rows, const std::string& key_path) {
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const ParamRow& r) { return r.key_path == key_path; });
    REQUIRE_MESSAGE(it != rows.end(), key_path);
    return *it;
}

}  // namespace

TEST_CASE("config: list_params gives one row per key with default, unit, source, doc and range") {
    toy::Patient patient;
    patient.age_years = 70;  // defaults come from the struct passed in
    const auto rows = list_params(patient, "patient");

    const ParamRow& age = row(rows, "patient.age_years");
    CHECK(age.default_text == "70");
    CHECK(age.unit == "year");
    CHECK(age.source == "assumed");
    CHECK(age.doc == "age");
    CHECK(age.range_text == "[18, 100]");
    CHECK(row(rows, "patient.relapse_day").default_text == "null");
    CHECK(row(rows, "patient.relapse_day").range_text == ">= 0");
    CHECK(row(rows, "patient.law").range_text == "exponential | logistic | gompertz");
    CHECK(row(rows, "patient.high_risk").range_text == "true | false");
    CHECK(row(rows, "patient.doses").default_text == "[1, 2]");
    CHECK(row(rows, "patient.growth.rate_per_day").unit == "1/day");
    CHECK(row(rows, "patient.clones[].fraction").range_text == "[0, 1]");
    CHECK(row(rows, "patient.label").range_text.empty());
    CHECK(rows.front().key_path == "patient.response_probability");  // describe order
}

TEST_CASE("config: list_params lists every variant of a polymorphic entry and says when a key applies") {
    toy::Patient patient;
    const auto rows = list_params(patient, "");
    CHECK(row(rows, "therapies[].type").applies_when.empty());
    CHECK(row(rows, "therapies[].product").applies_when.empty());
    CHECK(row(rows, "therapies[].dose_cells").applies_when == "type: cart");
    CHECK(row(rows, "therapies[].dose_cells").default_text == "450000000");
    CHECK(row(rows, "therapies[].dose_mg").applies_when == "type: drug");
    CHECK(row(rows, "therapies[].stop_day").default_text == "null");
    CHECK(row(rows, "therapies[].type").default_text == "cart");  // the default, not a forced variant
    CHECK(std::count_if(rows.begin(), rows.end(), [](const ParamRow& r) { return r.key_path == "therapies[].type"; }) ==
          1);
}
