// mechanisms.heritable_density (model/README.md item 23): selection under CAR-T moves a clone's
// heritable BCMA shift, drift then relaxes only the plastic part, so the clone's density stays moved after
// the pressure ends; the shift's law against the Price covariance computed by hand; off changes nothing.

#include <doctest/doctest.h>

#include <cmath>

#include <boost/numeric/odeint.hpp>

#include "model/patient/myeloma_model.hpp"
#include "tests/model/patient/fixtures.hpp"

namespace cartsim::patient {
using testing::legacy_mechanisms;
namespace {

TherapySlots one_cart() {
    TherapySlots slots;
    slots.cart.push_back({"car", tcells::CarTParams{}});
    return slots;
}

PatientParams fast_drift() {
    PatientParams p;
    p.tumour.density_drift_rate_per_day = 0.2;
    p.tumour.bcma_loss_per_division = 0.0;  // one clone, no mutants: the density moves by selection alone
    p.tumour.clones = {tumour::CloneSpec{}};
    return p;
}

void integrate(const MyelomaModel& model, State& x, double from, double to) {
    namespace odeint = boost::numeric::odeint;
    odeint::integrate_adaptive(odeint::make_controlled(1e-8, 1e-8, odeint::runge_kutta_dopri5<State>()),
                               [&](const State& y, State& dy, double t) { model(y, dy, t); }, x, from, to, 0.01);
}

/// Median BCMA of the clone after 20 days of CAR-T killing and 100 days without, relative to day 0, and
/// the heritable shift then.
std::pair<double, double> after_pressure(bool heritable) {
    Mechanisms m = legacy_mechanisms();
    m.heritable_density = heritable;
    MyelomaModel model(fast_drift(), m, one_cart());
    const auto& l = model.layout();
    State x = model.initial_state();
    const double before = model.grid().quantile(model.bcma_histogram(x), 0.5);
    x[l.cart(0, CarTPool::EffectorMarrow)] = 3e10;
    integrate(model, x, 0.0, 20.0);
    for (std::size_t k = 0; k < StateLayout::kCarTPools; ++k) x[l.cart(0, static_cast<CarTPool>(k))] = 0.0;
    integrate(model, x, 20.0, 120.0);
    return {model.grid().quantile(model.bcma_histogram(x), 0.5) / before, x[l.bcma_shift(0)]};
}

}  // namespace

TEST_CASE("heritable density: after CAR-T pressure ends, a clone's density stays moved by its heritable part") {
    const auto off = after_pressure(false), on = after_pressure(true);
    const double plastic = off.first, no_shift = off.second, heritable = on.first, shift = on.second;
    CAPTURE(plastic);
    CAPTURE(heritable);
    CAPTURE(shift);
    CHECK(no_shift == 0.0);
    CHECK(std::abs(std::log(plastic)) < 0.05);  // drift has brought it back to its baseline median
    CHECK(shift < -0.1);                        // selection against dense cells has moved the heritable part
    CHECK(std::log(heritable) < -0.1);          // and the density stays down
    // The median stays moved by about the shift (bins are a factor 2.15 wide: within a third of a bin).
    CHECK(std::abs(std::log(heritable) - shift) < std::log(2.15) / 3.0);
}

TEST_CASE("heritable density: the shift follows H x Cov(net growth, ln density) while far from its bound") {
    Mechanisms m = legacy_mechanisms();
    m.heritable_density = true;
    const PatientParams p = fast_drift();
    MyelomaModel model(p, m, one_cart());
    const auto& l = model.layout();
    State x = model.initial_state();
    x[l.cart(0, CarTPool::EffectorMarrow)] = 3e10;
    State dx(x.size());
    model(x, dx, 1.0);
    const TumourRates& r = model.context(x, 1.0).rates;
    double n = 0.0, sx = 0.0, sf = 0.0, sfx = 0.0;
    for (std::size_t k = 1; k < l.bins(); ++k) {
        const std::size_t i = l.tumour(0, k);
        const double f = r.division[i] - r.death[i], lx = std::log(model.grid().centre(k));
        n += x[i];
        sx += x[i] * lx;
        sf += x[i] * f;
        sfx += x[i] * f * lx;
    }
    const double expected = p.tumour.bcma_heritable_fraction * (sfx / n - (sf / n) * (sx / n));
    CHECK(expected < 0.0);  // CAR-T kill dense cells faster
    CHECK(dx[l.bcma_shift(0)] == doctest::Approx(expected).epsilon(1e-12));  // s = 0: the bound does not act yet
}

TEST_CASE("heritable density: a clone of less than one cell keeps its shift (regression: step explosion)") {
    // A clone killed to 1e-300 cells still had a Price covariance, made of numbers near the smallest
    // doubles; its noise drove the shift's derivative and held the ODE to ~70 steps a day in a 5-year
    // ide-cel-then-talquetamab run (15,247 steps against 4,393 with this rule).
    Mechanisms m = legacy_mechanisms();
    m.heritable_density = true;
    MyelomaModel model(fast_drift(), m, one_cart());
    const auto& l = model.layout();
    for (double scale : {1e-300, 1e-14, 0.9 / 3e11, 10.0 / 3e11}) {
        CAPTURE(scale);
        State x = model.initial_state();
        for (std::size_t k = 0; k < l.bins(); ++k) x[l.tumour(0, k)] *= scale;  // 3e11 cells times scale
        x[l.cart(0, CarTPool::EffectorMarrow)] = 3e10;
        State dx(x.size());
        model(x, dx, 1.0);
        if (scale * 3e11 < 1.0)
            CHECK(dx[l.bcma_shift(0)] == 0.0);
        else
            CHECK(dx[l.bcma_shift(0)] < 0.0);  // ten cells: selection moves it as for the whole clone
    }
}

TEST_CASE("heritable density: switched off, nothing moves the shift and the drift is the baseline drift") {
    MyelomaModel on_model(fast_drift(), [] { Mechanisms m = legacy_mechanisms(); m.heritable_density = true; return m; }(), one_cart());
    MyelomaModel off_model(fast_drift(), legacy_mechanisms(), one_cart());
    State x = off_model.initial_state();
    x[off_model.layout().cart(0, CarTPool::EffectorMarrow)] = 3e10;
    State a(x.size()), b(x.size());
    off_model(x, a, 1.0);
    on_model(x, b, 1.0);
    CHECK(a[off_model.layout().bcma_shift(0)] == 0.0);
    // With the shift at 0 the two models' tumour flows are the same; only the shift's derivative differs.
    for (std::size_t i = 0; i < off_model.layout().tumour_end(); ++i) CHECK(a[i] == b[i]);
    CHECK(b[off_model.layout().bcma_shift(0)] != 0.0);
}

}  // namespace cartsim::patient
