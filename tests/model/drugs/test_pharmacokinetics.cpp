// The exact bispecific pharmacokinetics (model/drugs/pharmacokinetics.hpp) against a numerical
// solution of the same two linear ODEs, its limits and its composition in time.

#include <array>
#include <cmath>

#include <boost/numeric/odeint.hpp>
#include <doctest/doctest.h>

#include "model/drugs/pharmacokinetics.hpp"

using cartsim::drugs::BispecificParams;
using cartsim::drugs::PkAmounts;
using cartsim::drugs::pk_after;

namespace {

BispecificParams with_rates(double ka, double half_life) {
    BispecificParams p;
    p.absorption_rate_per_day = ka;
    p.half_life_days = half_life;
    return p;
}

/// depot' = -ka depot, central' = ka depot - ke central, by Boost's Dormand-Prince at tolerance 1e-13.
PkAmounts numerical(const BispecificParams& p, PkAmounts start, double days) {
    using Pair = std::array<double, 2>;
    const double ka = p.absorption_rate_per_day, ke = std::log(2.0) / p.half_life_days;
    Pair y{start.depot_mg, start.central_mg};
    namespace odeint = boost::numeric::odeint;
    odeint::integrate_adaptive(
        odeint::make_controlled(1e-13, 1e-13, odeint::runge_kutta_dopri5<Pair>()),
        [&](const Pair& x, Pair& dx, double) {
            dx[0] = -ka * x[0];
            dx[1] = ka * x[0] - ke * x[1];
        },
        y, 0.0, days, 1e-3);
    return {y[0], y[1]};
}

}  // namespace

TEST_CASE("pharmacokinetics: the exact amounts equal a numerical solution of the depot and central ODEs") {
    // Absorption faster than, slower than, equal to and within 1e-9 of elimination (ke = ln2 / 4 = 0.1733).
    const double ke = std::log(2.0) / 4.0;
    for (const double ka : {0.5, 0.05, ke, ke * (1.0 + 1e-9), 3.0}) {
        CAPTURE(ka);
        const BispecificParams p = with_rates(ka, 4.0);
        for (const double days : {0.01, 0.7, 3.0, 12.5, 60.0}) {
            CAPTURE(days);
            const PkAmounts start{80.0, 15.0};
            const PkAmounts exact = pk_after(p, start, days), reference = numerical(p, start, days);
            CHECK(exact.depot_mg == doctest::Approx(reference.depot_mg).epsilon(1e-10));
            CHECK(exact.central_mg == doctest::Approx(reference.central_mg).epsilon(1e-10));
        }
    }
}

TEST_CASE("pharmacokinetics: equal absorption and elimination give the limit D k t exp(-k t)") {
    const double k = std::log(2.0) / 4.0;
    const PkAmounts a = pk_after(with_rates(k, 4.0), {10.0, 0.0}, 6.0);
    CHECK(a.central_mg == doctest::Approx(10.0 * k * 6.0 * std::exp(-k * 6.0)).epsilon(1e-14));
    CHECK(a.depot_mg == doctest::Approx(10.0 * std::exp(-k * 6.0)).epsilon(1e-14));
}

TEST_CASE("pharmacokinetics: two stretches compose into one, and no time changes nothing") {
    const BispecificParams p = with_rates(0.5, 4.0);
    const PkAmounts start{30.0, 7.0};
    const PkAmounts once = pk_after(p, start, 9.0), twice = pk_after(p, pk_after(p, start, 2.5), 6.5);
    CHECK(twice.depot_mg == doctest::Approx(once.depot_mg).epsilon(1e-13));
    CHECK(twice.central_mg == doctest::Approx(once.central_mg).epsilon(1e-13));
    const PkAmounts none = pk_after(p, start, 0.0), before = pk_after(p, start, -1.0);
    CHECK(none.depot_mg == start.depot_mg);
    CHECK(none.central_mg == start.central_mg);
    CHECK(before.central_mg == start.central_mg);  // a time before the reference is taken as the reference
}
