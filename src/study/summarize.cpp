#include "src/study/summarize.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "src/io/column_names.hpp"
#include "src/io/csv.hpp"
#include "src/parallel/statistics.hpp"
#include "src/study/compare_arms.hpp"
#include "src/stats/kaplan_meier.hpp"
#include "src/stats/rmst.hpp"
#include "src/stats/sensitivity.hpp"

namespace cartsim::study {
namespace {
using json = nlohmann::ordered_json;

json rate(long k, long n) {
    if (n == 0) return {{"value", nullptr}, {"ci_low", nullptr}, {"ci_high", nullptr}};
    const auto ci = parallel::wilson_interval(k, n);
    return {{"value", double(k) / double(n)}, {"ci_low", ci.low}, {"ci_high", ci.high}};
}

json maybe(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

/// The Kaplan-Meier table of one group and endpoint, computed once for the summary and km.csv.
struct Survival {
    stats::SurvivalData data;
    std::optional<stats::KaplanMeier> km;  // empty when no patient ran
};

template <class Endpoint>
Survival survival(const std::vector<const Row*>& rows, Endpoint&& endpoint) {
    Survival s;
    for (const Row* r : rows)
        if (r->ok)
            if (const std::optional<TimeToEvent> v = endpoint(*r)) s.data.push_back({v->first, v->second, 0});
    if (!s.data.empty()) s.km = stats::kaplan_meier(s.data);
    return s;
}

Survival pfs_of(const std::vector<const Row*>& rows) {
    return survival(rows, [](const Row& r) { return std::optional(r.pfs); });
}
Survival os_of(const std::vector<const Row*>& rows) {
    return survival(rows, [](const Row& r) { return std::optional(r.os); });
}

json rmst_json(const Survival& s, double horizon) {
    if (!s.km) return nullptr;
    const auto r = stats::restricted_mean(*s.km, horizon);
    return {{"value", r.rmst_days}, {"se", r.std_error_days}};
}

json median_json(const Survival& s) {
    if (!s.km) return {{"value", nullptr}, {"ci_low", nullptr}, {"ci_high", nullptr}};
    const auto m = stats::median_survival(*s.km);
    return {{"value", maybe(m.median_days)}, {"ci_low", maybe(m.ci_low_days)}, {"ci_high", maybe(m.ci_high_days)}};
}

bool at_least(const std::string& response, std::initializer_list<const char*> set) {
    return std::any_of(set.begin(), set.end(), [&](const char* r) { return response == r; });
}

/// Per line: how many started it, their response rates, median PFS and duration of response, relapse
/// types, and each targeted antigen's status and median density at the line's progression.
json line_stats(const std::vector<const Row*>& rows, const RowLayout& layout) {
    json lines = json::array();
    for (int k = 0; k < layout.lines; ++k) {
        const auto line = static_cast<std::size_t>(k);
        long started = 0, orr = 0, cr = 0, mrd = 0;
        std::map<std::string, long> relapse;
        std::vector<std::map<std::string, long>> status(layout.antigens.size());
        std::vector<std::vector<double>> medians(layout.antigens.size());
        for (const Row* r : rows) {
            if (!r->ok || line >= r->lines.size() || !r->lines[line].started) continue;
            const LineRow& l = r->lines[line];
            ++started;
            orr += at_least(l.best_response, {"sCR", "CR", "VGPR", "PR"});
            cr += at_least(l.best_response, {"sCR", "CR"});
            mrd += l.mrd;
            if (!l.relapse_type.empty()) ++relapse[l.relapse_type];
            for (std::size_t a = 0; a < layout.antigens.size(); ++a) {
                if (!l.antigen_status[a].empty()) ++status[a][l.antigen_status[a]];
                if (l.antigen_median[a]) medians[a].push_back(*l.antigen_median[a]);
            }
        }
        const auto pfs = survival(rows, [&](const Row& r) { return line < r.lines.size() ? r.lines[line].pfs : std::nullopt; });
        const auto dor = survival(rows, [&](const Row& r) { return line < r.lines.size() ? r.lines[line].dor : std::nullopt; });
        json types = json::object();
        for (const auto& [type, count] : relapse) types[type] = count;
        json antigens = json::object();
        for (std::size_t a = 0; a < layout.antigens.size(); ++a) {
            if (status[a].empty()) continue;
            json counts = json::object();
            for (const auto& [st, count] : status[a]) counts[st] = count;
            auto& m = medians[a];
            std::sort(m.begin(), m.end());
            const json median = m.empty() ? json(nullptr)
                                          : json(m.size() % 2 ? m[m.size() / 2] : 0.5 * (m[m.size() / 2 - 1] + m[m.size() / 2]));
            antigens[std::string(enum_name(layout.antigens[a]))] = {{"status_at_progression", counts},
                                                                     {"median_molecules_per_cell_at_progression", median}};
        }
        lines.push_back({{"line", k + 1}, {"started", started}, {"orr", rate(orr, started)},
                         {"cr_or_better", rate(cr, started)}, {"mrd_negative", rate(mrd, started)},
                         {"median_pfs_days", median_json(pfs)}, {"responders", dor.data.size()},
                         {"median_dor_days", median_json(dor)}, {"relapse_types", types}, {"antigens", antigens}});
    }
    return lines;
}

/// An arm split by variant: n, response rates and median PFS and OS of each.
json variant_stats(const std::vector<const Row*>& rows) {
    std::map<std::string, std::vector<const Row*>> by_variant;
    for (const Row* r : rows) by_variant[r->variant].push_back(r);
    json out = json::object();
    for (const auto& [name, members] : by_variant) {
        long ok = 0, orr = 0, cr = 0;
        for (const Row* r : members) {
            if (!r->ok) continue;
            ++ok;
            orr += at_least(r->best_response, {"sCR", "CR", "VGPR", "PR"});
            cr += at_least(r->best_response, {"sCR", "CR"});
        }
        out[name.empty() ? "none" : name] = {{"n", members.size()},          {"orr", rate(orr, ok)},
                                            {"cr_or_better", rate(cr, ok)}, {"median_pfs_days", median_json(pfs_of(members))},
                                            {"median_os_days", median_json(os_of(members))}};
    }
    return out;
}

/// Rows of one group, and their derived endpoint values.
struct GroupStats {
    json entry;
    std::map<std::string, double> endpoints;  // for sweep.csv and Sobol (NaN when undefined)
};

GroupStats group_stats(const std::vector<const Row*>& rows, const RowLayout& layout, const Survival& pfs,
                       const Survival& os, double rmst_horizon) {
    long n = 0, errors = 0, orr = 0, cr = 0, mrd = 0, negative = 0, extinct = 0;
    std::map<std::string, long> relapse;
    double pfs_sum = 0.0, os_sum = 0.0, mprotein_sum = 0.0;
    long mprotein_n = 0;
    std::vector<double> peaks;
    std::map<std::string, long> chief;
    long progressed = 0;
    for (const Row* r : rows) {
        ++n;
        if (!r->ok) {
            ++errors;
            continue;
        }
        orr += at_least(r->best_response, {"sCR", "CR", "VGPR", "PR"});
        cr += at_least(r->best_response, {"sCR", "CR"});
        mrd += r->mrd;
        extinct += r->extinct;
        ++relapse[r->relapse_type.empty() ? "none" : r->relapse_type];
        negative += r->relapse_type == "antigen_negative";
        pfs_sum += r->pfs.first;
        os_sum += r->os.first;
        if (r->mprotein) {
            mprotein_sum += *r->mprotein;
            ++mprotein_n;
        }
        if (r->cart_peak) peaks.push_back(*r->cart_peak);
        if (!layout.attribution.empty() && r->progression_day) {
            ++progressed;
            std::size_t best = layout.attribution.size();
            double shift = 0.0;
            for (std::size_t m = 0; m < r->attribution.size(); ++m)
                if (r->attribution[m] && *r->attribution[m] > shift) shift = *r->attribution[m], best = m;
            ++chief[best < layout.attribution.size() ? layout.attribution[best] : "none"];
        }
    }
    const long ok = n - errors;
    GroupStats out;
    json types = json::object();
    for (const auto& [type, count] : relapse) types[type] = {{"count", count}, {"share", double(count) / double(ok)}};
    out.entry = {{"n", n}, {"errors", errors}, {"orr", rate(orr, ok)}, {"cr_or_better", rate(cr, ok)},
                 {"mrd_negative", rate(mrd, ok)}, {"median_pfs_days", median_json(pfs)},
                 {"median_os_days", median_json(os)}, {"relapse_types", types},
                 {"tumour_extinct", rate(extinct, ok)}};
    if (layout.lines >= 2) {
        out.entry["median_pfs2_days"] = median_json(survival(rows, [](const Row& r) { return r.pfs2; }));
        out.entry["median_ttnt_days"] = median_json(survival(rows, [](const Row& r) { return r.ttnt; }));
    }
    double peak_median = std::nan("");
    if (!peaks.empty()) {  // the median CAR-T blood peak of the patients given a CAR-T product
        std::sort(peaks.begin(), peaks.end());
        const std::size_t m = peaks.size() / 2;
        peak_median = peaks.size() % 2 ? peaks[m] : 0.5 * (peaks[m - 1] + peaks[m]);
        out.entry["median_cart_peak_blood_cells_per_ul"] = peak_median;
    }
    out.entry["rmst_days"] = {{"horizon_days", rmst_horizon}, {"pfs", rmst_json(pfs, rmst_horizon)},
                              {"os", rmst_json(os, rmst_horizon)}};
    out.entry["lines"] = line_stats(rows, layout);
    if (layout.variants) out.entry["variants"] = variant_stats(rows);
    if (!layout.attribution.empty()) {
        json a = json::object();
        a["relapses"] = progressed;
        json shares = json::object();
        for (const auto& m : layout.attribution) shares[m] = progressed ? double(chief[m]) / double(progressed) : 0.0;
        shares["none"] = progressed ? double(chief["none"]) / double(progressed) : 0.0;
        a["chief_mechanism_share"] = shares;
        out.entry["attribution"] = a;
    }
    const double nan = std::nan("");
    const auto value = [&](const json& j) { return j["value"].is_null() ? nan : j["value"].get<double>(); };
    out.endpoints = {{"orr", value(out.entry["orr"])},
                     {"cr_or_better", value(out.entry["cr_or_better"])},
                     {"mrd_negative", value(out.entry["mrd_negative"])},
                     {"median_pfs_days", value(out.entry["median_pfs_days"])},
                     {"median_os_days", value(out.entry["median_os_days"])},
                     {"mean_pfs_days", ok ? pfs_sum / double(ok) : nan},
                     {"mean_os_days", ok ? os_sum / double(ok) : nan},
                     {"mean_best_mprotein_change_percent", mprotein_n ? mprotein_sum / double(mprotein_n) : nan},
                     {"antigen_negative_relapse_share", ok ? double(negative) / double(ok) : nan},
                     {"median_cart_peak_blood_cells_per_ul", peak_median}};
    return out;
}

void km_rows(std::string& csv, const std::string& group, const char* endpoint, const Survival& s) {
    csv += fmt::format("{},{},0,{},0,0,1,1,1\n", io::csv_cell(group), endpoint, s.data.size());
    if (!s.km) return;
    for (const auto& r : s.km->rows)
        csv += fmt::format("{},{},{},{},{},{},{},{},{}\n", io::csv_cell(group), endpoint, io::format_number(r.time_days),
                           r.at_risk, r.events, r.censored, io::format_number(r.survival), io::format_number(r.ci_low),
                           io::format_number(r.ci_high));
}

}  // namespace

const std::vector<std::string>& group_endpoints() {
    static const std::vector<std::string> names{"orr", "cr_or_better", "mrd_negative", "median_pfs_days",
                                                "median_os_days", "mean_pfs_days", "mean_os_days",
                                                "mean_best_mprotein_change_percent", "antigen_negative_relapse_share",
                                                "median_cart_peak_blood_cells_per_ul"};
    return names;
}

StudyTables summarize(const LoadedStudy& study, const RowLayout& layout, std::istream& patients_csv) {
    const std::vector<Row> rows = read_rows(study, layout, patients_csv);
    std::vector<std::vector<const Row*>> by_group(study.groups.size());
    for (const Row& r : rows) by_group[r.group].push_back(&r);

    StudyTables t;
    json& s = t.summary;
    s["study"] = study.name;
    s["kind"] = study.kind == StudyKind::Trial ? "trial" : study.kind == StudyKind::Sweep ? "sweep" : "cohort";
    s["patients"] = study.patients;
    s["horizon_days"] = study.base.horizon_days;
    s["runs"] = rows.size();
    s["errors"] = std::count_if(rows.begin(), rows.end(), [](const Row& r) { return !r.ok; });
    s["confidence_level"] = 0.95;
    json groups = json::object();
    std::vector<GroupStats> stats_of;
    for (std::size_t g = 0; g < study.groups.size(); ++g) {
        const Survival pfs = pfs_of(by_group[g]), os = os_of(by_group[g]);
        stats_of.push_back(group_stats(by_group[g], layout, pfs, os, rmst_horizon_days(study)));
        groups[study.groups[g].name] = stats_of.back().entry;
        km_rows(t.km_csv, study.groups[g].name, "pfs", pfs);
        km_rows(t.km_csv, study.groups[g].name, "os", os);
    }
    t.km_csv = "arm,endpoint,time_days,at_risk,events,censored,survival,ci_low,ci_high\n" + t.km_csv;
    s[study.kind == StudyKind::Sweep ? "points" : "arms"] = groups;

    if (study.kind == StudyKind::Trial) s["comparisons"] = compare_arms(study, by_group);
    if (study.kind == StudyKind::Sweep) {
        std::string csv = "point";
        for (const auto& p : study.spec.sweep.parameters) csv += "," + io::parameter_column(p.path);
        csv += ",n,errors";
        for (const auto& e : group_endpoints()) csv += "," + e;
        csv += '\n';
        for (std::size_t g = 0; g < study.groups.size(); ++g) {
            csv += study.groups[g].name;
            for (double v : study.groups[g].point) csv += "," + io::format_number(v);
            csv += fmt::format(",{},{}", stats_of[g].entry["n"].get<long>(), stats_of[g].entry["errors"].get<long>());
            for (const auto& e : group_endpoints()) {
                const double v = stats_of[g].endpoints.at(e);
                csv += "," + (std::isnan(v) ? std::string() : io::format_number(v));
            }
            csv += '\n';
        }
        t.sweep_csv = csv;
    }
    if (study.kind == StudyKind::Sweep && study.spec.sweep.design == SweepDesign::Sobol) {
        const std::string& endpoint = study.spec.sweep.endpoint;
        Eigen::VectorXd outputs(static_cast<Eigen::Index>(study.groups.size()));
        for (std::size_t g = 0; g < study.groups.size(); ++g) outputs[static_cast<Eigen::Index>(g)] = stats_of[g].endpoints.at(endpoint);
        json sobol = {{"endpoint", endpoint}};
        if (!outputs.allFinite()) {
            sobol["error"] = "the endpoint is undefined at some points (all runs failed, or a median not reached)";
        } else {
            try {
                stats::BootstrapOptions boot;
                boot.key = agents::StreamKey{static_cast<std::uint64_t>(study.spec.sweep.seed), 0, 0x50B01, 0, 0};
                const auto idx = stats::sobol_indices(outputs, study.spec.sweep.parameters.size(), boot);
                json list = json::array();
                t.sobol_csv = "parameter,first_order,first_ci_low,first_ci_high,total_order,total_ci_low,total_ci_high\n";
                for (std::size_t k = 0; k < study.spec.sweep.parameters.size(); ++k) {
                    const auto& f = idx.first_order[k];
                    const auto& tt = idx.total_order[k];
                    const std::string& name = study.spec.sweep.parameters[k].path;
                    list.push_back({{"parameter", name}, {"first_order", f.estimate}, {"first_ci_low", f.ci_low},
                                    {"first_ci_high", f.ci_high}, {"total_order", tt.estimate},
                                    {"total_ci_low", tt.ci_low}, {"total_ci_high", tt.ci_high}});
                    t.sobol_csv += fmt::format("{},{},{},{},{},{},{}\n", io::csv_cell(name), io::format_number(f.estimate),
                                               io::format_number(f.ci_low), io::format_number(f.ci_high),
                                               io::format_number(tt.estimate), io::format_number(tt.ci_low),
                                               io::format_number(tt.ci_high));
                }
                sobol["output_mean"] = idx.output_mean;
                sobol["output_variance"] = idx.output_variance;
                sobol["indices"] = list;
            } catch (const std::invalid_argument& e) {
                sobol["error"] = e.what();
            }
        }
        s["sobol"] = sobol;
    }
    return t;
}

}  // namespace cartsim::study
