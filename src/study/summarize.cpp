#include "src/study/summarize.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "src/io/csv.hpp"
#include "src/parallel/statistics.hpp"
#include "src/stats/cox.hpp"
#include "src/stats/kaplan_meier.hpp"
#include "src/stats/log_rank.hpp"
#include "src/stats/sensitivity.hpp"

namespace cartsim::study {
namespace {
using json = nlohmann::ordered_json;

struct Row {
    std::size_t group = 0;
    int patient = 0;
    bool ok = false;
    std::string best_response, relapse_type;
    bool mrd = false;
    std::optional<double> progression_day, mprotein;
    double pfs = 0.0, os = 0.0;
    bool pfs_event = false, os_event = false;
    std::vector<std::optional<double>> attribution;
};

std::optional<double> optional_number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return std::stod(text);
}

std::vector<Row> read_rows(const LoadedStudy& study, const RowLayout& layout, std::istream& in) {
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error("patients.csv is empty");
    const auto header = layout.header();
    if (io::split_csv_line(line) != header) throw std::runtime_error("patients.csv: the header does not match the study");
    std::unordered_map<std::string, std::size_t> column, group;
    for (std::size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
    for (std::size_t g = 0; g < study.groups.size(); ++g) group[study.groups[g].name] = g;
    const bool sweep = layout.kind == StudyKind::Sweep;
    std::vector<Row> rows;
    long number = 1;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) continue;
        const auto cells = io::split_csv_line(line);
        if (cells.size() != header.size())
            throw std::runtime_error(fmt::format("patients.csv line {}: {} cells, expected {}", number, cells.size(), header.size()));
        const auto at = [&](const std::string& name) -> const std::string& { return cells[column.at(name)]; };
        Row r;
        const auto g = group.find(at(sweep ? "point" : "arm"));
        if (g == group.end()) throw std::runtime_error(fmt::format("patients.csv line {}: unknown group", number));
        r.group = g->second;
        r.patient = std::stoi(at("patient"));
        r.ok = at("error").empty();
        if (r.ok) {
            r.best_response = at("best_response");
            r.relapse_type = at("relapse_type");
            r.mrd = at("mrd_negative") == "true";
            r.progression_day = optional_number(at("progression_day"));
            r.mprotein = optional_number(at("best_mprotein_change_percent"));
            r.pfs = std::stod(at("pfs1_days"));
            r.pfs_event = at("pfs1_event") == "1";
            r.os = std::stod(at("os_days"));
            r.os_event = at("os_event") == "1";
            for (const auto& m : layout.attribution) r.attribution.push_back(optional_number(at("attribution_" + m + "_days")));
        }
        rows.push_back(std::move(r));
    }
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return std::tie(a.group, a.patient) < std::tie(b.group, b.patient); });
    return rows;
}

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

Survival survival(const std::vector<const Row*>& rows, bool pfs) {
    Survival s;
    for (const Row* r : rows)
        if (r->ok) s.data.push_back({pfs ? r->pfs : r->os, pfs ? r->pfs_event : r->os_event, 0});
    if (!s.data.empty()) s.km = stats::kaplan_meier(s.data);
    return s;
}

json median_json(const Survival& s) {
    if (!s.km) return {{"value", nullptr}, {"ci_low", nullptr}, {"ci_high", nullptr}};
    const auto m = stats::median_survival(*s.km);
    return {{"value", maybe(m.median_days)}, {"ci_low", maybe(m.ci_low_days)}, {"ci_high", maybe(m.ci_high_days)}};
}

bool at_least(const std::string& response, std::initializer_list<const char*> set) {
    return std::any_of(set.begin(), set.end(), [&](const char* r) { return response == r; });
}

/// Rows of one group, and their derived endpoint values.
struct GroupStats {
    json entry;
    std::map<std::string, double> endpoints;  // for sweep.csv and Sobol (NaN when undefined)
};

GroupStats group_stats(const std::vector<const Row*>& rows, const RowLayout& layout, const Survival& pfs,
                       const Survival& os) {
    long n = 0, errors = 0, orr = 0, cr = 0, mrd = 0, negative = 0;
    std::map<std::string, long> relapse;
    double pfs_sum = 0.0, os_sum = 0.0, mprotein_sum = 0.0;
    long mprotein_n = 0;
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
        ++relapse[r->relapse_type.empty() ? "none" : r->relapse_type];
        negative += r->relapse_type == "antigen_negative";
        pfs_sum += r->pfs;
        os_sum += r->os;
        if (r->mprotein) {
            mprotein_sum += *r->mprotein;
            ++mprotein_n;
        }
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
                 {"median_os_days", median_json(os)}, {"relapse_types", types}};
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
                     {"antigen_negative_relapse_share", ok ? double(negative) / double(ok) : nan}};
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

stats::SurvivalData endpoint_data(const std::vector<const Row*>& rows, bool pfs, int label) {
    stats::SurvivalData d;
    for (const Row* r : rows)
        if (r->ok) d.push_back({pfs ? r->pfs : r->os, pfs ? r->pfs_event : r->os_event, label});
    return d;
}

json compare(const std::vector<const Row*>& a, const std::vector<const Row*>& b, bool pfs) {
    stats::SurvivalData data = endpoint_data(a, pfs, 0);
    const auto db = endpoint_data(b, pfs, 1);
    data.insert(data.end(), db.begin(), db.end());
    json out;
    const auto fit = stats::cox_fit(data, stats::group_indicator(data, 1));
    if (fit.converged())
        out["hazard_ratio"] = {{"value", fit.hazard_ratios[0]}, {"ci_low", fit.ci_low[0]}, {"ci_high", fit.ci_high[0]}};
    else
        out["hazard_ratio"] = {{"value", nullptr}, {"ci_low", nullptr}, {"ci_high", nullptr}, {"note", fit.message}};
    try {
        out["logrank_p"] = stats::log_rank(data).p_value;
    } catch (const std::invalid_argument& e) {
        out["logrank_p"] = nullptr;
    }
    // Paired: the same patients in both arms (rows are sorted by patient within a group).
    std::vector<double> differences;
    long b_longer = 0, a_longer = 0;
    std::size_t j = 0;
    for (const Row* ra : a) {
        while (j < b.size() && b[j]->patient < ra->patient) ++j;
        if (j == b.size() || b[j]->patient != ra->patient || !ra->ok || !b[j]->ok) continue;
        const double d = pfs ? b[j]->pfs - ra->pfs : b[j]->os - ra->os;
        differences.push_back(d);
        b_longer += d > 0.0;
        a_longer += d < 0.0;
    }
    const auto m = static_cast<double>(differences.size());
    json paired = {{"patients", differences.size()}};
    if (m >= 2) {
        double mean = 0.0, ss = 0.0;
        for (double d : differences) mean += d / m;
        for (double d : differences) ss += (d - mean) * (d - mean);
        const double se = std::sqrt(ss / (m - 1.0) / m);
        paired["mean_difference_days"] = {{"value", mean}, {"ci_low", mean - parallel::kZ95 * se},
                                          {"ci_high", mean + parallel::kZ95 * se}};
        paired["b_longer_share"] = double(b_longer) / m;
        paired["a_longer_share"] = double(a_longer) / m;
    }
    out["paired"] = paired;
    return out;
}

}  // namespace

const std::vector<std::string>& group_endpoints() {
    static const std::vector<std::string> names{"orr", "cr_or_better", "mrd_negative", "median_pfs_days",
                                                "median_os_days", "mean_pfs_days", "mean_os_days",
                                                "mean_best_mprotein_change_percent", "antigen_negative_relapse_share"};
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
        const Survival pfs = survival(by_group[g], true), os = survival(by_group[g], false);
        stats_of.push_back(group_stats(by_group[g], layout, pfs, os));
        groups[study.groups[g].name] = stats_of.back().entry;
        km_rows(t.km_csv, study.groups[g].name, "pfs", pfs);
        km_rows(t.km_csv, study.groups[g].name, "os", os);
    }
    t.km_csv = "arm,endpoint,time_days,at_risk,events,censored,survival,ci_low,ci_high\n" + t.km_csv;
    s[study.kind == StudyKind::Sweep ? "points" : "arms"] = groups;

    if (study.kind == StudyKind::Trial) {
        json comparisons = json::array();
        for (std::size_t a = 0; a < study.groups.size(); ++a)
            for (std::size_t b = a + 1; b < study.groups.size(); ++b)
                for (const bool pfs : {true, false}) {
                    json c = {{"arm_a", study.groups[a].name}, {"arm_b", study.groups[b].name},
                              {"endpoint", pfs ? "pfs" : "os"}};
                    c.update(compare(by_group[a], by_group[b], pfs));
                    comparisons.push_back(c);
                }
        s["comparisons"] = comparisons;
    }
    if (study.kind == StudyKind::Sweep) {
        std::string csv = "point";
        for (const auto& p : study.spec.sweep.parameters) csv += "," + io::csv_cell(p.path);
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
