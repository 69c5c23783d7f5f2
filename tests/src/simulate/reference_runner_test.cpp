// src/simulate/reference_runner: output grid, names, validation and solver statistics.

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "src/simulate/reference_runner.hpp"

using cartsim::simulate::ReferenceModel;

TEST_CASE("reference model names") {
    CHECK(cartsim::enum_name(ReferenceModel::Singh2021) == "singh2021");
    CHECK(cartsim::enum_name(ReferenceModel::CartMath) == "cartmath");
    CHECK(cartsim::enum_from_name<ReferenceModel>("cartmath") == ReferenceModel::CartMath);
}

TEST_CASE("reference defaults: published doses, horizons and tight tolerances") {
    const auto singh = cartsim::simulate::default_reference_scenario(ReferenceModel::Singh2021);
    CHECK(singh.dose_cells == 450e6);
    CHECK(singh.horizon_days == 365.0);
    CHECK(singh.solver.method == cartsim::ode::Method::Bdf);
    CHECK(singh.solver.rel_tol <= 1e-10);
    CHECK(singh.solver.abs_tol <= 1e-10);
    const auto cartmath = cartsim::simulate::default_reference_scenario(ReferenceModel::CartMath);
    CHECK(cartmath.dose_cells == 1.5e6);
    CHECK(cartmath.horizon_days == 200.0);
    CHECK(cartmath.solver.method == cartsim::ode::Method::Dopri5);
    CHECK(cartmath.solver.rel_tol <= 1e-10);
}

TEST_CASE("reference runs write rows at k * interval up to the horizon, with solver statistics") {
    auto s = cartsim::simulate::default_reference_scenario(ReferenceModel::Singh2021);
    s.horizon_days = 10.0;
    s.output_interval_days = 0.25;
    const auto result = cartsim::simulate::run_reference(s);
    CHECK(result.method == "bdf");
    REQUIRE(result.timeseries.rows.size() == 41);
    CHECK(result.timeseries.columns.size() == 10);
    CHECK(result.timeseries.columns.front() == "time_day");
    CHECK(result.timeseries.columns.back() == "transgene_copies_per_ug");
    CHECK(result.timeseries.rows.back().front() == 10.0);
    CHECK(result.timeseries.rows[3].front() == 0.75);
    for (const auto& row : result.timeseries.rows) CHECK(row.size() == 10);
    CHECK(result.stats.steps > 0);
    // BDF reuses its Jacobian across steps: far fewer Jacobians than steps, at least one.
    CHECK(result.stats.jacobian_evaluations >= 1);
    CHECK(result.stats.jacobian_evaluations < result.stats.steps / 10);
}

TEST_CASE("an invalid reference scenario is rejected with every problem listed") {
    auto s = cartsim::simulate::default_reference_scenario(ReferenceModel::Singh2021);
    s.dose_cells = -1.0;
    s.output_interval_days = 0.0;
    s.singh.marrow_volume_l = 0.0;
    try {
        cartsim::simulate::run_reference(s);
        FAIL("no exception");
    } catch (const std::invalid_argument& e) {
        const std::string message = e.what();
        CHECK(message.find("dose_cells") != std::string::npos);
        CHECK(message.find("interval_days") != std::string::npos);
        CHECK(message.find("parameters.marrow_volume_l") != std::string::npos);
    }
}
