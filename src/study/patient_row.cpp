#include "src/study/patient_row.hpp"

#include <algorithm>
#include <cmath>

#include "model/common/names.hpp"
#include "src/io/column_names.hpp"
#include "src/io/csv.hpp"
#include "src/simulate/outcome.hpp"

namespace cartsim::study {
namespace {

std::string number(const std::optional<double>& v) { return v ? io::format_number(*v) : ""; }
std::string flag(bool v) { return v ? "true" : "false"; }
std::string event(const std::optional<std::pair<double, bool>>& v) { return v ? (v->second ? "1" : "0") : ""; }
std::string days(const std::optional<std::pair<double, bool>>& v) { return v ? io::format_number(v->first) : ""; }

template <class E>
std::string name_of(const std::optional<E>& v) {
    return v ? std::string(enum_name(*v)) : "";
}

/// Index of a time-series column, or nullopt.
std::optional<std::size_t> series_column(const simulate::RunResult& run, const std::string& name) {
    const auto& c = run.timeseries.columns;
    const auto it = std::find(c.begin(), c.end(), name);
    if (it == c.end()) return std::nullopt;
    return static_cast<std::size_t>(it - c.begin());
}

/// Builds a row's cells and the header from one list, so the two cannot drift apart. Without a
/// summary (the header, or a failed run) every value is empty.
class RowWriter {
public:
    explicit RowWriter(bool values) : values_(values) {}
    void put(std::string name, std::string value) {
        names_.push_back(std::move(name));
        cells_.push_back(values_ ? std::move(value) : std::string());
    }
    std::vector<std::string>& names() { return names_; }
    std::vector<std::string>& cells() { return cells_; }

private:
    bool values_;
    std::vector<std::string> names_, cells_;
};

const simulate::AntigenAtProgression* antigen_at(const simulate::LineRecord& line, Antigen a) {
    if (!line.at_progression) return nullptr;
    for (const auto& s : line.at_progression->antigens)
        if (s.antigen == enum_name(a)) return &s;
    return nullptr;
}

void line_columns(RowWriter& w, const RowLayout& layout, const simulate::Summary* s, std::size_t k, double horizon) {
    const std::string l = "line" + std::to_string(k + 1) + "_";
    const simulate::LineRecord* line = s && k < s->lines.size() && s->lines[k].start_day ? &s->lines[k] : nullptr;
    const auto text = [&](auto&& f) { return line ? f(*line) : std::string(); };
    const std::optional<simulate::ProgressionState> none;
    const auto& p = line ? line->at_progression : none;
    const auto at = [&](auto&& f) { return p ? f(*p) : std::string(); };
    w.put(l + "name", text([](const auto& r) { return io::csv_cell(r.name); }));
    w.put(l + "start_day", text([](const auto& r) { return number(r.start_day); }));
    w.put(l + "best_response", text([](const auto& r) { return name_of(r.best_response); }));
    w.put(l + "mrd_negative", text([](const auto& r) { return flag(r.mrd_negative); }));
    w.put(l + "response_day", text([](const auto& r) { return number(r.response_day); }));
    w.put(l + "relapse_from_cr_day", text([](const auto& r) { return number(r.relapse_from_cr_day); }));
    w.put(l + "progression_day", text([](const auto& r) { return number(r.progression_day); }));
    w.put(l + "relapse_type", text([](const auto& r) { return name_of(r.relapse_type); }));
    w.put(l + "crs_grade", text([](const auto& r) { return std::to_string(r.crs_grade); }));
    w.put(l + "crs_onset_day", text([](const auto& r) { return number(r.crs_onset_day); }));
    const auto pfs = s ? line_pfs(*s, k, horizon) : std::nullopt;
    w.put(l + "pfs_days", days(pfs));
    w.put(l + "pfs_event", event(pfs));
    const auto dor = s ? duration_of_response(*s, k, horizon) : std::nullopt;
    w.put(l + "dor_days", days(dor));
    w.put(l + "dor_event", event(dor));
    const std::string q = l + "prog_";
    w.put(q + "share_below_floor", at([](const auto& v) { return io::format_number(v.share_below_floor); }));
    w.put(q + "dominant_clone", at([](const auto& v) { return io::csv_cell(v.dominant_clone); }));
    w.put(q + "macrophage_suppressive_cells",
          at([](const auto& v) { return io::format_number(v.macrophages_suppressive_cells); }));
    w.put(q + "macrophage_total_cells", at([](const auto& v) { return io::format_number(v.macrophages_total_cells); }));
    w.put(q + "cart_blood_cells_per_ul", at([](const auto& v) { return io::format_number(v.cart_blood_cells_per_ul); }));
    w.put(q + "t_functional_fraction", at([](const auto& v) { return io::format_number(v.t_functional_fraction); }));
    w.put(q + "sbcma_ng_per_ml", at([](const auto& v) { return io::format_number(v.sbcma_ng_per_ml); }));
    w.put(q + "mprotein_g_per_dl", at([](const auto& v) { return io::format_number(v.mprotein_g_per_dl); }));
    for (Antigen a : layout.antigens) {
        const auto* state = line ? antigen_at(*line, a) : nullptr;
        const std::string name = column_safe(enum_name(a));
        // BCMA's median at progression is written whether or not the line targets it.
        const std::string median = state ? io::format_number(state->median_molecules_per_cell)
                                   : a == Antigen::Bcma ? at([](const auto& v) { return io::format_number(v.median_bcma_molecules_per_cell); })
                                                        : "";
        w.put(q + name + "_median_molecules_per_cell", median);
        w.put(q + name + "_share_below_floor", state ? io::format_number(state->share_below_floor) : "");
        w.put(q + name + "_status", state ? std::string(enum_name(state->status)) : "");
    }
}

/// Every column of a row; `r` null for the header.
RowWriter row_cells(const RowLayout& layout, const PatientRecord* r) {
    const simulate::Summary* s = r && r->summary ? &*r->summary : nullptr;
    RowWriter w(s != nullptr);
    const double horizon = r ? r->horizon_days : 0.0;
    w.put("outcome", s ? std::string(simulate::classify_outcome(*s)) : "");
    w.put("best_response", s ? name_of(s->best_response) : "");
    w.put("mrd_negative", s ? flag(s->mrd_negative) : "");
    w.put("progression_day", s ? number(s->progression_day) : "");
    w.put("relapse_type", s ? name_of(s->relapse_type) : "");
    w.put("death_day", s ? number(s->death_day) : "");
    w.put("death_cause", s ? io::csv_cell(s->death_cause) : "");
    w.put("cure", s ? flag(s->cure) : "");
    w.put("negative_state_points", s ? std::to_string(s->negative_state_points) : "");
    w.put("most_negative_state", s && s->most_negative_state_name
                                     ? io::csv_cell(*s->most_negative_state_name + "=" + io::format_number(*s->most_negative_state))
                                     : "");
    w.put("agent_bound_hits", s ? std::to_string(s->agent_bound_hits) : "");
    w.put("lineage_bound_hits", s ? std::to_string(s->lineage_bound_hits) : "");
    w.put("peak_agents", s ? std::to_string(s->peak_agents) : "");
    w.put("lineage_records", s ? std::to_string(s->lineage_records) : "");
    w.put("cart_peak_blood_cells_per_ul", s ? io::format_number(s->cart_peak_blood_cells_per_ul) : "");
    w.put("cart_peak_day", s ? number(s->cart_peak_day) : "");
    w.put("cart_peak_copies_per_ug_dna", s ? io::format_number(s->cart_peak_copies_per_ug_dna) : "");
    w.put("cart_detectable_until_day", s ? number(s->cart_detectable_until_day) : "");
    w.put("crs_grade", s ? std::to_string(s->crs_grade) : "");
    w.put("crs_onset_day", s ? number(s->crs_onset_day) : "");
    w.put("best_mprotein_change_percent", s ? number(r->best_mprotein_change_percent) : "");
    w.put("dominant_clone_at_progression", s ? io::csv_cell(s->dominant_clone_at_progression.value_or("")) : "");
    w.put("dominant_clone_founding_day", s ? number(s->dominant_clone_founding_day) : "");
    w.put("peak_inflammation_index", s ? io::format_number(s->peak_inflammation_index) : "");
    for (std::size_t k = 0; k < readout_columns().size(); ++k)
        w.put(readout_columns()[k], s && k < r->readouts.size() ? number(r->readouts[k]) : "");
    const auto pfs = s ? line_pfs(*s, 0, horizon) : std::nullopt;
    const auto pfs2 = s ? pfs2_time(*s, horizon) : std::nullopt;
    const auto ttnt = s ? time_to_next_treatment(*s, horizon) : std::nullopt;
    std::optional<std::pair<double, bool>> os;
    if (s) os.emplace(overall_survival(*s, horizon));
    w.put("pfs_days", days(pfs));
    w.put("pfs_event", event(pfs));
    w.put("pfs2_days", days(pfs2));
    w.put("pfs2_event", event(pfs2));
    w.put("ttnt_days", days(ttnt));
    w.put("ttnt_event", event(ttnt));
    w.put("os_days", days(os));
    w.put("os_event", event(os));
    for (int k = 0; k < layout.lines; ++k) line_columns(w, layout, s, static_cast<std::size_t>(k), horizon);
    for (std::size_t m = 0; m < layout.attribution.size(); ++m)
        w.put("attribution_" + layout.attribution[m] + "_days",
              s && m < r->attribution_days.size() ? number(r->attribution_days[m]) : "");
    return w;
}

}  // namespace

const std::vector<std::string>& readout_columns() {
    static const std::vector<std::string> names{"baseline_plasma_cell_percent", "baseline_sbcma_ng_per_ml",
                                                "baseline_bcma_median_molecules_per_cell",
                                                "macrophage_fold_at_progression",
                                                "mprotein_doubling_days_at_progression"};
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
    const auto& s = run.summary;
    if (s.lines.empty() || !s.lines.front().progression_day) return out;
    const double progression = *s.lines.front().progression_day;
    // Both from the state at progression and the first row (day 0), not from rows near progression,
    // so neither depends on the output interval.
    const auto neutral = first("macrophage_neutral_cells"), suppressive = first("macrophage_suppressive_cells");
    const auto& at = s.lines.front().at_progression;
    if (at && neutral && suppressive && *neutral + *suppressive > 0.0)
        out[3] = at->macrophages_total_cells / (*neutral + *suppressive);
    // M-protein doubling time from the assessments at progression and at least 56 days later.
    const simulate::AssessmentRecord *a = nullptr, *b = nullptr;
    for (const auto& x : s.assessments) {
        if (!a && x.day >= progression - 1e-9) a = &x;
        if (a && !b && x.day >= a->day + 56.0 - 1e-9) b = &x;
    }
    if (a && b && a->mprotein_g_per_dl > 0.0 && b->mprotein_g_per_dl > a->mprotein_g_per_dl)
        out[4] = (b->day - a->day) * std::log(2.0) / std::log(b->mprotein_g_per_dl / a->mprotein_g_per_dl);
    return out;
}

std::vector<std::string> RowLayout::header() const {
    std::vector<std::string> h = kind == StudyKind::Sweep ? std::vector<std::string>{"point", "patient"}
                                                          : std::vector<std::string>{"patient", "arm"};
    if (variants) h.push_back("variant");
    for (const auto& p : parameters) h.push_back(io::parameter_column(p));
    RowWriter columns = row_cells(*this, nullptr);
    h.insert(h.end(), columns.names().begin(), columns.names().end());
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
    layout.antigens = study.antigens;  // BCMA first, always: its median at progression is always written
    if (std::find(layout.antigens.begin(), layout.antigens.end(), Antigen::Bcma) == layout.antigens.end())
        layout.antigens.insert(layout.antigens.begin(), Antigen::Bcma);
    layout.variants = study.any_variants;
    layout.attribution = attribution;
    return layout;
}

std::optional<double> best_mprotein_change_percent(const simulate::RunResult& run) {
    const auto column = series_column(run, "mprotein_g_per_dl");
    if (!column || run.timeseries.rows.empty()) return std::nullopt;
    const double baseline = run.timeseries.rows.front()[*column];
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

std::optional<std::pair<double, bool>> duration_of_response(const simulate::Summary& s, std::size_t line,
                                                            double horizon_days) {
    if (line >= s.lines.size() || !s.lines[line].response_day) return std::nullopt;
    const double from = *s.lines[line].response_day;
    if (s.lines[line].progression_day) return std::pair{*s.lines[line].progression_day - from, true};
    if (s.death_day) return std::pair{*s.death_day - from, true};
    return std::pair{horizon_days - from, false};
}

std::optional<std::pair<double, bool>> pfs2_time(const simulate::Summary& s, double horizon_days) {
    if (s.lines.size() < 2 || !s.lines[0].start_day) return std::nullopt;
    const double start = *s.lines[0].start_day;
    const auto& next = s.lines[1];
    if (next.start_day && next.progression_day) return std::pair{*next.progression_day - start, true};
    if (s.death_day) return std::pair{*s.death_day - start, true};
    return std::pair{horizon_days - start, false};
}

std::optional<std::pair<double, bool>> time_to_next_treatment(const simulate::Summary& s, double horizon_days) {
    if (s.lines.size() < 2 || !s.lines[0].start_day) return std::nullopt;
    const double start = *s.lines[0].start_day;
    if (s.lines[1].start_day) return std::pair{*s.lines[1].start_day - start, true};
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
    if (layout.variants) cells.push_back(io::csv_cell(r.variant));
    for (std::size_t k = 0; k < layout.parameters.size(); ++k)
        cells.push_back(k < r.parameters.size() ? io::format_number(r.parameters[k]) : "");
    RowWriter row = row_cells(layout, &r);
    auto& rest = row.cells();
    if (!r.summary) rest.front() = "error";
    cells.insert(cells.end(), rest.begin(), rest.end());
    cells.push_back(io::csv_cell(r.error));
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) line += ',';
        line += cells[i];
    }
    return line;
}

}  // namespace cartsim::study
