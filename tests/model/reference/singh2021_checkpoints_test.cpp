// Singh et al. 2021 against the published checkpoints of REFERENCE_MODELS.md (an independent R
// implementation sampled every half day, hence the half-day output grid here).

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "src/simulate/reference_runner.hpp"

namespace {

using cartsim::simulate::ReferenceModel;
using cartsim::simulate::Table;

struct Column {
    const Table& table;
    std::size_t index;
    double at(std::size_t row) const { return table.rows[row][index]; }
};

Column column(const Table& table, std::string_view name) {
    const auto it = std::find(table.columns.begin(), table.columns.end(), name);
    REQUIRE(it != table.columns.end());
    return Column{table, static_cast<std::size_t>(it - table.columns.begin())};
}

Table run_singh(double dose_cells, double horizon_days, double interval_days) {
    auto scenario = cartsim::simulate::default_reference_scenario(ReferenceModel::Singh2021);
    scenario.dose_cells = dose_cells;
    scenario.horizon_days = horizon_days;
    scenario.output_interval_days = interval_days;
    return cartsim::simulate::run_reference(scenario).timeseries;
}

struct Published {
    double dose_cells;
    double peak_transgene_copies_per_ug;
    double mprotein_nadir_percent;
};

}  // namespace

TEST_CASE("Singh 2021: peak transgene, M-protein nadir and blood CAR-T peak day as published") {
    for (const Published& published : {Published{50e6, 37411.0, -92.5}, Published{150e6, 36479.0, -92.4},
                                       Published{450e6, 35743.0, -92.3}, Published{800e6, 35484.0, -92.3}}) {
        CAPTURE(published.dose_cells);
        const Table table = run_singh(published.dose_cells, 365.0, 0.5);
        REQUIRE(table.rows.size() == 731);
        const Column time = column(table, "time_day");
        const Column transgene = column(table, "transgene_copies_per_ug");
        const Column mprotein = column(table, "mprotein_pg_per_l");
        const Column effector = column(table, "cart_effector_blood_cells_per_l");
        const Column memory = column(table, "cart_memory_blood_cells_per_l");

        double peak = 0.0;
        double blood_peak = 0.0;
        double blood_peak_day = 0.0;
        double nadir = mprotein.at(0);
        for (std::size_t row = 0; row < table.rows.size(); ++row) {
            nadir = std::min(nadir, mprotein.at(row));
            if (time.at(row) < 1.0) continue;  // the published peak is over days 1-365, after distribution
            peak = std::max(peak, transgene.at(row));
            if (effector.at(row) + memory.at(row) > blood_peak) {
                blood_peak = effector.at(row) + memory.at(row);
                blood_peak_day = time.at(row);
            }
        }
        CHECK(peak == doctest::Approx(published.peak_transgene_copies_per_ug).epsilon(0.005));
        const double nadir_percent = 100.0 * (nadir / mprotein.at(0) - 1.0);
        CHECK(std::abs(nadir_percent - published.mprotein_nadir_percent) <= 0.1);
        CHECK(blood_peak_day >= 13.0);
        CHECK(blood_peak_day <= 17.0);
    }
}

TEST_CASE("Singh 2021: blood CAR-T falls by 4-5 decades within hours of infusion") {
    const Table table = run_singh(450e6, 1.0, 1.0 / 96.0);  // every 15 minutes
    const Column time = column(table, "time_day");
    const Column effector = column(table, "cart_effector_blood_cells_per_l");
    const Column memory = column(table, "cart_memory_blood_cells_per_l");
    const double infused = effector.at(0) + memory.at(0);
    double trough = infused;
    double trough_day = 0.0;
    for (std::size_t row = 0; row < table.rows.size(); ++row) {
        const double blood = effector.at(row) + memory.at(row);
        if (blood < trough) {
            trough = blood;
            trough_day = time.at(row);
        }
    }
    const double decades = std::log10(infused / trough);
    CHECK(decades >= 4.0);
    CHECK(decades <= 5.0);
    CHECK(trough_day <= 0.25);  // within six hours
}
