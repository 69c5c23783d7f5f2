// The exact bispecific pharmacokinetics (model/drugs/pharmacokinetics.hpp) against a numerical
// solution of the same linear ODEs (one and two compartments), its limits, its composition in time,
// and the error of holding a time-varying clearance constant over each dosing interval.

#include <array>
#include <cmath>

#include <boost/numeric/odeint.hpp>
#include <doctest/doctest.h>

#include "model/drugs/pharmacokinetics.hpp"

using cartsim::drugs::BispecificParams;
using cartsim::drugs::clearance_factor;
using cartsim::drugs::PkAmounts;
using cartsim::drugs::pk_after;
using cartsim::drugs::pk_rates;
using cartsim::drugs::PkRates;

namespace {

using Triple = std::array<double, 3>;
namespace odeint = boost::numeric::odeint;

/// depot' = -ka d, central' = ka d - (k10 + k12) c + k21 p, peripheral' = k12 c - k21 p, where k10 may
/// follow time (k10_of(t)); Boost's Dormand-Prince at tolerance 1e-13.
template <class K10>
Triple numerical(double ka, K10 k10_of, double k12, double k21, Triple y, double from, double to) {
    odeint::integrate_adaptive(
        odeint::make_controlled(1e-13, 1e-13, odeint::runge_kutta_dopri5<Triple>()),
        [&](const Triple& x, Triple& dx, double t) {
            dx[0] = -ka * x[0];
            dx[1] = ka * x[0] - (k10_of(t) + k12) * x[1] + k21 * x[2];
            dx[2] = k12 * x[1] - k21 * x[2];
        },
        y, from, to, 1e-3);
    return y;
}

PkAmounts numerical(const PkRates& r, PkAmounts start, double days) {
    const Triple y = numerical(
        r.ka, [&](double) { return r.k10; }, r.k12, r.k21, {start.depot_mg, start.central_mg, start.peripheral_mg}, 0.0,
        days);
    return {y[0], y[1], y[2]};
}

void check_close(const PkAmounts& exact, const PkAmounts& reference, double epsilon) {
    CHECK(exact.depot_mg == doctest::Approx(reference.depot_mg).epsilon(epsilon));
    CHECK(exact.central_mg == doctest::Approx(reference.central_mg).epsilon(epsilon));
    CHECK(exact.peripheral_mg == doctest::Approx(reference.peripheral_mg).epsilon(epsilon));
}

}  // namespace

TEST_CASE("pharmacokinetics: one compartment, the exact amounts equal a numerical solution") {
    // Absorption faster than, slower than, equal to and within 1e-9 of elimination (k10 = ln2 / 4).
    const double ke = std::log(2.0) / 4.0;
    for (const double ka : {0.5, 0.05, ke, ke * (1.0 + 1e-9), 3.0}) {
        CAPTURE(ka);
        const PkRates r{ka, ke, 0.0, 0.0};
        for (const double days : {0.01, 0.7, 3.0, 12.5, 60.0}) {
            CAPTURE(days);
            check_close(pk_after(r, {80.0, 15.0, 0.0}, days), numerical(r, {80.0, 15.0, 0.0}, days), 1e-10);
        }
    }
}

TEST_CASE("pharmacokinetics: two compartments, the exact amounts equal a numerical solution") {
    // Absorption faster and slower than both disposition rates, and equal to one of them.
    const double k10 = 0.12, k12 = 0.09, k21 = 0.15;
    const double s = k10 + k12 + k21, alpha = 0.5 * (s + std::sqrt(s * s - 4.0 * k10 * k21));
    for (const double ka : {0.6, 0.02, alpha, k10 * k21 / alpha}) {
        CAPTURE(ka);
        const PkRates r{ka, k10, k12, k21};
        for (const double days : {0.01, 0.7, 3.0, 12.5, 60.0, 200.0}) {
            CAPTURE(days);
            check_close(pk_after(r, {80.0, 15.0, 6.0}, days), numerical(r, {80.0, 15.0, 6.0}, days), 1e-9);
        }
    }
}

TEST_CASE("pharmacokinetics: equal absorption and elimination give the limit D k t exp(-k t)") {
    const double k = std::log(2.0) / 4.0;
    const PkAmounts a = pk_after(PkRates{k, k, 0.0, 0.0}, {10.0, 0.0, 0.0}, 6.0);
    CHECK(a.central_mg == doctest::Approx(10.0 * k * 6.0 * std::exp(-k * 6.0)).epsilon(1e-14));
    CHECK(a.depot_mg == doctest::Approx(10.0 * std::exp(-k * 6.0)).epsilon(1e-14));
}

TEST_CASE("pharmacokinetics: mass balance, two stretches compose into one, and no time changes nothing") {
    const PkRates r{0.5, 0.1, 0.08, 0.2};
    const PkAmounts start{30.0, 7.0, 2.0};
    // Without elimination nothing leaves: depot + central + peripheral stays 39 mg.
    const PkAmounts kept = pk_after(PkRates{0.5, 0.0, 0.08, 0.2}, start, 17.0);
    CHECK(kept.depot_mg + kept.central_mg + kept.peripheral_mg == doctest::Approx(39.0).epsilon(1e-13));
    const PkAmounts once = pk_after(r, start, 9.0), twice = pk_after(r, pk_after(r, start, 2.5), 6.5);
    check_close(twice, once, 1e-13);
    const PkAmounts none = pk_after(r, start, 0.0), before = pk_after(r, start, -1.0);
    CHECK(none.central_mg == start.central_mg);
    CHECK(none.peripheral_mg == start.peripheral_mg);
    CHECK(before.central_mg == start.central_mg);  // a time before the reference is taken as the reference
}

TEST_CASE("pharmacokinetics: the rate constants follow the parameters, and clearance falls as its Hill law") {
    BispecificParams p;
    p.half_life_days = 5.0;
    p.volume_l = 4.0;
    p.peripheral_volume_l = 2.0;
    p.intercompartmental_clearance_l_per_day = 0.6;
    const PkRates r = pk_rates(p, 0.5);
    CHECK(r.k10 == doctest::Approx(0.5 * std::log(2.0) / 5.0).epsilon(1e-15));
    CHECK(r.k12 == doctest::Approx(0.15).epsilon(1e-15));
    CHECK(r.k21 == doctest::Approx(0.3).epsilon(1e-15));
    CHECK(clearance_factor(p, 100.0) == 1.0);  // no time-varying part by default
    p.clearance_reduction_max = 0.4;
    p.clearance_reduction_half_time_days = 20.0;
    p.clearance_reduction_hill = 2.0;
    CHECK(clearance_factor(p, 0.0) == 1.0);
    CHECK(clearance_factor(p, 20.0) == doctest::Approx(0.8).epsilon(1e-15));  // half the fall at T50
    CHECK(clearance_factor(p, 40.0) == doctest::Approx(1.0 - 0.4 * 0.8).epsilon(1e-15));
}

TEST_CASE("pharmacokinetics: clearance held over each weekly interval stays close to a continuous fall") {
    // Twelve weekly subcutaneous doses with CL falling by 40% (T50 4 weeks): the exact solution with the
    // clearance of each dose day against the ODE whose clearance follows time. Holding the interval's
    // first clearance over-clears, so the exact troughs are at most the continuous ones and within 6% of
    // them (the largest fall within one week, at the start, is 1 - CF(7) = 8%, and it acts on a trough
    // once). Tolerance: the bound the test prints if it fails, set from that week's fall.
    BispecificParams p;
    p.absorption_rate_per_day = 0.5;
    p.half_life_days = 4.0;
    p.volume_l = 5.0;
    p.peripheral_volume_l = 3.0;
    p.intercompartmental_clearance_l_per_day = 0.5;
    p.clearance_reduction_max = 0.4;
    p.clearance_reduction_half_time_days = 28.0;
    const PkRates base = pk_rates(p, 1.0);
    const auto k10_of = [&](double t) { return base.k10 * clearance_factor(p, t); };
    PkAmounts exact{};
    Triple continuous{0.0, 0.0, 0.0};
    for (int dose = 0; dose < 12; ++dose) {
        const double day = 7.0 * dose;
        exact.depot_mg += 70.0;
        continuous[0] += 70.0;
        exact = pk_after(pk_rates(p, clearance_factor(p, day)), exact, 7.0);
        continuous = numerical(p.absorption_rate_per_day, k10_of, base.k12, base.k21, continuous, day, day + 7.0);
        CAPTURE(dose);
        CHECK(exact.central_mg <= continuous[1] * (1.0 + 1e-9));
        CHECK(exact.central_mg >= continuous[1] * 0.94);
    }
}
