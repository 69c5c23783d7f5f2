// The costimulatory domain as a product attribute (mechanisms.costimulation_kinetics).

#include <doctest/doctest.h>

#include "model/patient/myeloma_model.hpp"

using namespace cartsim;
using namespace cartsim::patient;

namespace {

/// Two products alike but for their costimulatory domain: 4-1BB (0) and CD28 (1).
TherapySlots two_domains() {
    TherapySlots slots;
    slots.cart.push_back({"bb", tcells::CarTParams{}});
    slots.cart.push_back({"cd28", tcells::CarTParams{}});
    slots.cart[1].params.costimulation = tcells::Costimulation::Cd28;
    return slots;
}

CarTRates rates_of(const MyelomaModel& model, State x, std::size_t product) {
    for (std::size_t p = 0; p < 2; ++p) {
        x[model.layout().cart(p, CarTPool::EffectorMarrow)] = 1e8;
        x[model.layout().cart(p, CarTPool::MemoryMarrow)] = 1e8;
    }
    model.tumour_rates(x, 0.0);
    return model.cart_rates(x, product, 0.0);
}

}  // namespace

TEST_CASE("costimulation: a CD28 product's memory cells die cd28_memory_death_factor times faster, nothing else") {
    PatientParams p;
    p.car_design.cd28_memory_death_factor = 4.0;
    for (bool on : {true, false}) {
        CAPTURE(on);
        Mechanisms m;
        m.costimulation_kinetics = on;
        m.memory_longevity = false;  // the constant memory death (test_memory_longevity.cpp: the factor with it on)
        MyelomaModel model(p, m, two_domains());
        const State x = model.initial_state();
        const CarTRates bb = rates_of(model, x, 0), cd28 = rates_of(model, x, 1);
        const double factor = on ? 4.0 : 1.0;
        for (auto pool : {CarTPool::MemoryMarrow, CarTPool::MemoryBlood}) {
            const auto k = static_cast<std::size_t>(pool);
            // The same fratricide (marrow) is added to both; the memory death differs by the factor.
            CHECK(cd28.death[k] - bb.death[k] ==
                  doctest::Approx((factor - 1.0) * tcells::CarTParams{}.memory_death_rate_per_day));
        }
        for (auto pool : {CarTPool::EffectorMarrow, CarTPool::EffectorBlood, CarTPool::ExhaustedMarrow}) {
            const auto k = static_cast<std::size_t>(pool);
            CHECK(cd28.death[k] == doctest::Approx(bb.death[k]));
        }
        CHECK(cd28.division == bb.division);
        CHECK(cd28.move == bb.move);
    }
}
