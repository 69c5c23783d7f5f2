#include <doctest/doctest.h>

#include <cmath>

#include "model/patient/mprotein.hpp"

using cartsim::patient::MProteinCatabolism;
using cartsim::patient::MProteinParams;

TEST_CASE("M-protein catabolism: FcRn saturation reproduces IgG half-lives at low, normal and high IgG") {
    const MProteinParams p;  // defaults: unprotected 7.2 days, half-saturation 2.65 g/dL, polyclonal 0.5 g/dL
    const MProteinCatabolism k(p, true);
    // Waldmann and Strober (1969): about 70, 23 and 11 days at 0.3, 1.2 and 5 g/dL total IgG. The
    // M-protein is the total minus the polyclonal IgG; 5% covers the rounding of the fitted constants.
    const auto half_life_at_total = [&](double total) {
        return std::log(2.0) / k.rate_per_day(total - p.polyclonal_igg_g_per_dl);
    };
    // No M-protein: t1/2 = 7.2 days x (K + Q) / Q with Q the polyclonal IgG alone.
    CHECK(half_life_at_total(0.5 + 1e-12) == doctest::Approx(7.2 * (2.65 + 0.5) / 0.5).epsilon(1e-9));
    CHECK(half_life_at_total(1.2) == doctest::Approx(23.0).epsilon(0.05));
    CHECK(half_life_at_total(5.0) == doctest::Approx(11.0).epsilon(0.05));
    MProteinParams low = p;
    low.polyclonal_igg_g_per_dl = 0.0;
    CHECK(std::log(2.0) / MProteinCatabolism(low, true).rate_per_day(0.3) == doctest::Approx(70.0).epsilon(0.05));
    // The rate rises with concentration and tends to the unprotected rate.
    CHECK(k.rate_per_day(10.0) > k.rate_per_day(3.0));
    CHECK(k.rate_per_day(1e6) == doctest::Approx(std::log(2.0) / 7.2).epsilon(1e-4));
    CHECK(k.flux(2.0) == doctest::Approx(2.0 * k.rate_per_day(2.0)));
}

TEST_CASE("M-protein catabolism: off, one constant half-life") {
    MProteinParams p;
    p.half_life_days = 21.0;
    const MProteinCatabolism k(p, false);
    CHECK(k.rate_per_day(0.1) == doctest::Approx(std::log(2.0) / 21.0));
    CHECK(k.rate_per_day(8.0) == doctest::Approx(std::log(2.0) / 21.0));
}
