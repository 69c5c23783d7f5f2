#include <doctest/doctest.h>

#include <string>

#include "model/tumour/tumour_params.hpp"

using namespace cartsim::tumour;

namespace {

TumourParams two_clones(std::optional<double> first, std::optional<double> second) {
    TumourParams t;
    t.clones[0].fraction = first;
    CloneSpec other;
    other.name = "bcma_neg";
    other.fraction = second;
    t.clones.push_back(other);
    return t;
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
    for (const auto& p : problems)
        if (p.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("tumour params: a clone without a fraction takes what the others leave") {
    const auto t = two_clones(std::nullopt, 0.25);
    CHECK(validate(t).empty());
    const auto f = initial_fractions(t);
    REQUIRE(f.size() == 2);
    CHECK(f[0] == doctest::Approx(0.75));
    CHECK(f[1] == 0.25);
    // A single clone with no fraction is the whole tumour.
    CHECK(initial_fractions(TumourParams{}) == std::vector<double>{1.0});
}

TEST_CASE("tumour params: fraction rules are reported") {
    CHECK(mentions(validate(two_clones(std::nullopt, std::nullopt)), "at most one clone may leave its fraction out"));
    CHECK(mentions(validate(two_clones(std::nullopt, 1.5)), "leaving nothing for the clone without one"));
    CHECK(mentions(validate(two_clones(0.5, 0.2)), "fractions must add up to 1"));
    CHECK(validate(two_clones(0.8, 0.2)).empty());
}
