// Singh et al. 2021 model: parameter description, scenario file, Jacobian, conservation, initial state.

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "model/reference/singh2021.hpp"
#include "tests/model/reference/reference_test_helpers.hpp"

namespace {

using cartsim::reference::index;
using cartsim::reference::Singh2021Model;
using cartsim::reference::Singh2021Params;
using cartsim::reference::Singh2021State;
namespace testing = cartsim::reference::testing;

/// A state partway through treatment, every component positive.
std::vector<double> mid_course_state() {
    std::vector<double> x(cartsim::reference::kSingh2021StateCount);
    x[index(Singh2021State::EffectorBlood)] = 4.0e6;
    x[index(Singh2021State::MemoryBlood)] = 2.0e3;
    x[index(Singh2021State::EffectorMarrow)] = 3.0e7;
    x[index(Singh2021State::MemoryMarrow)] = 5.0e4;
    x[index(Singh2021State::ComplexesMarrow)] = 2.0e8;
    x[index(Singh2021State::TumourMarrow)] = 4.0e8;
    x[index(Singh2021State::MProtein)] = 1.5e11;
    x[index(Singh2021State::SolubleBcma)] = 300.0;
    return x;
}

}  // namespace

TEST_CASE("Singh 2021 parameters: every field described once, with unit and source") {
    Singh2021Params p;
    testing::FieldCollector fields;
    describe(p, fields);
    CHECK(fields.values.size() == 24);
    CHECK(fields.duplicates == 0);
    for (const auto& info : fields.infos) {
        CHECK_FALSE(info.unit.empty());
        CHECK(info.source == cartsim::reference::kSingh2021Source);
        CHECK_FALSE(info.doc.empty());
    }
    CHECK(fields.values.at("kon_l_per_molecule_per_day") ==
          doctest::Approx(7.103e4 * 86400.0 / 6.023e23).epsilon(1e-4));
    CHECK(fields.values.at("koff_per_day") == doctest::Approx(2.385e-3 * 86400.0).epsilon(1e-4));
    CHECK(fields.values.at("mprotein_production_pg_per_l_per_day") == doctest::Approx(12.1 * 2.5e9));
    CHECK(fields.values.at("sbcma_production_ng_per_ml_per_day") == doctest::Approx(0.175 * 2.5e9 * 1e-6));
    CHECK(validate(p).empty());
    p.blood_volume_l = 0.0;
    p.baseline_tumour_cells_per_l = -1.0;
    CHECK(validate(p).size() == 2);
}

TEST_CASE("scenarios/reference/singh2021.yaml lists every parameter with its default value") {
    Singh2021Params p;
    testing::FieldCollector fields;
    describe(p, fields);
    const auto file =
        testing::scenario_parameters(std::string(CARTSIM_SOURCE_DIR) + "/scenarios/reference/singh2021.yaml");
    CHECK(file.size() == fields.values.size());
    for (const auto& field : fields.values) {
        const auto& key = field.first;  // not a structured binding: clang 14 cannot capture one in CAPTURE
        const auto& value = field.second;
        CAPTURE(key);
        REQUIRE(file.count(key) == 1);
        CHECK(file.at(key) == value);
    }
}

TEST_CASE("Singh 2021 analytic Jacobian matches central differences") {
    const Singh2021Model model{Singh2021Params{}};
    auto rhs = [&model](const std::vector<double>& x, std::vector<double>& dxdt) { model(x, dxdt, 0.0); };
    const auto start = model.initial_state(450e6);
    for (const auto& x : {mid_course_state(), std::vector<double>(start.begin(), start.end())}) {
        std::vector<double> jac;
        model.jacobian(x, jac, 0.0);
        REQUIRE(jac.size() == x.size() * x.size());
        CHECK(testing::jacobian_mismatch(rhs, jac, x) < 1e-6);
    }
}

TEST_CASE("Singh 2021 trafficking and differentiation conserve CAR-T cells") {
    Singh2021Params p;
    p.effector_elimination_rate_per_day = 0.0;
    p.memory_elimination_rate_per_day = 0.0;
    p.max_expansion_rate_per_day = 0.0;
    const Singh2021Model model(p);
    const auto x = mid_course_state();
    std::vector<double> dxdt(x.size());
    model(x, dxdt, 0.0);
    using S = Singh2021State;
    const double blood_flux = dxdt[index(S::EffectorBlood)] + dxdt[index(S::MemoryBlood)];
    const double marrow_flux = dxdt[index(S::EffectorMarrow)] + dxdt[index(S::MemoryMarrow)];
    const double cells_per_day = p.blood_volume_l * blood_flux + p.marrow_volume_l * marrow_flux;
    const double gross = p.blood_volume_l * std::abs(dxdt[index(S::EffectorBlood)]);
    CHECK(std::abs(cells_per_day) < 1e-12 * gross);
}

TEST_CASE("Singh 2021 initial state and empty populations") {
    const Singh2021Params p;
    const Singh2021Model model(p);
    const auto x = model.initial_state(150e6);
    using S = Singh2021State;
    CHECK(x[index(S::EffectorBlood)] == 150e6 / 5.0);
    CHECK(x[index(S::EffectorMarrow)] == cartsim::reference::kSingh2021InitialMarrowEffectorCellsPerL);
    CHECK(x[index(S::TumourMarrow)] == 2.5e9);
    // M-protein and sBCMA start at their steady state for T = T0.
    std::vector<double> dxdt(x.size());
    model(std::vector<double>(x.begin(), x.end()), dxdt, 0.0);
    CHECK(std::abs(dxdt[index(S::MProtein)]) < 1e-6 * x[index(S::MProtein)]);
    CHECK(std::abs(dxdt[index(S::SolubleBcma)]) < 1e-9 * x[index(S::SolubleBcma)]);
    const auto out = model.outputs(x);
    CHECK(out.back() == doctest::Approx(0.002 * 150e6 / 5.0));

    std::vector<double> empty(x.size(), 0.0);
    std::vector<double> jac;
    model(empty, dxdt, 0.0);
    model.jacobian(empty, jac, 0.0);
    for (double v : dxdt) CHECK(std::isfinite(v));
    for (double v : jac) CHECK(std::isfinite(v));
}
