#include <doctest/doctest.h>

#include <cmath>

#include "model/patient/myeloma_model.hpp"

using namespace cartsim;
using namespace cartsim::patient;

namespace {

TherapySlots products(std::initializer_list<std::pair<const char*, const char*>> name_and_binder) {
    TherapySlots slots;
    for (const auto& [name, binder] : name_and_binder) {
        slots.cart.push_back({name, tcells::CarTParams{}});
        slots.cart.back().params.binder_id = binder;
        slots.cart.back().params.immunogenicity_onset_days = 14.0;
    }
    return slots;
}

}  // namespace

TEST_CASE("anti-CAR: products with the same binder share one response, another binder has its own") {
    MyelomaModel model(PatientParams{}, Mechanisms{}, products({{"a", "scFv"}, {"b", "VHH"}, {"c", "scFv"}}));
    CHECK(model.layout().cart_binders() == 2);
    CHECK(model.binder_of(0) == model.binder_of(2));
    CHECK(model.binder_of(0) != model.binder_of(1));
    CHECK(model.binder_names() == std::vector<std::string>{"scFv", "VHH"});
}

TEST_CASE("anti-CAR: the primed response is the logistic of the former closed form (half-maximal at the onset)") {
    PatientParams p;
    p.t_cells.anti_car_expansion_rate_per_day = 1.0;
    MyelomaModel model(p, Mechanisms{}, products({{"a", "scFv"}}));
    State x = model.initial_state();
    const std::size_t y = model.layout().anti_car(0);
    State dx(x.size());
    model(x, dx, 0.0);
    CHECK(model.anti_car_response(x, 0) == 0.0);  // unprimed: no response, and it does not grow
    CHECK(dx[y] == 0.0);
    model.prime_anti_car(x, 0);
    CHECK(model.anti_car_response(x, 0) == doctest::Approx(1.0 / (1.0 + std::exp(14.0))).epsilon(1e-12));
    model(x, dx, 0.0);
    CHECK(dx[y] == 1.0);  // dy/dt = k: the logistic dA/dt = k A (1 - A) in log-odds
    // Hand-worked: 14 days after priming y = 0, so A = 1/2; 30 days after, A = 1 / (1 + e^-16).
    x[y] += 14.0;
    CHECK(model.anti_car_response(x, 0) == doctest::Approx(0.5));
    x[y] += 16.0;
    CHECK(model.anti_car_response(x, 0) == doctest::Approx(1.0 / (1.0 + std::exp(-16.0))));
}

TEST_CASE("anti-CAR: a second infusion meets the remembered response, without memory it starts afresh") {
    for (bool memory : {true, false}) {
        CAPTURE(memory);
        Mechanisms m;
        m.anti_car_memory = memory;
        MyelomaModel model(PatientParams{}, m, products({{"a", "scFv"}, {"b", "VHH"}, {"c", "scFv"}}));
        State x = model.initial_state();
        model.prime_anti_car(x, 0);
        x[model.layout().anti_car(model.binder_of(0))] += 60.0;  // 60 days later: a full response
        const double full = model.anti_car_response(x, model.binder_of(0));
        CHECK(full > 0.999);
        model.prime_anti_car(x, 2);  // same binder, another product
        model.prime_anti_car(x, 1);  // another binder
        const double primed = 1.0 / (1.0 + std::exp(14.0));
        CHECK(model.anti_car_response(x, model.binder_of(2)) == doctest::Approx(memory ? full : primed));
        CHECK(model.anti_car_response(x, model.binder_of(1)) == doctest::Approx(primed));
    }
}

TEST_CASE("anti-CAR: lymphodepletion removes its share of the responding cells, no more") {
    MyelomaModel model(PatientParams{}, Mechanisms{}, products({{"a", "scFv"}}));
    State x = model.initial_state();
    model.deplete_anti_car(x, 0.1);  // unprimed: nothing to deplete
    CHECK(model.anti_car_response(x, 0) == 0.0);
    model.prime_anti_car(x, 0);
    x[model.layout().anti_car(0)] += 20.0;
    const double before = model.anti_car_response(x, 0);
    model.deplete_anti_car(x, 0.1);
    CHECK(model.anti_car_response(x, 0) == doctest::Approx(0.1 * before).epsilon(1e-12));
    const double kept = x[model.layout().anti_car(0)];
    x[model.layout().anti_car(0)] = 60.0;  // a response that rounds to 1 in double precision
    model.deplete_anti_car(x, 1.0);        // lymphodepletion that spares T cells: nothing changes
    CHECK(x[model.layout().anti_car(0)] == 60.0);
    x[model.layout().anti_car(0)] = kept;
    model.deplete_anti_car(x, 0.0);  // every responding cell gone: unprimed again
    CHECK(model.anti_car_response(x, 0) == 0.0);
}

TEST_CASE("anti-CAR: the response raises the product's death in proportion, and only its own product's") {
    TherapySlots slots = products({{"a", "scFv"}, {"b", "VHH"}});
    for (auto& s : slots.cart) {
        s.params.immunogenicity_death_multiplier = 2.0;
        s.params.fratricide_per_trogocytosis = 0.0;  // leaves immune death as the only added death
    }
    MyelomaModel model(PatientParams{}, Mechanisms{}, slots);
    State x = model.initial_state();
    for (std::size_t p = 0; p < 2; ++p) x[model.layout().cart(p, CarTPool::EffectorMarrow)] = 1e8;
    model.prime_anti_car(x, 0);
    x[model.layout().anti_car(0)] = 0.0;  // A = 1/2 for binder scFv
    model.tumour_rates(x, 0.0);
    const auto effector = static_cast<std::size_t>(CarTPool::EffectorMarrow);
    const double base = tcells::CarTParams{}.effector_death_rate_per_day;
    CHECK(model.cart_rates(x, 0, 0.0).death[effector] == doctest::Approx(base * (1.0 + 2.0 * 0.5)));
    CHECK(model.cart_rates(x, 1, 0.0).death[effector] == doctest::Approx(base));
}
