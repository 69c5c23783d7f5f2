#include <doctest/doctest.h>

#include <cmath>

#include "model/patient/mprotein.hpp"
#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

using namespace cartsim;
using namespace cartsim::simulate;
using namespace cartsim::simulate::testing;

namespace {

/// An untreated exponentially growing patient, solved at tight tolerances for analytic comparisons.
Scenario quiet_patient() {
    Scenario s = untreated_patient(1e9, 365);
    s.solver.rel_tol = 1e-10;
    s.solver.abs_tol = 1e-10;
    return s;
}

drugs::Line line_with(drugs::Therapy therapy, const std::string& name = "line") {
    drugs::Line line;
    line.name = name;
    therapy.name = name + "_therapy";
    line.therapies.push_back(std::move(therapy));
    return line;
}

}  // namespace

TEST_CASE("patient run: untreated tumour and M-protein follow the analytic solution") {
    Scenario s = quiet_patient();
    s.mechanisms.fcrn_saturation = false;  // one constant half-life: the M-protein has a closed form
    const auto result = run_patient(s);
    const Table& t = result.timeseries;
    REQUIRE(t.rows.size() == 366);
    const double g = s.patient.tumour.growth_rate_per_day;
    const double n0 = s.patient.tumour.initial_cells;
    const double k = std::log(2.0) / s.patient.mprotein.half_life_days;
    const double p0 = s.patient.mprotein.initial_g_per_dl;
    // With crowding (1 - N/K) / (1 - N0/K) on division, dN/dt = a N - b N^2: a logistic curve.
    const double d0 = s.patient.tumour.turnover_death_rate_per_day, cap = s.patient.tumour.carrying_capacity_cells;
    const double a = (g + d0) / (1.0 - n0 / cap) - d0, b = (g + d0) / (cap * (1.0 - n0 / cap));
    for (std::size_t day : {0u, 30u, 180u, 365u}) {
        const double time = static_cast<double>(day);
        const double logistic = a * n0 * std::exp(a * time) / (a + b * n0 * (std::exp(a * time) - 1.0));
        CHECK(t.rows[day][column(t, "tumour_total_cells")] == doctest::Approx(logistic).epsilon(1e-8));
        // dP/dt = k P0 N/N0 - k P with P(0) = P0 and N = N0 e^{gt}:  P = P0 (k e^{gt} + g e^{-kt}) / (g + k).
        // Crowding lowers N by at most 4e-5 relative here, hence the tolerance.
        const double analytic = p0 * (k * std::exp(g * time) + g * std::exp(-k * time)) / (g + k);
        CHECK(t.rows[day][column(t, "mprotein_g_per_dl")] == doctest::Approx(analytic).epsilon(1e-4));
    }
    CHECK_FALSE(result.summary.death_day);
}

TEST_CASE("patient run: with FcRn saturation the M-protein starts steady and grows less than the tumour") {
    Scenario s = quiet_patient();
    s.horizon_days = 240;  // net growth about 0.008/day: the tumour grows about 7-fold
    const auto result = run_patient(s);
    const Table& t = result.timeseries;
    const std::size_t n = column(t, "tumour_total_cells"), m = column(t, "mprotein_g_per_dl");
    const double fold_tumour = t.rows.back()[n] / t.rows.front()[n];
    const double fold_mprotein = t.rows.back()[m] / t.rows.front()[m];
    CHECK(fold_tumour > 5.0);
    CHECK(fold_mprotein > 1.5);
    CHECK(fold_mprotein < 0.75 * fold_tumour);  // saturable catabolism: about 6.5-fold at steady state
    // Quasi-steady state late on (the M-protein follows the tumour within days at high IgG):
    // production s N balances catabolism k(Q) P, with s fixed by the steady state at day 0.
    const patient::MProteinCatabolism k(s.patient.mprotein, true);
    const double s_per_cell = k.flux(s.patient.mprotein.initial_g_per_dl) / s.patient.tumour.initial_cells;
    const double p = t.rows.back()[m];
    CHECK(k.flux(p) == doctest::Approx(s_per_cell * t.rows.back()[n]).epsilon(0.15));
    // Without saturation the same tumour gives an M-protein that follows it.
    s.mechanisms.fcrn_saturation = false;
    const auto linear = run_patient(s);
    CHECK(linear.timeseries.rows.back()[m] / linear.timeseries.rows.front()[m] > 0.8 * fold_tumour);
}

TEST_CASE("patient run: bispecific concentration is the superposed one-compartment solution to rounding") {
    Scenario s = quiet_patient();
    s.horizon_days = 60;
    drugs::Therapy t;
    t.kind = drugs::TherapyKind::Bispecific;
    t.bispecific.max_kill_rate_per_day = 0.0;
    t.bispecific.reduce_after_days = 1e9;
    s.regimen.push_back(line_with(t, "bsp"));
    const auto result = run_patient(s);
    const auto& bp = t.bispecific;
    std::vector<std::pair<double, double>> doses;  // day, mg
    for (std::size_t i = 0; i < bp.step_up_days.size(); ++i)
        doses.push_back({bp.step_up_days[i], bp.step_up_doses[i] * s.patient.weight_kg});
    for (double day = bp.first_full_dose_day; day <= s.horizon_days; day += bp.interval_days)
        doses.push_back({day, bp.dose * s.patient.weight_kg});
    const double ka = bp.absorption_rate_per_day, ke = std::log(2.0) / bp.half_life_days;
    const std::size_t col = column(result.timeseries, "drug_bsp_therapy_ug_per_ml");
    for (const auto& row : result.timeseries.rows) {
        double conc = 0.0;  // Bateman function per dose
        for (const auto& [day, mg] : doses)
            if (row[0] >= day)
                conc += bp.bioavailability * mg * ka / (ka - ke) *
                        (std::exp(-ke * (row[0] - day)) - std::exp(-ka * (row[0] - day))) / bp.volume_l;
        CHECK(row[col] == doctest::Approx(conc).epsilon(1e-12).scale(1e-12));
    }
}

TEST_CASE("patient run: a cycled drug kills only on its days on") {
    Scenario s = quiet_patient();
    s.horizon_days = 56;
    drugs::Therapy t;
    t.kind = drugs::TherapyKind::ProteasomeInhibitor;
    t.schedule.cycle_days = 28.0;
    t.schedule.days_on = 21.0;
    t.effect.kill_rate_per_day = 0.05;
    s.regimen.push_back(line_with(t));
    const auto result = run_patient(s);
    const auto& rows = result.timeseries.rows;
    const std::size_t n = column(result.timeseries, "tumour_total_cells");
    const double g = s.patient.tumour.growth_rate_per_day;
    const auto slope = [&](std::size_t a, std::size_t b) {
        return std::log(rows[b][n] / rows[a][n]) / static_cast<double>(b - a);
    };
    CHECK(slope(0, 21) == doctest::Approx(g - 0.05).epsilon(1e-5));
    CHECK(slope(21, 28) == doctest::Approx(g).epsilon(1e-5));
    CHECK(slope(28, 49) == doctest::Approx(g - 0.05).epsilon(1e-5));
}

TEST_CASE("patient run: death at the lethal burden is the crossing day of the logistic solution, and the series ends there") {
    Scenario s = quiet_patient();
    s.horizon_days = 3000;
    s.patient.tumour.lethal_burden_cells = 1e11;
    s.solver.rel_tol = s.solver.abs_tol = 1e-8;
    const auto result = run_patient(s);
    REQUIRE(result.summary.death_day);
    // The logistic curve of the first test reaches L at t = ln(L (a - b N0) / (N0 (a - b L))) / a
    // (575.7 days): found inside a solver step, not at the next daily output row.
    const double g = s.patient.tumour.growth_rate_per_day, n0 = s.patient.tumour.initial_cells;
    const double d0 = s.patient.tumour.turnover_death_rate_per_day, cap = s.patient.tumour.carrying_capacity_cells;
    const double a = (g + d0) / (1.0 - n0 / cap) - d0, b = (g + d0) / (cap * (1.0 - n0 / cap));
    const double lethal = s.patient.tumour.lethal_burden_cells;
    const double expected = std::log(lethal * (a - b * n0) / (n0 * (a - b * lethal))) / a;
    CHECK(*result.summary.death_day == doctest::Approx(expected).epsilon(1e-7));
    CHECK(*result.summary.death_day != doctest::Approx(std::round(*result.summary.death_day)).epsilon(1e-6));
    CHECK(result.summary.death_cause == "tumour_burden");
    const auto& rows = result.timeseries.rows;
    CHECK(rows.back()[0] == *result.summary.death_day);
    CHECK(rows[rows.size() - 2][0] == std::floor(expected));
    CHECK(rows.back()[column(result.timeseries, "tumour_total_cells")] == doctest::Approx(lethal).epsilon(1e-6));
}

TEST_CASE("patient run: background mortality is drawn from the seed") {
    Scenario s = quiet_patient();
    s.mechanisms.background_mortality = true;
    s.patient.background_mortality_per_year = 2.0;  // median 0.35 years
    s.horizon_days = 3650;
    s.seed = 7;
    const auto a = run_patient(s), b = run_patient(s);
    REQUIRE(a.summary.death_day);
    CHECK(*a.summary.death_day == *b.summary.death_day);
    CHECK(a.summary.death_cause == "background");
    s.seed = 8;
    const auto c = run_patient(s);
    REQUIRE(c.summary.death_day);
    CHECK(*c.summary.death_day != *a.summary.death_day);
}

TEST_CASE("patient run: lymphodepletion removes endogenous T cells before the infusion") {
    Scenario s = quiet_patient();
    s.horizon_days = 20;
    drugs::Therapy t;
    t.kind = drugs::TherapyKind::CarT;
    t.cart.infusion_day = 5.0;
    s.regimen.push_back(line_with(t, "cart"));
    const auto with_ld = run_patient(s);
    s.regimen[0].therapies[0].cart.lymphodepletion = false;
    const auto without = run_patient(s);
    const std::size_t col = column(with_ld.timeseries, "endogenous_t_functional_cells");
    // Lymphodepletion on day 2 (3 days before infusion): day 1 untouched, day 2 down by 90%.
    CHECK(with_ld.timeseries.rows[1][col] == doctest::Approx(without.timeseries.rows[1][col]));
    CHECK(with_ld.timeseries.rows[2][col] == doctest::Approx(0.1 * without.timeseries.rows[2][col]).epsilon(1e-3));
    const std::size_t blood = column(with_ld.timeseries, "cart_cart_therapy_blood_cells_per_ul");
    CHECK(with_ld.timeseries.rows[4][blood] == 0.0);
    CHECK(with_ld.timeseries.rows[5][blood] == doctest::Approx(t.cart.dose_cells / 5e6));
}

TEST_CASE("patient run: an intravenous bispecific dose goes straight to the central compartment") {
    Scenario s = quiet_patient();
    s.horizon_days = 20;
    drugs::Therapy t;
    t.kind = drugs::TherapyKind::Bispecific;
    t.bispecific.route = drugs::Route::Intravenous;
    t.bispecific.dose_unit = drugs::DoseUnit::Mg;
    t.bispecific.step_up_doses = {};
    t.bispecific.step_up_days = {};
    t.bispecific.dose = 100.0;
    t.bispecific.first_full_dose_day = 0.0;
    t.bispecific.interval_days = 100.0;
    t.bispecific.max_kill_rate_per_day = 0.0;
    s.regimen.push_back(line_with(t, "iv"));
    const auto result = run_patient(s);
    const double ke = std::log(2.0) / t.bispecific.half_life_days;
    const std::size_t col = column(result.timeseries, "drug_iv_therapy_ug_per_ml");
    for (std::size_t day : {0u, 1u, 7u, 20u})
        CHECK(result.timeseries.rows[day][col] ==
              doctest::Approx(100.0 / t.bispecific.volume_l * std::exp(-ke * static_cast<double>(day))).epsilon(1e-13));
}

TEST_CASE("patient run: a line that starts at progression waits its treatment-free interval") {
    Scenario s = quiet_patient();
    s.horizon_days = 600;
    drugs::Therapy inert;  // no kill: the tumour grows and the line progresses at an assessment
    inert.kind = drugs::TherapyKind::ProteasomeInhibitor;
    inert.effect.kill_rate_per_day = 0.0;
    s.regimen.push_back(line_with(inert, "first"));
    s.regimen.push_back(line_with(inert, "second"));
    s.regimen[1].start = drugs::LineStart{true, 0.0};
    const auto at_once = run_patient(s);
    REQUIRE(at_once.summary.lines[0].progression_day);
    const double progression = *at_once.summary.lines[0].progression_day;
    CHECK(*at_once.summary.lines[1].start_day == progression);
    s.regimen[1].start_delay_days = 45.0;
    const auto later = run_patient(s);
    CHECK(*later.summary.lines[0].progression_day == progression);
    CHECK(*later.summary.lines[1].start_day == doctest::Approx(progression + 45.0));
    // Between the two lines no line is active (the first stopped at its progression).
    const std::size_t line_column = column(later.timeseries, "therapy_line");
    const auto day = static_cast<std::size_t>(progression) + 20;
    CHECK(later.timeseries.rows[day][line_column] == 0.0);
    CHECK(drugs::validate(s.regimen).empty());
    s.regimen[1].start = drugs::LineStart{false, 400.0};
    CHECK_FALSE(drugs::validate(s.regimen).empty());  // a delay needs a start at progression
}

TEST_CASE("patient run: without the time series (as studies run) only day 0 is kept and the endpoints stay") {
    Scenario s = untreated_patient(1e11, 730);
    drugs::Therapy t;
    t.kind = drugs::TherapyKind::Bispecific;
    s.regimen.push_back(line_with(t, "bsp"));
    RunOptions lean;
    lean.timeseries = false;
    const RunResult full = run_patient(s), first_row = run_patient(s, lean);
    REQUIRE(full.timeseries.rows.size() == 731);
    REQUIRE(first_row.timeseries.rows.size() == 1);
    CHECK(first_row.timeseries.rows[0] == full.timeseries.rows[0]);
    // Endpoints are tracked at every solver step; only the non-negativity guard reads the output
    // times, so the two runs agree to within the solver's tolerance (1e-6).
    const Summary &a = full.summary, &b = first_row.summary;
    CHECK(b.best_response == a.best_response);
    REQUIRE(a.lines.size() == 1);
    REQUIRE(a.lines[0].progression_day.has_value() == b.lines[0].progression_day.has_value());
    if (a.lines[0].progression_day) CHECK(*b.lines[0].progression_day == *a.lines[0].progression_day);
    CHECK(b.peak_inflammation_index == doctest::Approx(a.peak_inflammation_index).epsilon(1e-5));
    CHECK(b.assessments.size() == a.assessments.size());
    for (std::size_t i = 0; i < a.assessments.size() && i < b.assessments.size(); ++i)
        CHECK(b.assessments[i].mprotein_g_per_dl == doctest::Approx(a.assessments[i].mprotein_g_per_dl).epsilon(1e-5));
}
