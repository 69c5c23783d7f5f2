#include <doctest/doctest.h>

#include <cmath>
#include <set>

#include "model/patient/myeloma_model.hpp"
#include "tests/model/patient/fixtures.hpp"

using namespace cartsim;
using namespace cartsim::patient;
using cartsim::patient::testing::legacy_mechanisms;

namespace {

/// Compartments a chart touches.
template <class Pool, std::size_t N>
std::set<Pool> touched(const std::array<Flow<Pool>, N>& chart) {
    std::set<Pool> out;
    for (const auto& f : chart) {
        if (f.from) out.insert(*f.from);
        if (f.to) out.insert(*f.to);
    }
    return out;
}

/// Sum of dxdt after applying `chart` with the given amounts, minus what enters from outside plus what
/// leaves: zero when every flow inside the chart only moves its amount.
template <class Pool, std::size_t N>
double imbalance(const std::array<Flow<Pool>, N>& chart, const std::array<double, N>& amounts) {
    State dx(16, 0.0);
    apply_flows(chart, amounts, [](Pool p) { return static_cast<std::size_t>(p); }, dx);
    double total = 0.0, outside = 0.0;
    for (double v : dx) total += v;
    for (std::size_t f = 0; f < N; ++f) {
        if (!chart[f].from) outside += amounts[f];
        if (!chart[f].to) outside -= amounts[f];
    }
    return total - outside;
}

TherapySlots cart_and_bispecific() {
    TherapySlots slots;
    slots.cart.push_back({"car", tcells::CarTParams{}});
    slots.bispecific.push_back({"bsab", drugs::BispecificParams{}});
    return slots;
}

}  // namespace

TEST_CASE("rooms: each compartment room's chart touches only its own compartments, and flows inside it conserve") {
    const auto t = touched(EndogenousTRoom::kChart), m = touched(MyeloidRoom::kChart),
               i = touched(InflammationRoom::kChart);
    CHECK(t == std::set<Compartment>{Compartment::EndogenousFunctional, Compartment::EndogenousExhausted});
    CHECK(m == std::set<Compartment>{Compartment::MacrophageNeutral, Compartment::MacrophageSuppressive,
                                     Compartment::MyeloidImprint});
    CHECK(i == std::set<Compartment>{Compartment::Inflammation, Compartment::LdCytokine, Compartment::Desensitisation});
    CHECK(imbalance(EndogenousTRoom::kChart, {3.0, 5.0, 7.0, 11.0}) == 0.0);
    CHECK(imbalance(MyeloidRoom::kChart, {3.0, 5.0, 7.0, 11.0, 13.0, 17.0, 19.0}) == 0.0);
    CHECK(imbalance(InflammationRoom::kChart, {3.0, 5.0, 7.0, 11.0, 13.0, 17.0}) == 0.0);
}

TEST_CASE("rooms: the right-hand side depends on the state alone, not on what was evaluated before") {
    // The context is a workspace rewritten at every call: a stale value from another state would show.
    MyelomaModel model(PatientParams{}, legacy_mechanisms(), cart_and_bispecific());
    const auto& l = model.layout();
    State a = model.initial_state();
    a[l.cart(0, CarTPool::EffectorMarrow)] = 1e8;
    a[l.bispecific(0, BispecificPool::CentralMgAtDose)] = 2.0;
    a[l.bispecific(0, BispecificPool::DoseDay)] = 18.0;
    State b = a;
    for (std::size_t i = 0; i < l.tumour_end(); ++i) b[i] *= 0.01;
    b[l.compartment(Compartment::MacrophageSuppressive)] *= 3.0;
    b[l.bispecific(0, BispecificPool::CentralMgAtDose)] = 0.1;
    State first(a.size()), between(a.size()), again(a.size());
    model(a, first, 20.0);
    model(b, between, 20.0);
    model(a, again, 20.0);
    CHECK(again == first);
    CHECK(between != first);
    // The agent layer's view: tumour rates, then CAR-T rates, equal what the right-hand side used.
    const RateContext& c = model.context(a, 20.0);
    const CarTRates from_context = CarTRates(model.cart_rates(a, 0, 20.0));
    const TumourRates rates = model.tumour_rates(a, 20.0);
    CHECK(rates.death == c.rates.death);
    CHECK(model.cart_rates(a, 0, 20.0).death == from_context.death);
    CHECK(c.bispecific_occupancy[0] == doctest::Approx(drugs::occupancy(drugs::BispecificParams{},
                                                                         model.bispecific_concentration_ug_per_ml(a, 0, 20.0))));
}

TEST_CASE("rooms: inflammation comes from the T-cell kill in the context, and nothing else of the tumour room") {
    MyelomaModel model(PatientParams{}, legacy_mechanisms(), cart_and_bispecific());
    const auto& l = model.layout();
    State x = model.initial_state();
    x[l.cart(0, CarTPool::EffectorMarrow)] = 1e9;
    const RateContext& c = model.context(x, 15.0);
    double kill = 0.0;
    for (std::size_t i = 0; i < l.tumour_end(); ++i) kill += c.rates.immune[i] * x[i];
    CHECK(kill > 0.0);
    CHECK(c.immune_kill_flux == doctest::Approx(kill).epsilon(1e-12));
    State dx(x.size());
    model(x, dx, 15.0);
    const auto& ip = PatientParams{}.inflammation;
    CHECK(dx[l.compartment(Compartment::Inflammation)] ==
          doctest::Approx(ip.production_per_kill * kill - ip.clearance_rate_per_day * x[l.compartment(Compartment::Inflammation)]));
}

TEST_CASE("rooms: the drug room adds no flows, and a dose adds to the exact amounts at its time") {
    MyelomaModel model(PatientParams{}, legacy_mechanisms(), cart_and_bispecific());
    const auto& l = model.layout();
    const drugs::BispecificParams& bp = model.slots().bispecific[0].params;
    State x = model.initial_state();
    model.dose_bispecific(x, 0, 2.0, {50.0, 0.0, 0.0}, 0.0);
    model.dose_bispecific(x, 0, 9.0, {0.0, 20.0, 0.0}, 7.0);
    // The right-hand side leaves the amounts at the last dose and its day unchanged.
    State dx(x.size());
    model(x, dx, 12.0);
    for (std::size_t pool = 0; pool < StateLayout::kBispecificPools; ++pool)
        CHECK(dx[l.bispecific(0, static_cast<BispecificPool>(pool))] == 0.0);
    CHECK(x[l.bispecific(0, BispecificPool::DoseDay)] == 9.0);
    // Superposition: the subcutaneous dose of day 2 carried to day 12, plus the intravenous one of day 9.
    const drugs::PkRates rates = drugs::pk_rates(bp, 1.0);  // the default product's clearance is constant
    const drugs::PkAmounts first = drugs::pk_after(rates, {50.0, 0.0, 0.0}, 10.0),
                           second = drugs::pk_after(rates, {0.0, 20.0, 0.0}, 3.0);
    CHECK(model.bispecific_concentration_ug_per_ml(x, 0, 12.0) ==
          doctest::Approx((first.central_mg + second.central_mg) / bp.volume_l).epsilon(1e-13));
    CHECK(model.context(x, 12.0).bispecific_occupancy[0] ==
          doctest::Approx(drugs::occupancy(bp, (first.central_mg + second.central_mg) / bp.volume_l)).epsilon(1e-13));
}

TEST_CASE("rooms: a CAR-T product with no cells and a bispecific not yet given change no derivative") {
    // Their recognition is skipped: what the tumour and the host see must equal a patient without them,
    // also right after the same model has evaluated a state in which both act.
    MyelomaModel idle(PatientParams{}, legacy_mechanisms(), cart_and_bispecific());
    MyelomaModel none(PatientParams{}, legacy_mechanisms(), TherapySlots{});
    const auto& li = idle.layout();
    const auto& ln = none.layout();
    State acting = idle.initial_state();
    acting[li.cart(0, CarTPool::EffectorMarrow)] = 1e9;
    idle.dose_bispecific(acting, 0, 0.0, {0.0, 20.0, 0.0}, 0.0);
    State scratch(acting.size());
    idle(acting, scratch, 1.0);
    const State xi = idle.initial_state(), xn = none.initial_state();
    State di(xi.size()), dn(xn.size());
    idle(xi, di, 1.0);
    none(xn, dn, 1.0);
    for (std::size_t i = 0; i < li.tumour_end(); ++i) CHECK(di[i] == dn[i]);
    for (std::size_t k = 0; k < static_cast<std::size_t>(Compartment::Count); ++k) {
        const auto c = static_cast<Compartment>(k);
        CHECK(di[li.compartment(c)] == dn[ln.compartment(c)]);
    }
    CHECK(idle.tumour_rates(xi, 1.0).immune == none.tumour_rates(xn, 1.0).immune);
}
