#include "src/cli/study_print.hpp"

#include <cctype>
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace cartsim::cli {
namespace {
using json = nlohmann::ordered_json;

std::string percent(const json& rate) {
    return rate["value"].is_null() ? "-" : fmt::format("{:.1f}%", 100.0 * rate["value"].get<double>());
}

std::string bound(const json& v) { return v.is_null() ? std::string("NR") : fmt::format("{:.0f}", v.get<double>()); }

std::string days(const json& median) {
    if (median["value"].is_null()) return "NR";
    return fmt::format("{:.0f} [{}, {}]", median["value"].get<double>(), bound(median["ci_low"]), bound(median["ci_high"]));
}

/// Whole days with a sign, without a "-0" for a difference that rounds to nothing.
std::string signed_days(double v) { return fmt::format("{:+.0f}", std::round(v) + 0.0); }

std::string number(const json& v, const char* missing = "n/a") {
    return v.is_null() ? std::string(missing) : fmt::format("{:.3g}", v.get<double>());
}

void print_lines(const std::string& name, const json& g, std::ostream& out) {
    if (!g.contains("lines") || g["lines"].size() < 2) return;
    for (const auto& l : g["lines"]) {
        std::string types;
        for (const auto& [type, count] : l["relapse_types"].items())
            types += fmt::format("{}{} {}", types.empty() ? "" : ", ", type, count.get<long>());
        std::string antigens;
        for (const auto& [antigen, a] : l["antigens"].items()) {
            std::string counts;
            for (const auto& [status, count] : a["status_at_progression"].items())
                counts += fmt::format("{}{} {}", counts.empty() ? "" : " ", status, count.get<long>());
            antigens += fmt::format("; {} at progression: {}, median {} molecules/cell", antigen, counts,
                                    number(a["median_molecules_per_cell_at_progression"], "-"));
        }
        out << fmt::format("    {} line {}: {} started, ORR {}, >=CR {}, MRD-neg {}, median PFS {} days, median DoR {} days "
                           "({} responders); relapses: {}{}\n",
                           name, l["line"].get<int>(), l["started"].get<long>(), percent(l["orr"]),
                           percent(l["cr_or_better"]), percent(l["mrd_negative"]), days(l["median_pfs_days"]),
                           days(l["median_dor_days"]), l["responders"].get<long>(), types.empty() ? "none" : types,
                           antigens);
    }
}

void print_comparison(const json& c, std::ostream& out) {
    const auto& hr = c["hazard_ratio"];
    const std::string ratio = hr["value"].is_null() ? std::string("n/a")
                                                    : fmt::format("{:.2f} [{:.2f}, {:.2f}]", hr["value"].get<double>(),
                                                                  hr["ci_low"].get<double>(), hr["ci_high"].get<double>());
    std::string endpoint = c["endpoint"].get<std::string>();
    for (auto& ch : endpoint) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out << fmt::format("  {} {} vs {} (reference): HR {}, log-rank p {}, proportional hazards p {}", endpoint,
                       c["arm"].get<std::string>(), c["reference_arm"].get<std::string>(), ratio,
                       number(c["logrank_p"]), number(c["proportional_hazards"]["p_value"]));
    const auto& r = c["rmst"];
    if (r.contains("difference_days")) {
        const auto& d = r["difference_days"];
        out << fmt::format("; RMST to day {:.0f}: {:.0f} vs {:.0f}, difference {} [{}, {}] days",
                           r["horizon_days"].get<double>(), r["arm_days"].get<double>(), r["reference_days"].get<double>(),
                           signed_days(d["value"].get<double>()), signed_days(d["ci_low"].get<double>()),
                           signed_days(d["ci_high"].get<double>()));
    }
    out << "\n";
}

}  // namespace

void print_study_summary(const json& s, std::ostream& out) {
    const bool points = s.contains("points");
    const json& groups = s[points ? "points" : "arms"];
    bool pfs2 = false;
    for (const auto& [name, g] : groups.items()) pfs2 = pfs2 || g.contains("median_pfs2_days");
    out << fmt::format("  {:<38} {:>6} {:>6} {:>7} {:>7}  {:<20} ", points ? "point" : "arm", "n", "errors", "ORR", ">=CR",
                       "median PFS [days]");
    if (pfs2) out << fmt::format("{:<20} ", "median PFS2 [days]");
    out << "median OS [days]\n";
    int shown = 0;
    for (const auto& [name, g] : groups.items()) {
        if (++shown > 20) {
            out << fmt::format("  ... ({} in all; see sweep.csv)\n", groups.size());
            break;
        }
        out << fmt::format("  {:<38} {:>6} {:>6} {:>7} {:>7}  {:<20} ", name, g["n"].get<long>(), g["errors"].get<long>(),
                           percent(g["orr"]), percent(g["cr_or_better"]), days(g["median_pfs_days"]));
        if (pfs2) out << fmt::format("{:<20} ", g.contains("median_pfs2_days") ? days(g["median_pfs2_days"]) : "-");
        out << days(g["median_os_days"]) << "\n";
    }
    if (!points)
        for (const auto& [name, g] : groups.items()) print_lines(name, g, out);
    if (!s.contains("comparisons") || s["comparisons"].empty()) return;
    // The console shows each arm against the reference; summary.json has every pair.
    const auto reference = s["comparisons"].front()["reference_arm"];
    for (const auto& c : s["comparisons"])
        if (c["reference_arm"] == reference) print_comparison(c, out);
}

}  // namespace cartsim::cli
