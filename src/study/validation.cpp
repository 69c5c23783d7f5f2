#include "src/study/validation.hpp"

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <functional>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "src/io/atomic_file.hpp"
#include "src/io/column_names.hpp"
#include "src/io/csv.hpp"
#include "src/parallel/statistics.hpp"
#include "src/stats/cox.hpp"
#include "src/stats/kaplan_meier.hpp"

namespace cartsim::study {
namespace {

constexpr double kDaysPerMonth = 30.4375;

struct Value {
    std::optional<double> value, low, high;
    std::string note;
};

Value percent(long k, long n, const std::string& empty_note = "no patients") {
    if (n == 0) return {std::nullopt, std::nullopt, std::nullopt, empty_note};
    const auto ci = parallel::wilson_interval(k, n);
    return {100.0 * double(k) / double(n), 100.0 * ci.low, 100.0 * ci.high, fmt::format("{} of {}", k, n)};
}

std::optional<double> number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    try {
        return std::stod(text);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

/// The rows of the target's arms that ran without error.
class Selection {
  public:
    Selection(const PatientTable& table, const std::vector<std::string>& arms, const Subgroup& subgroup)
        : table_(table) {
        const auto group = table.column("arm") ? table.column("arm") : table.column("point");
        const auto error = table.column("error");
        const bool filter = !subgroup.column.empty();
        const std::size_t by = filter ? index(subgroup.column) : 0;
        for (const auto& row : table.rows) {
            if (group && std::find(arms.begin(), arms.end(), row[*group]) == arms.end()) continue;
            if (error && !row[*error].empty()) continue;
            if (filter) {  // a patient without a value is in no subgroup
                const auto v = number(row[by]);
                if (!v || (subgroup.above && !(*v > *subgroup.above)) || (subgroup.at_most && !(*v <= *subgroup.at_most)))
                    continue;
            }
            rows_.push_back(&row);
        }
    }
    /// A target names a column as written in patients.csv, or a parameter by its key path.
    std::size_t index(const std::string& name) const {
        const auto c = table_.column(io::parameter_column(name));
        if (!c) throw std::runtime_error("patients.csv has no column '" + io::parameter_column(name) + "'");
        return *c;
    }
    const std::vector<const std::vector<std::string>*>& rows() const { return rows_; }
    long count_if(const std::string& column, const std::function<bool(const std::string&)>& test) const {
        const auto c = index(column);
        return std::count_if(rows_.begin(), rows_.end(), [&](const auto* r) { return test((*r)[c]); });
    }
    std::vector<double> numbers(const std::string& column) const {
        const auto c = index(column);
        std::vector<double> out;
        for (const auto* r : rows_)
            if (auto v = number((*r)[c])) out.push_back(*v);
        return out;
    }
    stats::SurvivalData survival(const std::string& time, const std::string& event, int group) const {
        const auto t = index(time), e = index(event);
        stats::SurvivalData data;
        for (const auto* r : rows_)
            if (auto v = number((*r)[t])) data.push_back({*v, (*r)[e] == "1", group});
        return data;
    }

  private:
    const PatientTable& table_;
    std::vector<const std::vector<std::string>*> rows_;
};

bool response_in(const std::string& r, std::initializer_list<const char*> set) {
    return std::any_of(set.begin(), set.end(), [&](const char* s) { return r == s; });
}

Value survival_median(const stats::SurvivalData& data) {
    if (data.empty()) return {std::nullopt, std::nullopt, std::nullopt, "no patients"};
    const auto m = stats::median_survival(stats::kaplan_meier(data));
    const auto months = [](const std::optional<double>& d) {
        return d ? std::optional<double>(*d / kDaysPerMonth) : std::nullopt;
    };
    Value v{months(m.median_days), months(m.ci_low_days), months(m.ci_high_days), ""};
    if (!v.value) v.note = "median not reached";
    return v;
}

Value survival_at(const stats::SurvivalData& data, double months) {
    if (data.empty()) return {std::nullopt, std::nullopt, std::nullopt, "no patients"};
    const auto km = stats::kaplan_meier(data);
    const double day = months * kDaysPerMonth;
    Value v{100.0 * stats::survival_at(km, day), 100.0, 100.0, ""};
    for (const auto& row : km.rows) {
        if (row.time_days > day) break;
        v.low = std::isnan(row.ci_low) ? 0.0 : 100.0 * row.ci_low;
        v.high = std::isnan(row.ci_high) ? 0.0 : 100.0 * row.ci_high;
    }
    return v;
}

Value hazard_ratio(const Selection& arm, const Selection& reference, bool pfs) {
    const std::string time = pfs ? "pfs_days" : "os_days", event = pfs ? "pfs_event" : "os_event";
    auto data = reference.survival(time, event, 0);
    const auto a = arm.survival(time, event, 1);
    data.insert(data.end(), a.begin(), a.end());
    if (a.empty() || data.size() == a.size()) return {std::nullopt, std::nullopt, std::nullopt, "an arm has no patients"};
    const auto fit = stats::cox_fit(data, stats::group_indicator(data, 1));
    if (!fit.converged()) return {std::nullopt, std::nullopt, std::nullopt, fit.message};
    return {fit.hazard_ratios[0], fit.ci_low[0], fit.ci_high[0], "Cox, Efron ties"};
}

/// Median with the distribution-free 95% interval from order statistics: ranks (n + 1)/2 -+ 1.96 sqrt(n)/2.
Value median_of(std::vector<double> v) {
    if (v.empty()) return {std::nullopt, std::nullopt, std::nullopt, "no values"};
    std::sort(v.begin(), v.end());
    const double n = double(v.size());
    const auto at = [&](double rank) { return v[static_cast<std::size_t>(std::clamp(rank, 1.0, n)) - 1]; };
    const double half = parallel::kZ95 * std::sqrt(n) / 2.0;
    return {*parallel::median(v), at(std::floor((n + 1.0) / 2.0 - half)), at(std::ceil((n + 1.0) / 2.0 + half)),
            fmt::format("n = {}", v.size())};
}

std::vector<double> ranks(const std::vector<double>& x) {
    std::vector<std::size_t> order(x.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    std::vector<double> r(x.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
        for (std::size_t k = i; k <= j; ++k) r[order[k]] = (double(i) + double(j)) / 2.0 + 1.0;  // ties: mean rank
        i = j + 1;
    }
    return r;
}

/// Spearman's rho (Pearson correlation of mid-ranks) with the Fisher-z interval of Fieller, Hartley
/// and Pearson (1957): standard error sqrt(1.06 / (n - 3)).
Value spearman(const Selection& s, const std::string& a, const std::string& b) {
    const auto ca = s.index(a), cb = s.index(b);
    std::vector<double> x, y;
    for (const auto* r : s.rows()) {
        const auto u = number((*r)[ca]), v = number((*r)[cb]);
        if (u && v) x.push_back(*u), y.push_back(*v);
    }
    if (x.size() < 4) return {std::nullopt, std::nullopt, std::nullopt, "fewer than 4 pairs"};
    const auto rx = ranks(x), ry = ranks(y);
    const double n = double(x.size());
    const double mx = std::accumulate(rx.begin(), rx.end(), 0.0) / n, my = std::accumulate(ry.begin(), ry.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < rx.size(); ++i) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    if (sxx == 0.0 || syy == 0.0) return {std::nullopt, std::nullopt, std::nullopt, "a column is constant"};
    const double rho = sxy / std::sqrt(sxx * syy);
    const double z = std::atanh(std::clamp(rho, -0.999999, 0.999999)), se = std::sqrt(1.06 / (n - 3.0));
    return {rho, std::tanh(z - parallel::kZ95 * se), std::tanh(z + parallel::kZ95 * se), fmt::format("n = {}", x.size())};
}

Value evaluate(const TargetSpec& t, const PatientTable& table) {
    const Selection s(table, t.arms, t.subgroup);
    const long n = static_cast<long>(s.rows().size());
    const auto best = [&](std::initializer_list<const char*> set) {
        return s.count_if("best_response", [&](const std::string& r) { return response_in(r, set); });
    };
    const auto progressed = [&](const std::string& progression_day) { return !progression_day.empty(); };
    switch (t.metric) {
        case Metric::Orr: return percent(best({"sCR", "CR", "VGPR", "PR"}), n);
        case Metric::CrOrBetter: return percent(best({"sCR", "CR"}), n);
        case Metric::Scr: return percent(best({"sCR"}), n);
        case Metric::VgprOrBetter: return percent(best({"sCR", "CR", "VGPR"}), n);
        case Metric::NoResponse: return percent(n - best({"sCR", "CR", "VGPR", "PR"}), n);
        case Metric::MrdNegative: return percent(s.count_if("mrd_negative", [](const std::string& v) { return v == "true"; }), n);
        case Metric::MrdNegativeAmongCr: {
            const auto r = s.index("best_response"), m = s.index("mrd_negative");
            long cr = 0, negative = 0;
            for (const auto* row : s.rows())
                if (response_in((*row)[r], {"sCR", "CR"})) ++cr, negative += (*row)[m] == "true";
            return percent(negative, cr, "no patient reached CR");
        }
        case Metric::MedianPfsMonths: return survival_median(s.survival("pfs_days", "pfs_event", 0));
        case Metric::MedianOsMonths: return survival_median(s.survival("os_days", "os_event", 0));
        case Metric::PfsAtMonths: return survival_at(s.survival("pfs_days", "pfs_event", 0), t.at_months);
        case Metric::OsAtMonths: return survival_at(s.survival("os_days", "os_event", 0), t.at_months);
        case Metric::PfsHazardRatio:
        case Metric::OsHazardRatio:
            return hazard_ratio(s, Selection(table, {t.reference}, t.subgroup), t.metric == Metric::PfsHazardRatio);
        case Metric::CrsAnyGrade:
            return percent(s.count_if("crs_grade", [](const std::string& g) { return number(g).value_or(0) >= 1; }), n);
        case Metric::CrsGrade3:
            return percent(s.count_if("crs_grade", [](const std::string& g) { return number(g).value_or(0) >= 3; }), n);
        case Metric::ProgressionsWithinMonths: {
            const auto p = s.index("progression_day"), d = s.index("pfs_days");
            long all = 0, early = 0;
            for (const auto* row : s.rows())
                if (progressed((*row)[p])) ++all, early += number((*row)[d]).value_or(0) <= t.at_months * kDaysPerMonth;
            return percent(early, all, "no progression");
        }
        case Metric::AntigenNegativeRelapses: {
            // Relapses seen within the landmark, as a trial's relapse biopsies are (later ones are never reported).
            const auto p = s.index("progression_day"), r = s.index("relapse_type"), d = s.index("pfs_days");
            long all = 0, negative = 0;
            for (const auto* row : s.rows())
                if (progressed((*row)[p]) && number((*row)[d]).value_or(0) <= t.at_months * kDaysPerMonth)
                    ++all, negative += (*row)[r] == "antigen_negative";
            return percent(negative, all, "no progression");
        }
        case Metric::Median: return median_of(s.numbers(t.column));
        case Metric::ShareAbove:
        case Metric::ShareBelow: {
            const auto v = s.numbers(t.column);
            const long k = std::count_if(v.begin(), v.end(), [&](double x) {
                return t.metric == Metric::ShareAbove ? x > t.threshold : x < t.threshold;
            });
            return percent(k, static_cast<long>(v.size()), "no values");
        }
        case Metric::Spearman: return spearman(s, t.column, t.column2);
    }
    return {};
}

}  // namespace

std::optional<std::size_t> PatientTable::column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) return std::nullopt;
    return static_cast<std::size_t>(it - header.begin());
}

PatientTable read_patient_table(std::istream& in) {
    PatientTable t;
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error("patients.csv is empty");
    t.header = io::split_csv_line(line);
    long number = 1;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) continue;
        auto cells = io::split_csv_line(line);
        if (cells.size() != t.header.size())
            throw std::runtime_error(fmt::format("patients.csv line {}: {} cells, expected {}", number, cells.size(), t.header.size()));
        t.rows.push_back(std::move(cells));
    }
    // Rows arrive in completion order, which depends on threads and ranks; statistics that sum over
    // patients (Cox, Kaplan-Meier) would differ in the last bits. Order them by point, arm and patient.
    const auto point = t.column("point"), arm = t.column("arm"), patient = t.column("patient");
    if (patient) {
        const auto key = [&](const std::vector<std::string>& r) {
            return std::tuple(point ? r[*point] : std::string(), arm ? r[*arm] : std::string(),
                              std::strtoll(r[*patient].c_str(), nullptr, 10));
        };
        std::stable_sort(t.rows.begin(), t.rows.end(),
                         [&](const auto& a, const auto& b) { return key(a) < key(b); });
    }
    return t;
}

std::string metric_unit(Metric m) {
    switch (m) {
        case Metric::MedianPfsMonths:
        case Metric::MedianOsMonths: return "months";
        case Metric::PfsHazardRatio:
        case Metric::OsHazardRatio: return "hazard ratio";
        case Metric::Median: return "column unit";
        case Metric::Spearman: return "rho";
        default: return "percent";
    }
}

std::vector<TargetResult> evaluate_targets(const std::vector<TargetSpec>& targets, const PatientTable& table,
                                           const std::string& study) {
    std::vector<TargetResult> out;
    for (const auto& t : targets) {
        const Value v = evaluate(t, table);
        TargetResult r{t, study, v.value, v.low, v.high, false, v.note};
        if (!t.known_miss.empty()) r.note += (r.note.empty() ? "" : "; ") + std::string("known miss: ") + t.known_miss;
        // A band no source gives is never counted inside, whatever the model gives.
        r.inside = !t.assumed_band && v.value && t.band.size() == 2 && *v.value >= t.band[0] && *v.value <= t.band[1];
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<std::string> validation_header() {
    return {"quantity", "trial", "clinical_value", "source", "band_low", "band_high", "model_value", "model_ci_low",
            "model_ci_high", "inside", "unit", "status", "counted", "assumed_band", "band_source", "id", "study", "note"};
}

std::string validation_csv(const std::vector<TargetResult>& results) {
    const auto join = [](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + io::csv_cell(cells[i]);
        return line + "\n";
    };
    const auto num = [](const std::optional<double>& v) { return v ? io::format_number(*v) : std::string(); };
    std::string out = join(validation_header());
    for (const auto& r : results) {
        const auto& t = r.target;
        const bool banded = t.band.size() == 2;
        out += join({t.quantity, t.trial, io::format_number(t.clinical_value), t.source,
                     banded ? io::format_number(t.band[0]) : "", banded ? io::format_number(t.band[1]) : "",
                     num(r.model_value), num(r.ci_low), num(r.ci_high), r.inside ? "true" : "false",
                     metric_unit(t.metric), std::string(enum_name(t.status)), t.counted() ? "true" : "false",
                     t.assumed_band ? "true" : "false", t.band_source, t.id, r.study, r.note});
    }
    return out;
}

StatusCounts count_statuses(const std::vector<TargetResult>& results) {
    StatusCounts c;
    for (const auto& r : results) {
        const auto& t = r.target;
        if (t.status == TargetStatus::InputCheck) {
            ++c.input_checks;
            c.input_checks_inside += r.inside;
        } else if (t.assumed_band) {
            ++c.assumed_band;
        } else if (t.status == TargetStatus::Calibrated) {
            ++c.calibrated;
            c.calibrated_inside += r.inside;
        } else if (t.status == TargetStatus::Independent) {
            ++c.independent;
            c.independent_inside += r.inside;
        }
    }
    return c;
}

std::string counts_line(const StatusCounts& c) {
    return fmt::format("calibrated {} of {} inside; independent {} of {} inside; assumed band {} (not counted); "
                       "input checks {} of {} (not validation)",
                       c.calibrated_inside, c.calibrated, c.independent_inside, c.independent, c.assumed_band,
                       c.input_checks_inside, c.input_checks);
}

void write_validation_tables(const std::string& folder, const std::vector<TargetResult>& results) {
    std::vector<TargetResult> validation, inputs;
    for (const auto& r : results) (r.target.status == TargetStatus::InputCheck ? inputs : validation).push_back(r);
    io::write_file_atomic(std::filesystem::path(folder) / "validation.csv", validation_csv(validation));
    io::write_file_atomic(std::filesystem::path(folder) / "input_checks.csv", validation_csv(inputs));
}

std::vector<std::string> validate(const TargetsSpec& s, const std::vector<std::string>& arm_names) {
    std::vector<std::string> problems;
    const auto known = [&](const std::string& arm) {
        return std::find(arm_names.begin(), arm_names.end(), arm) != arm_names.end();
    };
    std::string names;
    for (const auto& a : arm_names) names += (names.empty() ? "" : ", ") + a;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < s.targets.size(); ++i) {
        const auto& t = s.targets[i];
        const std::string at = fmt::format("targets[{}]", i);
        if (t.id.empty())
            problems.push_back(at + ".id: give the target a short unique id (calibration specs name targets by it)");
        else if (t.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.") != std::string::npos)
            problems.push_back(at + ".id: use lower-case letters, digits, '-', '_' and '.' only");
        else if (!ids.insert(t.id).second)
            problems.push_back(at + ".id: '" + t.id + "' is used twice");
        if (t.status == TargetStatus::Unset)
            problems.push_back(at + ".status: say how a pass is earned: calibrated (a fit or a hand setting looked at it), "
                                    "independent (nothing was tuned against it) or input_check (a drawn input against its source)");
        if (t.band_source.empty())
            problems.push_back(at + ".band_source: cite where the band comes from (or set assumed_band: true and say so)");
        if (!t.ci.empty() && (t.ci.size() != 2 || !(t.ci[0] <= t.clinical_value && t.clinical_value <= t.ci[1])))
            problems.push_back(at + ".ci: give the published 95% interval [low, high] around clinical_value");
        if (t.n > 0 && !metric_is_percent(t.metric))
            problems.push_back(at + ".n: a denominator applies to percentages of patients only; give the published ci");
        if (t.n > 0 && (t.metric == Metric::PfsAtMonths || t.metric == Metric::OsAtMonths))
            problems.push_back(at + ".n: a Kaplan-Meier landmark is not a binomial share; give its published ci instead");
        if (!t.known_miss.empty() && t.status != TargetStatus::Calibrated)
            problems.push_back(at + ".known_miss: only a calibrated target can be a known miss");
        if (t.quantity.empty()) problems.push_back(at + ".quantity: give the quantity's name");
        if (t.band.size() != 2)
            problems.push_back(at + ".band: give [low, high]");
        else if (!(t.band[0] <= t.band[1]))
            problems.push_back(at + ".band: low must not be above high");
        if (t.arms.empty()) problems.push_back(at + ".arms: name the arm (or arms) whose patients count");
        for (const auto& a : t.arms)
            if (!known(a)) problems.push_back(at + ".arms: no arm named '" + a + "' (arms: " + names + ")");
        if (metric_needs_reference(t.metric)) {
            if (t.reference.empty()) problems.push_back(at + ".reference: a hazard ratio needs the comparator arm");
            else if (!known(t.reference)) problems.push_back(at + ".reference: no arm named '" + t.reference + "' (arms: " + names + ")");
        }
        if (metric_needs_column(t.metric) && t.column.empty())
            problems.push_back(at + ".column: this metric needs a patients.csv column");
        if (t.metric == Metric::Spearman && t.column2.empty()) problems.push_back(at + ".column2: spearman needs two columns");
        if (!t.subgroup.column.empty() && !t.subgroup.above && !t.subgroup.at_most)
            problems.push_back(at + ".subgroup: give above and/or at_most for the column");
        if (t.subgroup.column.empty() && (t.subgroup.above || t.subgroup.at_most))
            problems.push_back(at + ".subgroup.column: name the column the bounds apply to");
    }
    return problems;
}

bool metric_needs_reference(Metric m) { return m == Metric::PfsHazardRatio || m == Metric::OsHazardRatio; }

bool metric_is_percent(Metric m) {
    switch (m) {
        case Metric::MedianPfsMonths:
        case Metric::MedianOsMonths:
        case Metric::PfsHazardRatio:
        case Metric::OsHazardRatio:
        case Metric::Median:
        case Metric::Spearman: return false;
        default: return true;
    }
}

bool metric_is_ratio_scale(Metric m) {
    return m == Metric::MedianPfsMonths || m == Metric::MedianOsMonths || m == Metric::PfsHazardRatio ||
           m == Metric::OsHazardRatio || m == Metric::Median;
}

bool metric_needs_column(Metric m) {
    return m == Metric::Median || m == Metric::ShareAbove || m == Metric::ShareBelow || m == Metric::Spearman;
}

}  // namespace cartsim::study
