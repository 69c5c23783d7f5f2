#include "src/study/compare_arms.hpp"

#include <cmath>
#include <functional>
#include <stdexcept>

#include "src/parallel/statistics.hpp"
#include "src/stats/cox.hpp"
#include "src/stats/cox_zph.hpp"
#include "src/stats/log_rank.hpp"
#include "src/stats/rmst.hpp"

namespace cartsim::study {
namespace {
using json = nlohmann::ordered_json;
using Endpoint = std::function<std::optional<TimeToEvent>(const Row&)>;

json null_estimate() { return {{"value", nullptr}, {"ci_low", nullptr}, {"ci_high", nullptr}}; }

stats::SurvivalData endpoint_data(const std::vector<const Row*>& rows, const Endpoint& endpoint, int label) {
    stats::SurvivalData d;
    for (const Row* r : rows)
        if (r->ok)
            if (const auto v = endpoint(*r)) d.push_back({v->first, v->second, label});
    return d;
}

json compare(const std::vector<const Row*>& reference, const std::vector<const Row*>& arm, const Endpoint& endpoint,
             double horizon) {
    stats::SurvivalData data = endpoint_data(reference, endpoint, 0);
    const auto db = endpoint_data(arm, endpoint, 1);
    data.insert(data.end(), db.begin(), db.end());
    json out;
    const auto covariate = stats::group_indicator(data, 1);
    const auto fit = stats::cox_fit(data, covariate);
    if (fit.converged()) {
        out["hazard_ratio"] = {{"value", fit.hazard_ratios[0]}, {"ci_low", fit.ci_low[0]}, {"ci_high", fit.ci_high[0]}};
        const auto ph = stats::proportional_hazards_test(data, covariate, fit);
        const bool defined = std::isfinite(ph.global_statistic);
        out["proportional_hazards"] = {{"chi_square", defined ? json(ph.global_statistic) : json(nullptr)},
                                       {"p_value", defined ? json(ph.global_p_value) : json(nullptr)}};
    } else {
        out["hazard_ratio"] = null_estimate();
        out["hazard_ratio"]["note"] = fit.message;
        out["proportional_hazards"] = {{"chi_square", nullptr}, {"p_value", nullptr}};
    }
    try {
        out["logrank_p"] = stats::log_rank(data).p_value;
    } catch (const std::invalid_argument&) {
        out["logrank_p"] = nullptr;
    }
    try {
        const auto r = stats::restricted_mean_difference(data, 1, 0, horizon);
        out["rmst"] = {{"horizon_days", horizon},
                       {"arm_days", r.arm.rmst_days},
                       {"reference_days", r.reference.rmst_days},
                       {"difference_days", {{"value", r.difference_days}, {"ci_low", r.ci_low_days}, {"ci_high", r.ci_high_days}}},
                       {"p_value", r.p_value}};
    } catch (const std::invalid_argument& e) {
        out["rmst"] = {{"horizon_days", horizon}, {"note", e.what()}};
    }
    // Paired: the same patients in both arms (rows are sorted by patient within a group).
    std::vector<double> differences;
    long arm_longer = 0, reference_longer = 0;
    std::size_t j = 0;
    for (const Row* rr : reference) {
        while (j < arm.size() && arm[j]->patient < rr->patient) ++j;
        if (j == arm.size() || arm[j]->patient != rr->patient || !rr->ok || !arm[j]->ok) continue;
        const auto a = endpoint(*arm[j]), b = endpoint(*rr);
        if (!a || !b) continue;
        const double d = a->first - b->first;
        differences.push_back(d);
        arm_longer += d > 0.0;
        reference_longer += d < 0.0;
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
        paired["arm_longer_share"] = double(arm_longer) / m;
        paired["reference_longer_share"] = double(reference_longer) / m;
    }
    out["paired"] = paired;
    return out;
}

}  // namespace

double rmst_horizon_days(const LoadedStudy& study) {
    return study.spec.comparison.rmst_horizon_days.value_or(study.base.horizon_days);
}

json compare_arms(const LoadedStudy& study, const std::vector<std::vector<const Row*>>& by_group) {
    std::size_t reference = 0;
    for (std::size_t g = 0; g < study.groups.size(); ++g)
        if (study.groups[g].name == study.spec.comparison.reference_arm) reference = g;
    std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (reference, arm)
    for (std::size_t g = 0; g < study.groups.size(); ++g)
        if (g != reference) pairs.push_back({reference, g});
    for (std::size_t a = 0; a < study.groups.size(); ++a)
        for (std::size_t b = a + 1; b < study.groups.size(); ++b)
            if (a != reference && b != reference) pairs.push_back({a, b});
    bool any_pfs2 = false;
    for (const auto& rows : by_group)
        for (const Row* r : rows) any_pfs2 = any_pfs2 || r->pfs2.has_value();
    std::vector<std::pair<const char*, Endpoint>> endpoints{
        {"pfs", [](const Row& r) { return std::optional(r.pfs); }}};
    if (any_pfs2) endpoints.push_back({"pfs2", [](const Row& r) { return r.pfs2; }});
    endpoints.push_back({"os", [](const Row& r) { return std::optional(r.os); }});
    const double horizon = rmst_horizon_days(study);
    json comparisons = json::array();
    for (const auto& [ref, arm] : pairs)
        for (const auto& [name, endpoint] : endpoints) {
            json c = {{"reference_arm", study.groups[ref].name}, {"arm", study.groups[arm].name}, {"endpoint", name}};
            c.update(compare(by_group[ref], by_group[arm], endpoint, horizon));
            comparisons.push_back(c);
        }
    return comparisons;
}

}  // namespace cartsim::study
