#include "src/study/patient_row.hpp"

#include <algorithm>
#include <cmath>

#include "src/io/csv.hpp"
#include "src/simulate/outcome.hpp"

namespace cartsim::study {
namespace {

std::string number(const std::optional<double>& v) { return v ? io::format_number(*v) : ""; }
std::string flag(bool v) { return v ? "true" : "false"; }

template <class E>
std::string name_of(const std::optional<E>& v) {
    return v ? std::string(enum_name(*v)) : "";
}

constexpr const char* kEndpoints[] = {"outcome",
                                      "best_response",
                                      "mrd_negative",
                                      "progression_day",
                                      "relapse_type",
                                      "death_day",
                                      "death_cause",
                                      "cure",
                                      "cart_peak_blood_cells_per_ul",
                                      "cart_peak_day",
                                      "crs_grade",
                                      "best_mprotein_change_percent",
                                      "dominant_clone_at_progression",
                                      "dominant_clone_founding_day",
                                      "peak_inflammation_index"};

/// Index of a time-series column, or nullopt.
std::optional<std::size_t> series_column(const simulate::RunResult& run, const std::string& name) {
    const auto& c = run.timeseries.columns;
    const auto it = std::find(c.begin(), c.end(), name);
    if (it == c.end()) return std::nullopt;
    return static_cast<std::size_t>(it - c.begin());
}

/// Row of the time series at or just after `day` (the last row when beyond).
std::size_t row_at(const simulate::RunResult& run, double day) {
    const auto& rows = run.timeseries.rows;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i][0] >= day - 1e-9) return i;
    return rows.size() - 1;
}

}  // namespace

const std::vector<std::string>& readout_columns() {
    static const std::vector<std::string> names{"baseline_plasma_cell_percent",
                                                "baseline_sbcma_ng_per_ml",
                                                "baseline_bcma_median_molecules_per_cell",
                                                "macrophage_fold_at_progression",
                                                "mprotein_doubling_days_at_progression",
                                                "cart_detectable_until_day"};
    return names;
}

std::vector<std::optional<double>> patient_readouts(const simulate::RunResult& run) {
    std::vector<std::optional<double>> out(readout_columns().size());
    const auto& rows = run.timeseries.rows;
    if (rows.empty()) return out;
    const auto first = [&](const char* name) -> std::optional<double> {
        const auto c = series_column(run, name);
        return c ? std::optional<double>(rows.front()[*c]) : std::nullopt;
    };
    out[0] = first("marrow_plasma_cell_percent");
    out[1] = first("sbcma_ng_per_ml");
    out[2] = first("bcma_median_molecules_per_cell");
    const auto& progression = run.summary.progression_day;
    const auto neutral = series_column(run, "macrophage_neutral_cells");
    const auto suppressive = series_column(run, "macrophage_suppressive_cells");
    if (progression && neutral && suppressive) {
        const auto total = [&](std::size_t i) { return rows[i][*neutral] + rows[i][*suppressive]; };
        if (total(0) > 0.0) out[3] = total(row_at(run, *progression)) / total(0);
    }
    const auto mprotein = series_column(run, "mprotein_g_per_dl");
    if (progression && mprotein && rows.back()[0] >= *progression + 56.0) {
        const std::size_t a = row_at(run, *progression), b = row_at(run, *progression + 56.0);
        const double m0 = rows[a][*mprotein], m1 = rows[b][*mprotein], dt = rows[b][0] - rows[a][0];
        if (m0 > 0.0 && m1 > m0 && dt > 0.0) out[4] = dt * std::log(2.0) / std::log(m1 / m0);
    }
    std::vector<std::size_t> cart;
    for (std::size_t c = 0; c < run.timeseries.columns.size(); ++c) {
        const auto& name = run.timeseries.columns[c];
        if (name.rfind("cart_", 0) == 0 && name.size() > 20 && name.ends_with("_blood_cells_per_ul")) cart.push_back(c);
    }
    if (!cart.empty()) {
        std::optional<double> last;
        for (const auto& row : rows) {
            double level = 0.0;
            for (auto c : cart) level += row[c];
            if (level >= kCartDetectionCellsPerUl) last = row[0];
        }
        out[5] = last;
    }
    return out;
}

std::vector<std::string> RowLayout::header() const {
    std::vector<std::string> h = kind == StudyKind::Sweep ? std::vector<std::string>{"point", "patient"}
                                                          : std::vector<std::string>{"patient", "arm"};
    h.insert(h.end(), parameters.begin(), parameters.end());
    h.insert(h.end(), std::begin(kEndpoints), std::end(kEndpoints));
    h.insert(h.end(), readout_columns().begin(), readout_columns().end());
    for (int k = 1; k <= lines; ++k) {
        const std::string l = "line" + std::to_string(k);
        const std::string p = "pfs" + std::to_string(k);
        h.insert(h.end(), {l + "_name", l + "_start_day", l + "_best_response", l + "_progression_day", p + "_days",
                           p + "_event"});
    }
    h.insert(h.end(), {"os_days", "os_event"});
    for (const auto& m : attribution) h.push_back("attribution_" + m + "_days");
    h.push_back("error");
    return h;
}

RowLayout row_layout(const LoadedStudy& study, const std::vector<std::string>& attribution) {
    RowLayout layout;
    layout.kind = study.kind;
    for (const auto& p : study.spec.cohort.parameters) layout.parameters.push_back(p.path);
    if (study.kind == StudyKind::Sweep)
        for (std::size_t j : study.sweep_columns) layout.parameters.push_back(study.spec.sweep.parameters[j].path);
    layout.lines = study.lines;
    layout.attribution = attribution;
    return layout;
}

std::optional<double> best_mprotein_change_percent(const simulate::RunResult& run) {
    const auto& t = run.timeseries;
    const auto column = std::find(t.columns.begin(), t.columns.end(), "mprotein_g_per_dl");
    if (column == t.columns.end() || t.rows.empty()) return std::nullopt;
    const double baseline = t.rows.front()[static_cast<std::size_t>(column - t.columns.begin())];
    if (!(baseline > 0.0)) return std::nullopt;
    std::optional<double> best;
    for (const auto& a : run.summary.assessments)
        if (!best || a.mprotein_g_per_dl < *best) best = a.mprotein_g_per_dl;
    if (!best) return std::nullopt;
    return 100.0 * (*best - baseline) / baseline;
}

std::optional<std::pair<double, bool>> line_pfs(const simulate::Summary& s, std::size_t line, double horizon_days) {
    if (line >= s.lines.size() || !s.lines[line].start_day) return std::nullopt;
    const double start = *s.lines[line].start_day;
    if (s.lines[line].progression_day) return std::pair{*s.lines[line].progression_day - start, true};
    if (s.death_day) return std::pair{*s.death_day - start, true};
    return std::pair{horizon_days - start, false};
}

std::pair<double, bool> overall_survival(const simulate::Summary& s, double horizon_days) {
    if (s.death_day) return {*s.death_day, true};
    return {horizon_days, false};
}

std::string csv_line(const RowLayout& layout, const PatientRecord& r) {
    std::vector<std::string> cells;
    if (layout.kind == StudyKind::Sweep)
        cells = {io::csv_cell(r.group), std::to_string(r.patient)};
    else
        cells = {std::to_string(r.patient), io::csv_cell(r.group)};
    for (std::size_t k = 0; k < layout.parameters.size(); ++k)
        cells.push_back(k < r.parameters.size() ? io::format_number(r.parameters[k]) : "");
    const std::size_t endpoint_columns = std::size(kEndpoints) + readout_columns().size() + 6 * static_cast<std::size_t>(layout.lines) + 2 +
                                         layout.attribution.size();
    if (!r.summary) {
        cells.push_back("error");
        cells.resize(cells.size() + endpoint_columns - 1);
    } else {
        const auto& s = *r.summary;
        cells.insert(cells.end(), {std::string(simulate::classify_outcome(s)), name_of(s.best_response),
                                   flag(s.mrd_negative), number(s.progression_day), name_of(s.relapse_type),
                                   number(s.death_day), io::csv_cell(s.death_cause), flag(s.cure),
                                   io::format_number(s.cart_peak_blood_cells_per_ul), number(s.cart_peak_day),
                                   std::to_string(s.crs_grade), number(r.best_mprotein_change_percent),
                                   io::csv_cell(s.dominant_clone_at_progression.value_or("")),
                                   number(s.dominant_clone_founding_day), io::format_number(s.peak_inflammation_index)});
        for (std::size_t k = 0; k < readout_columns().size(); ++k)
            cells.push_back(k < r.readouts.size() ? number(r.readouts[k]) : "");
        for (int k = 0; k < layout.lines; ++k) {
            const auto line = static_cast<std::size_t>(k);
            const bool started = line < s.lines.size() && s.lines[line].start_day;
            const auto pfs = line_pfs(s, line, r.horizon_days);
            cells.insert(cells.end(),
                         {started ? io::csv_cell(s.lines[line].name) : "", started ? number(s.lines[line].start_day) : "",
                          started ? name_of(s.lines[line].best_response) : "",
                          started ? number(s.lines[line].progression_day) : "", pfs ? io::format_number(pfs->first) : "",
                          pfs ? (pfs->second ? "1" : "0") : ""});
        }
        const auto os = overall_survival(s, r.horizon_days);
        cells.insert(cells.end(), {io::format_number(os.first), os.second ? "1" : "0"});
        for (std::size_t m = 0; m < layout.attribution.size(); ++m)
            cells.push_back(m < r.attribution_days.size() ? number(r.attribution_days[m]) : "");
    }
    cells.push_back(io::csv_cell(r.error));
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) line += ',';
        line += cells[i];
    }
    return line;
}

}  // namespace cartsim::study
