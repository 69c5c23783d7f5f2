#include <doctest/doctest.h>

#include <array>
#include <cmath>

#include "model/patient/host_rooms.hpp"
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

TEST_CASE("anti-CAR: without contraction the primed response is the logistic of the former closed form") {
    PatientParams p;
    p.t_cells.anti_car_expansion_rate_per_day = 1.0;
    Mechanisms m;
    m.anti_car_contraction = false;
    MyelomaModel model(p, m, products({{"a", "scFv"}}));
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

TEST_CASE("anti-CAR contraction: the two flows against hand-worked values") {
    tcells::EndogenousTParams t;
    t.anti_car_expansion_rate_per_day = 1.0;
    t.anti_car_contraction_rate_per_day = 0.14;
    t.anti_car_memory_fraction = 0.05;
    t.anti_car_antigen_half_saturation_cells = 1e7;
    const AntiCarRoom on(t, true), off(t, false);
    // Off: the former law whatever the antigen, dy/dt = k.
    CHECK(off.amounts(0.0, 0.0) == std::array<double, 2>{1.0, 0.0});
    CHECK(off.amounts(3.0, 1e9) == std::array<double, 2>{1.0, 0.0});
    // y = 0 (A = 1/2) with antigen at its half-saturation: drive k/2; contraction c (1/2 - A_m) / (1/4).
    auto a = on.amounts(0.0, 1e7);
    CHECK(a[0] == doctest::Approx(0.5));
    CHECK(a[1] == doctest::Approx(0.14 * 0.45 / 0.25));
    // y = 3: A = 1 / (1 + e^-3); contraction c (A - A_m) / (A (1 - A)); no antigen, no drive.
    const double big = 1.0 / (1.0 + std::exp(-3.0));
    a = on.amounts(3.0, 0.0);
    CHECK(a[0] == 0.0);
    CHECK(a[1] == doctest::Approx(0.14 * (big - 0.05) / (big * (1.0 - big))));
    // The positive part is rounded over |A - A_m| < w = A_m / 4: nothing contracts below A_m - w, at A_m
    // the parabola gives w / 4; a negative count is no antigen.
    const auto logit = [](double v) { return std::log(v / (1.0 - v)); };
    CHECK(on.amounts(logit(0.05 - 0.0125 - 1e-9), 1e9)[1] == 0.0);
    CHECK(on.amounts(logit(0.05), 0.0)[1] == doctest::Approx(0.14 * (0.0125 / 4.0) / (0.05 * 0.95)));
    CHECK(on.amounts(logit(0.05 + 0.0125), 0.0)[1] == doctest::Approx(0.14 * 0.0125 / (0.0625 * 0.9375)));
    CHECK(on.amounts(-5.0, -1e6)[0] == 0.0);
    // A response that rounds to 1 still gives a finite flow (no division by zero), and one that rounds to
    // 0 gives none (0/0 before the soak of 2026-12-07 found it: k 7.58/day and onset 112 days prime at
    // log-odds -851, where exp underflows).
    CHECK(std::isfinite(on.amounts(40.0, 0.0)[1]));
    CHECK(std::isfinite(on.amounts(800.0, 0.0)[1]));
    CHECK(on.amounts(-1000.0, 0.0)[1] == 0.0);
}

TEST_CASE("anti-CAR contraction: without antigen the response falls to its memory share as A_m + (A0 - A_m) e^-ct") {
    tcells::EndogenousTParams t;
    const AntiCarRoom room(t, true);
    const double c = t.anti_car_contraction_rate_per_day, am = t.anti_car_memory_fraction;
    double y = std::log(0.9 / 0.1);  // A0 = 0.9
    const double h = 0.01;           // classical RK4 on dy/dt = -(contraction flow)
    const auto f = [&](double v) { return -room.amounts(v, 0.0)[1]; };
    for (int i = 1; i <= 3000; ++i) {  // 30 days: A - A_m stays above the rounding width A_m / 4
        const double k1 = f(y), k2 = f(y + h / 2 * k1), k3 = f(y + h / 2 * k2), k4 = f(y + h * k3);
        y += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        if (i % 1000 == 0) {
            const double days = i * h;
            CAPTURE(days);
            CHECK(AntiCarRoom::response(y, true) == doctest::Approx(am + (0.9 - am) * std::exp(-c * days)).epsilon(1e-8));
        }
    }
}

TEST_CASE("anti-CAR contraction: at saturating antigen the response settles where growth and contraction balance") {
    tcells::EndogenousTParams t;
    const AntiCarRoom room(t, true);
    const double k = t.anti_car_expansion_rate_per_day, c = t.anti_car_contraction_rate_per_day;
    const double am = t.anti_car_memory_fraction, antigen = 1e12;
    const double g = antigen / (antigen + t.anti_car_antigen_half_saturation_cells);
    // k g A (1 - A) = c (A - A_m): A^2 - (1 - c/(k g)) A - c A_m / (k g) = 0.
    const double b = 1.0 - c / (k * g);
    const double equilibrium = (b + std::sqrt(b * b + 4.0 * c * am / (k * g))) / 2.0;
    const auto net = [&](double a) {
        const auto flows = room.amounts(std::log(a / (1.0 - a)), antigen);
        return flows[0] - flows[1];
    };
    CHECK(std::abs(net(equilibrium)) < 1e-9);
    CHECK(net(equilibrium - 0.05) > 0.0);  // below it the response grows, above it contracts
    CHECK(net(equilibrium + 0.05) < 0.0);
    CHECK(equilibrium == doctest::Approx(0.868).epsilon(1e-3));  // hand-worked at the defaults
}

TEST_CASE("anti-CAR contraction: the antigen is every CAR-T cell with the binder, and the switch changes only the response") {
    TherapySlots slots = products({{"a", "scFv"}, {"b", "VHH"}, {"c", "scFv"}});
    Mechanisms on_m, off_m;
    off_m.anti_car_contraction = false;
    MyelomaModel on(PatientParams{}, on_m, slots), off(PatientParams{}, off_m, slots);
    State x = on.initial_state();
    x[on.layout().cart(0, CarTPool::EffectorMarrow)] = 4e6;
    x[on.layout().cart(2, CarTPool::MemoryBlood)] = 6e6;     // same binder as product a
    x[on.layout().cart(1, CarTPool::EffectorMarrow)] = 1e12;  // another binder: not this response's antigen
    for (auto* m : {&on, &off}) m->prime_anti_car(x, 0);
    const std::size_t y = on.layout().anti_car(on.binder_of(0));
    x[y] = 0.0;  // A = 1/2
    State d_on(x.size()), d_off(x.size());
    on(x, d_on, 0.0);
    off(x, d_off, 0.0);
    const tcells::EndogenousTParams t;
    const double expected = t.anti_car_expansion_rate_per_day * 1e7 / (1e7 + t.anti_car_antigen_half_saturation_cells) -
                            t.anti_car_contraction_rate_per_day * 0.45 / 0.25;
    CHECK(d_on[y] == doctest::Approx(expected));
    CHECK(d_off[y] == doctest::Approx(t.anti_car_expansion_rate_per_day));
    for (std::size_t i = 0; i < x.size(); ++i)
        if (i != y) CHECK(d_on[i] == d_off[i]);
}
