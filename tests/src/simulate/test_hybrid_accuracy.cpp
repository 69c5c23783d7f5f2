// The hybrid layer against the ODE where coupling is non-linear: the mean of many agent runs follows
// the ODE (a linear birth-death-kill process has the ODE as its mean; here the rates depend on the
// other populations, which are large and so nearly deterministic). Tolerance: 4 standard errors of
// the mean (sd / sqrt(n), n runs) plus 1% of the ODE value for the leaps' error. Births and deaths
// carry an error of order (rate x leap)^2 <= 0.01 (max_hazard_per_leap 0.1); moves between bins carry
// a first-order one, about (the new bin's exit rate) x leap / 2 (solvers/hybrid/leap.hpp), so where
// cells move between pools the leap bound is 0.02 (at the default 0.1 CAR-T agents a day after
// infusion are 2.2% below the ODE, 5 standard errors; at 0.01, 0.6%).

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

using namespace cartsim;
using namespace cartsim::simulate;
using namespace cartsim::simulate::testing;

namespace {

/// A patient of `tumour_cells` cells given `dose` CAR-T cells on day 0 (lymphodepletion included).
Scenario cart_patient(double tumour_cells, double dose, double horizon) {
    Scenario s = untreated_patient(tumour_cells, horizon);
    drugs::Therapy t;
    t.kind = drugs::TherapyKind::CarT;
    t.name = "car";
    t.cart.dose_cells = dose;
    drugs::Line line;
    line.name = "cart";
    line.therapies.push_back(t);
    s.regimen.push_back(line);
    return s;
}

/// Runs `runs` seeds of s and checks the mean of `column` on each day against the pure ODE.
void check_mean_follows_ode(Scenario s, int runs, const std::string& name, const std::vector<std::size_t>& days) {
    Scenario ode = s;
    ode.hybrid.enabled = false;
    const RunResult reference = run_patient(ode);
    std::vector<double> sum(days.size(), 0.0), sum2(days.size(), 0.0);
    for (int r = 0; r < runs; ++r) {
        s.seed = 100 + r;
        const RunResult run = run_patient(s);
        for (std::size_t i = 0; i < days.size(); ++i) {
            const double v = value(run, name, days[i]);
            sum[i] += v;
            sum2[i] += v * v;
        }
    }
    for (std::size_t i = 0; i < days.size(); ++i) {
        const double mean = sum[i] / runs, sd = std::sqrt(std::max(0.0, sum2[i] / runs - mean * mean));
        const double expected = value(reference, name, days[i]);
        INFO(name << " on day " << days[i] << ": agents " << mean << " +- " << sd / std::sqrt(runs) << " (sd " << sd
                  << "), ODE " << expected);
        CHECK(std::abs(mean - expected) < 4.0 * sd / std::sqrt(runs) + 0.01 * expected);
    }
}

}  // namespace

TEST_CASE("hybrid accuracy: tumour agents killed by CAR-T in the ODE follow the ODE on average") {
    // 3000 tumour cells (agents) against 1e6 CAR-T cells (ODE): the kill falls from about 1.3 to 0.4
    // per cell and day as the cells left are those of low BCMA density (the kill depends on each
    // bin's density and on the CAR-T state, which the tumour stimulates).
    Scenario s = cart_patient(3000.0, 1e6, 12.0);
    s.mechanisms.april_support = false;
    check_mean_follows_ode(s, 300, "tumour_total_cells", {1, 2, 4, 8, 12});
}

TEST_CASE("hybrid accuracy: CAR-T agents stimulated by a tumour in the ODE follow the ODE on average") {
    // 2000 CAR-T cells (agents) against 3e11 tumour cells (ODE) expand about 2.7-fold a day from day 2
    // by antigen stimulation and under the decaying lymphodepletion cytokine; kept as agents up to 1e6
    // cells. (Before the agents saw the ODE state interpolated within each grid step, they saw its end
    // and fell 3-6% behind by day 7.)
    Scenario s = cart_patient(3e11, 2000.0, 7.0);
    s.hybrid.to_ode_above_cells = 1e6;
    s.hybrid.max_hazard_per_leap = 0.02;  // blood and marrow pools: moves (see the top of the file)
    check_mean_follows_ode(s, 100, "cart_car_marrow_effector_cells", {1, 3, 5, 7});
    check_mean_follows_ode(s, 100, "cart_car_blood_cells_per_ul", {1, 3, 5, 7});
}

TEST_CASE("hybrid accuracy: a population handed over between agent grid points is not stepped twice or skipped") {
    // Hand-overs happen at synchronisations (ends of ODE steps), between points of the agent grid
    // (hybrid.agent_step_days). Regression: agents created at a synchronisation were stepped from the
    // grid point before it (the ODE had carried them over that stretch already), so 3000 tumour cells
    // killed at about 1.3 per day, handed to agents below 1e3 cells, were 272 on day 1 against the
    // ODE's 730; and agents handed back to the ODE lost the stretch since the last grid point.
    SUBCASE("ODE to agents under killing") {
        Scenario s = cart_patient(3000.0, 1e6, 12.0);
        s.mechanisms.april_support = false;
        s.hybrid.to_agents_below_cells = 1000.0;
        s.hybrid.to_ode_above_cells = 1e4;
        check_mean_follows_ode(s, 300, "tumour_total_cells", {1, 2, 4, 8, 12});
    }
    SUBCASE("agents to ODE under expansion") {
        // CAR-T agents expanding about 2.7-fold a day pass 1e4 cells and return to the ODE by day 3.
        Scenario s = cart_patient(3e11, 2000.0, 7.0);
        s.hybrid.to_agents_below_cells = 1000.0;
        s.hybrid.to_ode_above_cells = 1e4;
        s.hybrid.max_hazard_per_leap = 0.02;
        check_mean_follows_ode(s, 100, "cart_car_marrow_effector_cells", {1, 3, 5, 7});
    }
}
