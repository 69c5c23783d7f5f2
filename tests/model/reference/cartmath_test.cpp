// CARTmath model: parameter description, scenario file, Jacobian and the extinction rule.

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "model/reference/cartmath.hpp"
#include "tests/model/reference/reference_test_helpers.hpp"

namespace {

using cartsim::reference::CartMathModel;
using cartsim::reference::CartMathParams;
using cartsim::reference::CartMathState;
using cartsim::reference::index;
namespace testing = cartsim::reference::testing;

}  // namespace

TEST_CASE("CARTmath parameters: every field described once, with unit and source") {
    CartMathParams p;
    testing::FieldCollector fields;
    describe(p, fields);
    CHECK(fields.values.size() == 12);
    CHECK(fields.duplicates == 0);
    for (const auto& info : fields.infos) {
        CHECK_FALSE(info.unit.empty());
        CHECK_FALSE(info.source.empty());
    }
    CHECK(fields.values.at("extinction_threshold_cells") == 1e-6);
    CHECK(validate(p).empty());
    p.initial_tumour_cells = 0.0;
    CHECK(validate(p).size() == 1);
}

TEST_CASE("scenarios/reference/cartmath.yaml lists every parameter with its default value") {
    CartMathParams p;
    testing::FieldCollector fields;
    describe(p, fields);
    const auto file =
        testing::scenario_parameters(std::string(CARTSIM_SOURCE_DIR) + "/scenarios/reference/cartmath.yaml");
    CHECK(file.size() == fields.values.size());
    for (const auto& field : fields.values) {
        const auto& key = field.first;  // not a structured binding: clang 14 cannot capture one in CAPTURE
        const auto& value = field.second;
        CAPTURE(key);
        REQUIRE(file.count(key) == 1);
        CHECK(file.at(key) == value);
    }
}

TEST_CASE("CARTmath analytic Jacobian matches central differences") {
    const CartMathModel model{CartMathParams{}};
    auto rhs = [&model](const std::vector<double>& x, std::vector<double>& dxdt) { model(x, dxdt, 0.0); };
    for (const auto& x : {std::vector<double>{1.2e6, 3.0e5, 2.0e7}, std::vector<double>{5.0e5, 1.1e6, 40.0}}) {
        std::vector<double> jac;
        model.jacobian(x, jac, 0.0);
        CHECK(testing::jacobian_mismatch(rhs, jac, x) < 1e-6);
    }
}

TEST_CASE("CARTmath memory activation moves cells from memory to effector without loss") {
    CartMathParams p;
    p.effector_expansion_rate_per_day = 0.0;
    p.effector_loss_rate_per_day = 0.0;
    p.memory_formation_rate_per_day = 0.0;
    p.effector_inhibition_rate_per_cell_per_day = 0.0;
    p.memory_death_rate_per_day = 0.0;
    const CartMathModel model(p);
    std::vector<double> x{1.0e6, 2.0e6, 3.0e7}, dxdt(3);
    model(x, dxdt, 0.0);
    CHECK(dxdt[index(CartMathState::Memory)] < 0.0);
    CHECK(dxdt[index(CartMathState::Effector)] + dxdt[index(CartMathState::Memory)] == 0.0);
}

TEST_CASE("CARTmath extinction rule: below the threshold (negatives too) becomes zero, 0 disables it") {
    const CartMathModel model{CartMathParams{}};
    std::vector<double> x{5e-7, -1e-9, 2.0};
    CHECK(model.apply_extinction(x));
    CHECK(x == std::vector<double>{0.0, 0.0, 2.0});
    CHECK_FALSE(model.apply_extinction(x));  // already zero: no change, so no stepper restart
    std::vector<double> above{1e-6, 3.0, 4.0};
    CHECK_FALSE(model.apply_extinction(above));

    CartMathParams off;
    off.extinction_threshold_cells = 0.0;
    std::vector<double> tiny{5e-7, 1e-30, 2.0};
    CHECK_FALSE(CartMathModel(off).apply_extinction(tiny));
    CHECK(tiny[1] == 1e-30);
}

TEST_CASE("CARTmath initial state and dose") {
    const CartMathModel model{CartMathParams{}};
    auto x = model.initial_state();
    CHECK(x[index(CartMathState::Tumour)] == 2.0e6);
    CHECK(x[index(CartMathState::Effector)] == 0.0);
    CartMathModel::apply_dose(x, 1.5e6);
    CHECK(x[index(CartMathState::Effector)] == 1.5e6);
}
