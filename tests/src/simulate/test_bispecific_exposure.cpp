// The shipped bispecific presets against published exposure (labels and population PK), and the
// exposure a dosing schedule gives in a whole run. Which figures were used to set a parameter, and which
// are left to test it, is said in each product file; only the latter are asserted here.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include <string>
#include <utility>
#include <vector>

#include "model/drugs/pharmacokinetics.hpp"
#include "src/scenario/loader.hpp"
#include "src/simulate/patient_run.hpp"
#include "tests/src/simulate/run_helpers.hpp"

namespace cartsim::simulate {
namespace {

/// Loads a scenario with one bispecific line of `product` (with `overrides`, YAML flow-map entries).
scenario::LoadedScenario load_line(const std::string& product, const std::string& overrides, double horizon) {
    return testing::load_text("name: exposure\nhorizon_days: " + std::to_string(horizon) +
                              "\nhybrid: {enabled: false}\nregimen:\n  - {name: drug, start: 0, therapies: [{product: " +
                              product + (overrides.empty() ? "" : ", " + overrides) + "}]}\n");
}

/// Serum concentration [ug/mL] of a subcutaneous schedule (day, dose in the product's unit) at `days`,
/// with the exact solution and each dose's clearance, as the drug room computes it.
std::vector<double> profile(const drugs::BispecificParams& p, double weight_kg,
                            const std::vector<std::pair<double, double>>& doses, const std::vector<double>& days) {
    std::vector<double> out;
    for (const double t : days) {
        drugs::PkAmounts a{};
        double last = 0.0, factor = 1.0;
        for (const auto& [day, dose] : doses) {
            if (day > t) break;
            a = drugs::pk_after(drugs::pk_rates(p, factor), a, day - last);
            const double mg = dose * (p.dose_unit == drugs::DoseUnit::MgPerKg ? weight_kg : 1.0);
            a.depot_mg += p.bioavailability * mg;
            last = day;
            factor = drugs::clearance_factor(p, day);
        }
        out.push_back(drugs::pk_after(drugs::pk_rates(p, factor), a, t - last).central_mg / p.volume_l);
    }
    return out;
}

/// The label schedule: step-up doses, then `count` doses `interval` days apart.
std::vector<std::pair<double, double>> schedule(const drugs::BispecificParams& p, int count, double interval) {
    std::vector<std::pair<double, double>> doses;
    for (std::size_t i = 0; i < p.step_up_doses.size(); ++i) doses.emplace_back(p.step_up_days[i], p.step_up_doses[i]);
    for (int i = 0; i < count; ++i) doses.emplace_back(p.first_full_dose_day + interval * i, p.dose);
    return doses;
}

/// Largest concentration within [from, from + length) on a grid of 0.01 day.
double peak(const drugs::BispecificParams& p, double weight, const std::vector<std::pair<double, double>>& doses,
            double from, double length) {
    std::vector<double> grid;
    for (double t = from; t < from + length; t += 0.01) grid.push_back(t);
    const auto c = profile(p, weight, doses, grid);
    return *std::max_element(c.begin(), c.end());
}

/// |a / b - 1| <= tolerance (doctest's Approx adds 1 to the scale, too loose for ratios below a few).
bool within(double a, double b, double tolerance) { return std::abs(a / b - 1.0) <= tolerance; }

}  // namespace

TEST_CASE("bispecific exposure: teclistamab's Cmax accumulates from the 1st to the 7th weekly dose as the label says") {
    // Label (section 5.2): mean accumulation ratio 2.71 for Cmax (7th weekly 1.5 mg/kg dose against the
    // 1st). The half-life was set from the label's AUC ratio (3.05), not from this one. Tolerance 10%: the
    // label's figure is a mean of individual ratios, the model's is the typical patient's.
    const auto loaded = load_line("teclistamab", "", 60);
    const auto& p = loaded.scenario.regimen[0].therapies[0].bispecific;
    const double w = loaded.scenario.patient.weight_kg;
    const auto doses = schedule(p, 7, 7.0);
    const double first = peak(p, w, doses, p.first_full_dose_day, 7.0);
    const double seventh = peak(p, w, doses, p.first_full_dose_day + 42.0, 7.0);
    CAPTURE(seventh / first);
    CHECK(within(seventh / first, 2.71, 0.10));
}

TEST_CASE("bispecific exposure: talquetamab 0.4 mg/kg weekly lies within the label's mean +- SD") {
    // Label (section 5.2, MonumenTAL-1): trough before the 1st weekly dose 0.178 +- 0.124 ug/mL; Cmax and
    // trough at the 7th dose 3.80 +- 2.41 and 2.55 +- 1.31 ug/mL. The volume was set from the 1st dose's
    // mean Cmax (1.568), which is therefore not asserted.
    const auto loaded = load_line("talquetamab", "", 60);
    const auto& p = loaded.scenario.regimen[0].therapies[0].bispecific;
    const double w = loaded.scenario.patient.weight_kg;
    const auto doses = schedule(p, 7, 7.0);
    const double seventh_day = p.first_full_dose_day + 42.0;
    const auto troughs = profile(p, w, doses, {p.first_full_dose_day - 1e-9, seventh_day - 1e-9});
    CHECK(troughs[0] > 0.178 - 0.124);
    CHECK(troughs[0] < 0.178 + 0.124);
    CHECK(troughs[1] > 2.55 - 1.31);
    CHECK(troughs[1] < 2.55 + 1.31);
    const double cmax7 = peak(p, w, doses, seventh_day, 7.0);
    CHECK(cmax7 > 3.80 - 2.41);
    CHECK(cmax7 < 3.80 + 2.41);
}

TEST_CASE("bispecific exposure: elranatamab's troughs by interval follow its population-PK model's table") {
    // A transcription check, not validation: Hibma et al. 2026 (Table 3) simulated geometric-mean free
    // troughs from the model whose parameters the preset carries: 30.46 ug/mL weekly (week 24), 15.10
    // every 2 weeks (week 48). The ratio (0.50) does not depend on the clearance's sex covariate; the
    // preset gives 0.42, within the 20% allowed for the soluble-BCMA binding its PK leaves out (the paper's
    // complex is cleared at half the free drug's rate, a reservoir that lengthens the tail). Every 4
    // weeks the gap is a miss, reported and not asserted: 0.14 against the table's 5.92 / 30.46 = 0.19.
    const auto loaded = load_line("elranatamab", "", 60);
    const auto& p = loaded.scenario.regimen[0].therapies[0].bispecific;
    const auto steady_trough = [&](double interval) {
        const auto doses = schedule(p, 60, interval);
        const double last = doses.back().first;
        return profile(p, 70.0, doses, {last - 1e-9}).front();
    };
    const double weekly = steady_trough(7.0);
    CAPTURE(steady_trough(14.0) / weekly);
    CHECK(within(steady_trough(14.0) / weekly, 15.10 / 30.46, 0.20));
}

TEST_CASE("bispecific exposure: a run's concentration is the schedule's, and the every-2-weeks switch lowers the trough") {
    // The whole run (events, line start, clearance of each interval) against the direct computation of the
    // same weekly schedule; then the same patient switched to every 2 weeks from the first full dose.
    const auto weekly = load_line("talquetamab", "", 70);
    const auto& p = weekly.scenario.regimen[0].therapies[0].bispecific;
    const RunResult r = run_patient(weekly.scenario);
    const std::string column = "drug_" + weekly.scenario.regimen[0].therapies[0].name + "_ug_per_ml";
    const double w = weekly.scenario.patient.weight_kg;
    const auto direct = profile(p, w, schedule(p, 10, 7.0), {30.5, 45.5});
    CHECK(testing::value(r, column, 30) == doctest::Approx(profile(p, w, schedule(p, 10, 7.0), {30.0})[0]).epsilon(1e-9));
    const auto spaced = load_line("talquetamab", "interval_days: 14", 70);
    const RunResult s = run_patient(spaced.scenario);
    // Day 60 is the trough before the weekly run's dose of day 60 (4 + 8 x 7) and 10 days after the spaced
    // run's dose of day 46 (4 + 3 x 14 = 46; next on day 60).
    CHECK(testing::value(s, column, 59) < 0.8 * testing::value(r, column, 59));
    CHECK(direct[0] > 0.0);
}

TEST_CASE("bispecific exposure: with arm occupancy, spacing the doses lets T cells recover from CD3 attrition") {
    // Continuous exposure tires T cells through CD3 occupancy (attrition set to 0.02/day here; 0 in the
    // shipped populations); in a 4-week gap CD3 occupancy falls through its unsaturated range and the T
    // cells recover. Talquetamab weekly against every 4 weeks at the same dose per injection: the
    // functional T cells on day 150 (the day before a weekly dose, 6 days after a 4-weekly one) are more
    // with the longer interval, and the difference is larger with each arm's own occupancy than with
    // one saturated occupancy (measured: 1.19 against 1.08).
    const auto functional_on_day = [](bool arms, double interval) {
        auto loaded = load_line("talquetamab", "interval_days: " + std::to_string(interval), 151);
        loaded.scenario.mechanisms.arm_occupancy = arms;
        loaded.scenario.patient.t_cells.bispecific_attrition_rate_per_day = 0.02;
        return testing::value(run_patient(loaded.scenario), "endogenous_t_functional_cells", 150);
    };
    const double weekly = functional_on_day(true, 7.0), spaced = functional_on_day(true, 28.0);
    const double weekly_off = functional_on_day(false, 7.0), spaced_off = functional_on_day(false, 28.0);
    CAPTURE(weekly);
    CAPTURE(spaced);
    CAPTURE(weekly_off);
    CAPTURE(spaced_off);
    CHECK(spaced > weekly);
    CHECK(spaced / weekly > spaced_off / weekly_off);
}

}  // namespace cartsim::simulate
