#pragma once
// Shared by the simulate tests: a plain untreated patient, column look-ups in a run's time series, and
// a hybrid layer grown out of its agents.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "src/scenario/loader.hpp"
#include "src/simulate/hybrid_tumour.hpp"
#include "src/simulate/run_result.hpp"
#include "src/simulate/scenario.hpp"

namespace cartsim::simulate::testing {

/// Loads YAML text through the scenario loader (via a temporary file, removed again); fails the test
/// with the loader's errors if it refuses the text.
inline scenario::LoadedScenario load_text(const std::string& text) {
    namespace fs = std::filesystem;
    const fs::path file = fs::temp_directory_path() / ("cartsim-test-" + std::to_string(std::random_device{}()) + ".yaml");
    std::ofstream(file) << text;
    auto loaded = scenario::load_scenario(file.string(), {});
    fs::remove(file);
    REQUIRE_MESSAGE(loaded, config::format_errors(loaded.errors()));
    return loaded.value();
}

/// An untreated tumour of `cells` cells growing exponentially: no APRIL, no antigen loss, no
/// background mortality, a carrying capacity far above anything it reaches.
inline Scenario untreated_patient(double cells, double horizon_days) {
    Scenario s;
    s.horizon_days = horizon_days;
    s.patient.tumour.initial_cells = cells;
    s.patient.tumour.carrying_capacity_cells = 1e15;
    s.patient.tumour.lethal_burden_cells = 1e14;
    s.mechanisms.april_support = false;
    s.mechanisms.antigen_loss = false;
    s.mechanisms.background_mortality = false;
    return s;
}

inline std::size_t column(const Table& t, const std::string& name) {
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (t.columns[i] == name) return i;
    FAIL("no column " << name);
    return 0;
}

/// The value of `name` in the row of `day` (daily output).
inline double value(const RunResult& r, const std::string& name, std::size_t day) {
    return r.timeseries.rows.at(day)[column(r.timeseries, name)];
}

/// Advances a hybrid layer day by day (the agents on their grid, then a synchronisation) until clone 0
/// has left the agents or 2000 days have passed; returns the day it stopped.
inline double grow_out_of_agents(HybridTumour& hybrid, patient::State& x) {
    double t = 0.0;
    while (hybrid.representation(0) == hybrid::Representation::Agents && t < 2000.0) {
        t += 1.0;
        patient::State copy = x;
        hybrid.advance_to(t, copy);
        hybrid.synchronise(t, x);
    }
    return t;
}

}  // namespace cartsim::simulate::testing
