// The hybrid layer: small tumour clones as agents, checked against the ODE and for determinism.

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <numeric>

#include "src/simulate/hybrid_tumour.hpp"
#include "src/simulate/outcome.hpp"
#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

using namespace cartsim;
using namespace cartsim::simulate;
using namespace cartsim::simulate::testing;

namespace {

/// A tumour of `cells` cells (one clone, no antigen loss) that starts as agents under the thresholds of
/// agent_settings(), far from its carrying capacity and lethal burden.
patient::PatientParams small_tumour(double cells) {
    patient::PatientParams p;
    p.tumour.initial_cells = cells;
    p.tumour.carrying_capacity_cells = 1e15;
    p.tumour.lethal_burden_cells = 1e14;
    return p;
}

HybridSettings agent_settings() {
    HybridSettings settings;
    settings.to_agents_below_cells = 1000.0;
    settings.to_ode_above_cells = 1500.0;
    return settings;
}

}  // namespace

TEST_CASE("hybrid: without killing, the mean of agent runs follows the ODE through the switch") {
    // 500 cells start as agents (below 1000) and return to the ODE above 5000 cells (around day 290).
    Scenario s = untreated_patient(500.0, 400.0);
    s.hybrid.to_agents_below_cells = 1000.0;
    s.hybrid.to_ode_above_cells = 5000.0;
    Scenario ode = s;
    ode.hybrid.enabled = false;
    const auto reference = run_patient(ode);
    const int runs = 200;
    for (std::size_t day : {100u, 250u, 400u}) {
        double sum = 0.0, sum2 = 0.0;
        for (int r = 0; r < runs; ++r) {
            s.seed = r + 1;
            const double n = value(run_patient(s), "tumour_total_cells", day);
            sum += n;
            sum2 += n * n;
        }
        const double mean = sum / runs, sd = std::sqrt(std::max(0.0, sum2 / runs - mean * mean));
        const double expected = value(reference, "tumour_total_cells", day);
        INFO("day " << day << ": agent mean " << mean << " +- " << sd / std::sqrt(runs) << ", ODE " << expected);
        // 4 standard errors of the mean, plus 1% for the leap error (rate x leap <= 0.1, O((rate x leap)^2)).
        CHECK(std::abs(mean - expected) < 4.0 * sd / std::sqrt(runs) + 0.01 * expected);
        CHECK(sd > 0.0);  // chance does play a part
    }
}

TEST_CASE("hybrid: the same seed gives the same run, another seed another run") {
    Scenario s = untreated_patient(500.0, 120.0);
    s.hybrid.to_agents_below_cells = 1e3;  // the 500 cells are agents
    s.seed = 11;
    const auto a = run_patient(s), b = run_patient(s);
    CHECK(a.timeseries.rows == b.timeseries.rows);
    s.seed = 12;
    const auto c = run_patient(s);
    CHECK(a.timeseries.rows != c.timeseries.rows);
}

TEST_CASE("hybrid: hand-over keeps cells and the density histogram in both directions") {
    const patient::PatientParams p = small_tumour(800.4);
    patient::Mechanisms m;
    m.antigen_loss = false;
    patient::MyelomaModel model(p, m, patient::TherapySlots{});
    patient::State x = model.initial_state();
    const std::vector<double> ode_bins(x.begin(), x.begin() + static_cast<long>(model.layout().bins()));

    const HybridSettings settings = agent_settings();
    HybridTumour hybrid(model, settings, 5);
    hybrid.initialise(0.0, x);
    REQUIRE(hybrid.representation(0) == hybrid::Representation::Agents);
    REQUIRE(hybrid.to_agents_records().size() == 1);
    const auto& to_agents = hybrid.to_agents_records()[0];
    CHECK(to_agents.ode_cells_per_bin == ode_bins);
    const auto agents = static_cast<double>(hybrid.agent_count(0));
    CHECK((agents == 800.0 || agents == 801.0));  // stochastic rounding of 800.4
    CHECK(model.frozen(0));
    for (std::size_t k = 0; k < model.layout().bins(); ++k) {
        // The ODE state now holds the agents, bin by bin, and every agent's density lies in its bin.
        CHECK(x[model.layout().tumour(0, k)] == static_cast<double>(hybrid.agents_of(0).count(k)));
        for (const auto& a : hybrid.agents_of(0).bin(k)) {
            if (k == 0) continue;
            CHECK(a.attributes[0] >= model.grid().lower_edge(k));
            CHECK(a.attributes[0] < model.grid().upper_edge(k));
        }
    }

    // Grow past the upper threshold, then back to the ODE: the histogram is taken exactly.
    grow_out_of_agents(hybrid, x);
    REQUIRE(hybrid.representation(0) == hybrid::Representation::Ode);
    REQUIRE(hybrid.to_ode_records().size() == 1);
    const auto& to_ode = hybrid.to_ode_records()[0];
    double total = 0.0;
    for (std::size_t k = 0; k < model.layout().bins(); ++k) {
        CHECK(to_ode.ode_cells_per_bin[k] == static_cast<double>(to_ode.agents_per_bin[k]));
        CHECK(x[model.layout().tumour(0, k)] == to_ode.ode_cells_per_bin[k]);
        total += to_ode.ode_cells_per_bin[k];
    }
    CHECK(total > settings.to_ode_above_cells);
    CHECK_FALSE(model.frozen(0));
}

TEST_CASE("hybrid: mutation founds a new clone as one agent with a lineage record") {
    Scenario s = untreated_patient(3e9, 60.0);
    s.mechanisms.antigen_loss = true;
    s.patient.tumour.bcma_loss_per_division = 1e-6;  // enough founders in 60 days
    s.hybrid.to_ode_above_cells = 1e4;                 // ... all of them agents (about 6,500)
    const auto result = run_patient(s);
    REQUIRE(result.lineages.size() > 2);
    const auto& names = result.clone_names;
    CHECK(names.at(result.lineages[0].clone) == "main");
    CHECK(result.lineages[0].parent_clone == -1);
    std::size_t founders = 0;
    for (const auto& l : result.lineages) {
        if (l.parent_clone < 0) continue;
        ++founders;
        CHECK(names.at(static_cast<std::size_t>(l.parent_clone)) == "main");
        CHECK(names.at(l.clone) == "main.bcma1");
        CHECK(l.founding_cell.has_value());
        CHECK(l.founding_day >= 0.0);
        CHECK(l.founding_day <= 60.0);
        CHECK(l.peak_cells >= 1.0);
    }
    // Expected founders: 2 alleles x 1e-6 x divisions; divisions over 60 days are about
    // 3e9 x 0.018/day x 60 days = 3.2e9, so about 6,500 founders (Poisson, sd about 80).
    CHECK(founders > 5000);
    CHECK(founders < 8500);
}

// Thresholds moved ten-fold keep the outcome shares of the antigen-escape example: tests/e2e/replicates.sh.

TEST_CASE("hybrid: a small CAR-T product lives as agents and its mean follows the ODE") {
    // 3,000 CAR-T cells (below the 1e4 threshold) against a tumour too small to stimulate them much:
    // trafficking, memory formation and death are (nearly) linear, so the agent mean must follow the ODE.
    Scenario s = untreated_patient(100.0, 30.0);
    s.hybrid.to_agents_below_cells = 1e3;
    s.hybrid.to_ode_above_cells = 1e4;
    drugs::Line line;
    line.name = "cart";
    drugs::Therapy cart;
    cart.kind = drugs::TherapyKind::CarT;
    cart.name = "car";
    cart.cart.dose_cells = 3000.0;
    cart.cart.lymphodepletion = false;
    line.therapies.push_back(cart);
    s.regimen.push_back(line);
    Scenario ode = s;
    ode.hybrid.enabled = false;
    const auto reference = run_patient(ode);
    const auto total = [](const RunResult& r, std::size_t day) {
        return value(r, "cart_car_marrow_effector_cells", day) + value(r, "cart_car_marrow_memory_cells", day) +
               value(r, "cart_car_marrow_exhausted_cells", day) + value(r, "cart_car_blood_cells_per_ul", day) * 5e6;
    };
    const int runs = 200;
    for (std::size_t day : {5u, 30u}) {
        double sum = 0.0, sum2 = 0.0;
        bool whole_cells = true;
        for (int r = 0; r < runs; ++r) {
            s.seed = 500 + r;
            const auto run = run_patient(s);
            const double marrow = value(run, "cart_car_marrow_effector_cells", day);
            whole_cells = whole_cells && marrow == std::floor(marrow);
            const double n = total(run, day);
            sum += n;
            sum2 += n * n;
        }
        const double mean = sum / runs, sd = std::sqrt(std::max(0.0, sum2 / runs - mean * mean));
        const double expected = total(reference, day);
        INFO("day " << day << ": agent mean " << mean << " +- " << sd / std::sqrt(runs) << ", ODE " << expected);
        CHECK(whole_cells);  // agents: whole cells only
        CHECK(std::abs(mean - expected) < 4.0 * sd / std::sqrt(runs) + 0.02 * expected);
    }
}

TEST_CASE("hybrid: the leap bound counts every channel of an agent bin, drift included") {
    // Regression: the bound added a fixed 0.02/day for drift, below the fitted drift rate (0.23/day),
    // so a leap could give an agent more hazard than max_hazard_per_leap.
    patient::PatientParams p = small_tumour(800.0);
    p.tumour.density_drift_rate_per_day = 0.3;
    patient::Mechanisms m;
    m.antigen_loss = false;
    patient::MyelomaModel model(p, m, patient::TherapySlots{});
    patient::State x = model.initial_state();
    HybridTumour hybrid(model, agent_settings(), 5);
    hybrid.initialise(0.0, x);
    REQUIRE(hybrid.representation(0) == hybrid::Representation::Agents);
    const patient::TumourRates rates = model.tumour_rates(x, 0.0);
    double slowest_bound = 0.0;  // the largest channel sum over populated bins, computed by hand
    const auto& l = model.layout();
    for (std::size_t k = 0; k < l.bins(); ++k) {
        if (hybrid.agents_of(0).count(k) == 0) continue;
        const std::size_t i = l.tumour(0, k);
        double total = rates.division[i] + rates.death[i];
        if (k >= 1 && k + 1 < l.bins()) total += rates.drift_up[i];
        if (k >= 2) total += rates.drift_down[i - 1] + rates.strip[i];
        slowest_bound = std::max(slowest_bound, total);
    }
    CHECK(slowest_bound > rates.division[l.tumour(0, 6)] + rates.death[l.tumour(0, 6)] + 0.1);  // drift matters here
    CHECK(hybrid.fastest_agent_rate(x, rates, 0.0) == doctest::Approx(slowest_bound).epsilon(1e-12));
}
