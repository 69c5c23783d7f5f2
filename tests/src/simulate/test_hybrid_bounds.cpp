// Bounds on the hybrid layer's work and memory (hybrid.max_agents, hybrid.max_lineages) and the
// per-run wall-time limit (RunOptions::wall_seconds_limit).

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "src/simulate/hybrid_tumour.hpp"
#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

using namespace cartsim;
using namespace cartsim::simulate;
using namespace cartsim::simulate::testing;

namespace {

/// An untreated tumour of 3e9 cells whose BCMA losses found about 3,000 mutant lineages in 60 days,
/// each a single agent of the BCMA-heterozygous clone when it is founded.
Scenario mutant_flood() {
    Scenario s = untreated_patient(3e9, 60.0);
    s.mechanisms.antigen_loss = true;
    s.patient.tumour.bcma_loss_per_division = 1e-6;
    // About 6,500 founders in 60 days: the mutant clone stays agents below 1e4 cells.
    s.hybrid.to_agents_below_cells = 1e3;
    s.hybrid.to_ode_above_cells = 1e4;
    return s;
}

}  // namespace

TEST_CASE("hybrid bounds: founding events beyond max_lineages pool into one record per clone, the run unchanged") {
    const Scenario s = mutant_flood();
    const RunResult free = run_patient(s);
    const auto all = static_cast<std::int64_t>(free.lineages.size());
    REQUIRE(all > 1000);
    CHECK(free.summary.lineage_bound_hits == 0);
    CHECK(free.summary.lineage_records == all);

    Scenario bounded = s;
    bounded.hybrid.max_lineages = 50;
    const RunResult pooled = run_patient(bounded);
    // The bound changes bookkeeping only: the same random path and the same numbers.
    CHECK(pooled.timeseries.rows == free.timeseries.rows);
    CHECK(pooled.summary.peak_agents == free.summary.peak_agents);
    REQUIRE(pooled.lineages.size() == 51);  // 50, then one pooled record for the one mutant clone
    CHECK(pooled.summary.lineage_records == 51);
    CHECK(pooled.summary.lineage_bound_hits == all - 50);
    const LineageRecord& pool = pooled.lineages.back();
    CHECK(pool.founding_events == all - 50);
    CHECK_FALSE(pool.founding_cell.has_value());
    CHECK(pool.founding_day == doctest::Approx(free.lineages[50].founding_day));
    std::int64_t events = 0;
    for (const auto& l : pooled.lineages) events += l.founding_events;
    CHECK(events == all);
    // The pooled record holds the cells of the lineages it stands for.
    double cells = 0.0;
    for (std::size_t l = 50; l < free.lineages.size(); ++l) cells += free.lineages[l].cells;
    CHECK(pool.cells == doctest::Approx(cells).epsilon(1e-9));
    for (std::size_t l = 0; l < 50; ++l) CHECK(pooled.lineages[l].founding_events == 1);
}

TEST_CASE("hybrid bounds: a clone that does not fit under max_agents stays in the ODE and each refusal is counted") {
    // 500 cells start as agents (below 1000 cells) unless the bound of 100 agents keeps them in the ODE.
    Scenario s = untreated_patient(500.0, 100.0);
    s.hybrid.to_agents_below_cells = 1000.0;
    s.hybrid.to_ode_above_cells = 5000.0;
    const RunResult agents = run_patient(s);
    CHECK(agents.summary.peak_agents >= 400);
    CHECK(agents.summary.agent_bound_hits == 0);

    s.hybrid.max_agents = 100;
    const RunResult bounded = run_patient(s);
    CHECK(bounded.summary.peak_agents == 0);
    CHECK(bounded.summary.agent_bound_hits >= 1);
    // Held in the ODE the whole time, it follows the pure ODE (the runs differ only in step sizes).
    Scenario ode = s;
    ode.hybrid.enabled = false;
    const RunResult reference = run_patient(ode);
    for (std::size_t day : {0u, 50u, 100u})
        CHECK(value(bounded, "tumour_total_cells", day) ==
              doctest::Approx(value(reference, "tumour_total_cells", day)).epsilon(1e-5));
}

TEST_CASE("hybrid bounds: mutants that would overfill max_agents send their clone to the ODE") {
    Scenario s = mutant_flood();
    const RunResult free = run_patient(s);
    REQUIRE(free.summary.peak_agents > 1000);
    s.hybrid.max_agents = 200;
    const RunResult bounded = run_patient(s);
    CHECK(bounded.summary.agent_bound_hits > 0);
    CHECK(bounded.summary.peak_agents <= 2 * 200);
    // The mutant clone is about 1e-6 of the tumour: where it is simulated barely moves the total.
    CHECK(value(bounded, "tumour_total_cells", 60) ==
          doctest::Approx(value(free, "tumour_total_cells", 60)).epsilon(1e-4));
}

TEST_CASE("hybrid bounds: agents that outgrow twice max_agents between synchronisations stop the run") {
    // 500 agents growing at 0.5/day, synchronised at most every 10 days: over 1200 within a few days.
    Scenario s = untreated_patient(500.0, 60.0);
    s.patient.tumour.growth_rate_per_day = 0.5;
    s.hybrid.to_agents_below_cells = 1000.0;
    s.hybrid.to_ode_above_cells = 1e6;
    s.hybrid.max_sync_days = 10.0;
    s.hybrid.max_agents = 600;
    // The T cells of this patient recover toward their homeostatic count, so with the cytokine space on its
    // level moves and the ODE steps (and synchronisations) stay short; off, the ODE is quiet and the agents
    // run the full 10 days between synchronisations, which is what this test needs.
    s.mechanisms.cytokine_space = false;
    CHECK_THROWS_WITH_AS(run_patient(s), doctest::Contains("more than twice hybrid.max_agents = 600"),
                         HybridLimitExceeded);
    s.hybrid.max_agents = 2'000'000;
    CHECK_NOTHROW(run_patient(s));
}

TEST_CASE("run time limit: a run over its wall-clock limit stops with an error naming the limit") {
    const Scenario s = untreated_patient(1e9, 365.0);
    RunOptions options;
    options.wall_seconds_limit = 1e-9;  // the first solver step already takes longer
    CHECK_THROWS_WITH_AS(run_patient(s, options), doctest::Contains("wall-time limit of 1e-09 s"),
                         RunTimeLimitExceeded);
    Scenario hybrid = mutant_flood();  // the agent grid checks it too
    CHECK_THROWS_AS(run_patient(hybrid, options), RunTimeLimitExceeded);
    options.wall_seconds_limit = 0.0;  // no limit
    CHECK_NOTHROW(run_patient(s, options));
    options.wall_seconds_limit = 3600.0;
    CHECK_NOTHROW(run_patient(s, options));
}

TEST_CASE("run options: lineages are collected only when asked for") {
    const Scenario s = mutant_flood();
    RunOptions options;
    options.lineages = false;
    const RunResult without = run_patient(s, options);
    CHECK(without.lineages.empty());
    CHECK(without.summary.lineage_records > 1000);  // still counted
    CHECK(run_patient(s).lineages.size() == static_cast<std::size_t>(without.summary.lineage_records));
}

TEST_CASE("hybrid bounds: hand-over records are kept up to their cap and all are counted") {
    // 800 cells start as agents, grow past 1500 cells (to the ODE), are cut to 1% (back to agents).
    patient::PatientParams p;
    p.tumour.initial_cells = 800.0;
    p.tumour.carrying_capacity_cells = 1e15;
    p.tumour.lethal_burden_cells = 1e14;
    patient::Mechanisms m;
    m.antigen_loss = false;
    patient::MyelomaModel model(p, m, patient::TherapySlots{});
    patient::State x = model.initial_state();
    HybridSettings settings;
    settings.to_agents_below_cells = 1000.0;
    settings.to_ode_above_cells = 1500.0;
    settings.kept_switch_records = 1;
    HybridTumour hybrid(model, settings, 5);
    hybrid.initialise(0.0, x);
    const double t = grow_out_of_agents(hybrid, x);
    REQUIRE(hybrid.representation(0) == hybrid::Representation::Ode);
    for (std::size_t k = 0; k < model.layout().bins(); ++k) x[model.layout().tumour(0, k)] *= 0.01;
    hybrid.synchronise(t + 1.0, x);
    REQUIRE(hybrid.representation(0) == hybrid::Representation::Agents);
    CHECK(hybrid.to_agents_count() == 2);
    CHECK(hybrid.to_ode_count() == 1);
    REQUIRE(hybrid.to_agents_records().size() == 1);  // the first is kept, the second only counted
    CHECK(hybrid.to_agents_records().front().day == 0.0);
    CHECK(hybrid.to_ode_records().size() == 1);
    CHECK(HybridSettings{}.kept_switch_records == 1000);
}
