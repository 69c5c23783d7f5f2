// CARTmath against the published checkpoints of REFERENCE_MODELS.md (HDLM-2, CAR-T 123).

#include <doctest/doctest.h>

#include <algorithm>

#include "src/simulate/reference_runner.hpp"

namespace {

using cartsim::simulate::ReferenceModel;
using cartsim::simulate::ReferenceScenario;
using cartsim::simulate::Table;

constexpr std::size_t kEffector = 1;  // columns after time_day, in REFERENCE_MODELS.md order
constexpr std::size_t kMemory = 2;
constexpr std::size_t kTumour = 3;

ReferenceScenario published() { return cartsim::simulate::default_reference_scenario(ReferenceModel::CartMath); }

}  // namespace

TEST_CASE("CARTmath columns are named as in REFERENCE_MODELS.md") {
    const Table table = cartsim::simulate::run_reference(published()).timeseries;
    CHECK(table.columns ==
          std::vector<std::string>{"time_day", "cart_effector_cells", "cart_memory_cells", "tumour_cells"});
    REQUIRE(table.rows.size() == 201);
    for (std::size_t day = 0; day <= 200; ++day) CHECK(table.rows[day][0] == static_cast<double>(day));
}

TEST_CASE("CARTmath: T(42) = 2.146e7, tumour below one cell on day 46 and then eliminated") {
    const Table table = cartsim::simulate::run_reference(published()).timeseries;
    const auto& rows = table.rows;
    CHECK(rows[42][kTumour] == doctest::Approx(2.146e7).epsilon(1e-3));  // the dose does not touch T
    CHECK(rows[42][kEffector] == 1.5e6);                                 // day 42 is seen after the dose
    CHECK(rows[41][kEffector] == 0.0);
    for (std::size_t day = 43; day <= 45; ++day) CHECK(rows[day][kTumour] >= 1.0);
    CHECK(rows[46][kTumour] < 1.0);
    std::size_t first_zero = 0;
    for (std::size_t day = 46; day <= 200 && first_zero == 0; ++day) {
        if (rows[day][kTumour] == 0.0) first_zero = day;
    }
    REQUIRE(first_zero > 0);
    CHECK(first_zero <= 55);
    for (std::size_t day = first_zero; day <= 200; ++day) CHECK(rows[day][kTumour] == 0.0);
}

TEST_CASE("CARTmath: the effector pool never exceeds the dose (phi < rho), memory persists") {
    const Table table = cartsim::simulate::run_reference(published()).timeseries;
    double effector_peak = 0.0;
    for (const auto& row : table.rows) effector_peak = std::max(effector_peak, row[kEffector]);
    CHECK(effector_peak == 1.5e6);
    CHECK(table.rows.back()[kMemory] > 1.0e5);
}

TEST_CASE("CARTmath: without the extinction rule the tumour only becomes tiny, the rest is unchanged") {
    ReferenceScenario scenario = published();
    scenario.cartmath.extinction_threshold_cells = 0.0;
    const Table without = cartsim::simulate::run_reference(scenario).timeseries;
    const Table with = cartsim::simulate::run_reference(published()).timeseries;
    CHECK(without.rows[200][kTumour] > 0.0);
    CHECK(without.rows[200][kTumour] < 1e-6);
    for (std::size_t day = 0; day <= 200; ++day) {
        CAPTURE(day);
        CHECK(without.rows[day][kEffector] == doctest::Approx(with.rows[day][kEffector]).epsilon(1e-8));
        CHECK(without.rows[day][kMemory] == doctest::Approx(with.rows[day][kMemory]).epsilon(1e-8));
    }
}

TEST_CASE("CARTmath: a dose on day 0 is applied before the first output") {
    ReferenceScenario scenario = published();
    scenario.cartmath.dose_day = 0.0;
    scenario.horizon_days = 10.0;
    const Table table = cartsim::simulate::run_reference(scenario).timeseries;
    CHECK(table.rows[0][kEffector] == 1.5e6);
    CHECK(table.rows[10][kTumour] < table.rows[0][kTumour]);
}
