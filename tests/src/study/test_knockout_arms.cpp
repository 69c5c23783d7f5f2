// An arms item `knockouts: all | [mechanism, ...]`: one arm per mechanism switched off, named from it.

#include <doctest/doctest.h>

#include <algorithm>

#include "model/patient/mechanisms.hpp"
#include "src/study/sampling_bridge.hpp"
#include "src/study/study_loader.hpp"
#include "tests/src/study/study_files.hpp"

using namespace cartsim;
using namespace cartsim::study;
using cartsim::study::testing::TempFolder;

namespace {

std::string knockout_trial(const std::string& items) {
    return R"(name: knockouts
horizon_days: 60
hybrid: {enabled: false}
cohort: {size: 2, seed: 5}
regimen:
  - {name: cart, start: 0, therapies: [{product: ide-cel}]}
arms:
  - name: all mechanisms
)" + items;
}

std::string errors_of(const TempFolder& dir, const std::string& text) {
    const auto loaded = load_study(dir.write("k.yaml", text), {});
    return loaded ? std::string() : config::format_errors(loaded.errors());
}

}  // namespace

TEST_CASE("knockouts: all gives one arm per switch, in order, each with only its switch off") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("k.yaml", knockout_trial("  - knockouts: all\n")), {});
    REQUIRE(loaded);
    const auto& s = loaded.value();
    const auto switches = patient::mechanism_names(patient::Mechanisms{});
    REQUIRE(s.groups.size() == switches.size() + 1);
    CHECK(s.groups[0].name == "all mechanisms");
    const auto drawn = draw_patient(s.spec.cohort, 0);
    const auto reference = patient_scenario(s, 0, 0, drawn);
    REQUIRE(reference);
    CHECK(patient::mechanism_names(reference.value().mechanisms, true) == switches);
    for (std::size_t k = 0; k < switches.size(); ++k) {
        std::string name = "no " + switches[k];
        std::replace(name.begin(), name.end(), '_', ' ');
        CHECK(s.groups[k + 1].name == name);
        const auto arm = patient_scenario(s, k + 1, 0, drawn);
        REQUIRE(arm);
        auto expected = switches;
        expected.erase(expected.begin() + static_cast<std::ptrdiff_t>(k));
        CHECK(patient::mechanism_names(arm.value().mechanisms, true) == expected);
    }
}

TEST_CASE("knockouts: a list gives those arms only") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("k.yaml", knockout_trial("  - knockouts: [exhaustion, memory_longevity]\n")), {});
    REQUIRE(loaded);
    const auto& s = loaded.value();
    REQUIRE(s.groups.size() == 3);
    CHECK(s.groups[1].name == "no exhaustion");
    CHECK(s.groups[2].name == "no memory longevity");
    const auto arm = patient_scenario(s, 2, 1, draw_patient(s.spec.cohort, 1));
    REQUIRE(arm);
    CHECK_FALSE(arm.value().mechanisms.memory_longevity);
    CHECK(arm.value().mechanisms.exhaustion);
}

TEST_CASE("knockouts: bad items are refused with the file, line and key") {
    TempFolder dir;
    const auto unknown = errors_of(dir, knockout_trial("  - knockouts: [exhaustoin]\n"));
    CHECK(unknown.find("k.yaml:9") != std::string::npos);
    CHECK(unknown.find("arms[1].knockouts") != std::string::npos);
    CHECK(unknown.find("unknown mechanism 'exhaustoin'") != std::string::npos);
    CHECK(unknown.find("did you mean 'exhaustion'") != std::string::npos);
    CHECK(errors_of(dir, knockout_trial("  - knockouts: some\n")).find("expected 'all' or a list of mechanisms") !=
          std::string::npos);
    CHECK(errors_of(dir, knockout_trial("  - {knockouts: all, name: x}\n")).find("has no other key") != std::string::npos);
    // An arm written by hand with a generated arm's name is a repeated name.
    CHECK(errors_of(dir, knockout_trial("  - {name: no exhaustion, set: [mechanisms.exhaustion=false]}\n"
                                        "  - knockouts: [exhaustion]\n"))
              .find("arm 'no exhaustion' is listed twice") != std::string::npos);
}
