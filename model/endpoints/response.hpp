#pragma once
// IMWG-like response, progression and relapse type (MODEL.md section 6). The rules:
//
// Response at an assessment (every assessment_interval_days after the start of a line), against the
// M-protein at the start of the line (baseline):
//   PD    progression (below)
//   sCR   CR and tumour cells below scr_tumour_fraction of marrow cells (stands in for the absence of
//         clonal cells by immunohistochemistry and a normal free light-chain ratio)
//   CR    M-protein below the detection limit and marrow plasma cells below cr_marrow_plasma_cell_percent
//   VGPR  M-protein down by >= 90% (or undetectable with too many marrow plasma cells)
//   PR    down by >= 50%;  MR  down by >= 25%;  SD  otherwise
// MRD-negative: CR and tumour cells below mrd_tumour_fraction of marrow cells (1 in 10^5).
// Progression (IMWG progressive disease, Kumar et al. 2016): M-protein up >= 25% from the nadir of the
// line and by >= 0.5 g/dL. Relapse from CR (IMWG): after CR, M-protein above the detection limit again
// at two consecutive assessments; it is reported on its own (relapse_from_cr_day) and is progression
// only with progression_on_reappearance (the rule before IMWG PD became the default). PFS counts
// progression. Soft-tissue plasmacytomas (the second site, tumour.extramedullary) follow IMWG too: when
// the site is visible at the line's start (at least imaging_detection_cells), MR needs its size (the sum of
// products of diameters, which grows as cells^(2/3)) down by >= 25% and PR or VGPR by >= 50%; the site
// growing by >= 50% in size from its nadir (or from the imaging limit) while visible is progression.
// Responses are not confirmed (a single
// assessment counts), so the best response is the best category seen before progression.

#include <optional>
#include <string>
#include <vector>

#include "model/common/describe.hpp"

namespace cartsim::endpoints {

enum class Response { StringentComplete, Complete, VeryGoodPartial, Partial, Minimal, Stable, Progressive };
}  // namespace cartsim::endpoints

namespace cartsim {
template <>
struct EnumNames<endpoints::Response> {
    using Response = endpoints::Response;
    static constexpr std::array items{
        std::pair{Response::StringentComplete, "sCR"}, std::pair{Response::Complete, "CR"},
        std::pair{Response::VeryGoodPartial, "VGPR"},  std::pair{Response::Partial, "PR"},
        std::pair{Response::Minimal, "MR"},            std::pair{Response::Stable, "SD"},
        std::pair{Response::Progressive, "PD"}};
};
}  // namespace cartsim

namespace cartsim::endpoints {

/// True when a is at least as good as b.
constexpr bool at_least(Response a, Response b) { return static_cast<int>(a) <= static_cast<int>(b); }

/// Plausible range of an IMWG threshold: near its value in the criteria.
inline constexpr std::string_view kImwg =
    "IMWG criteria (Kumar et al., Lancet Oncol 2016): MR 25%, PR 50%, VGPR 90%, CR < 5% plasma cells, "
    "progression +25% and +0.5 g/dL; other values redefine the category";

struct ResponseCriteria {
    double assessment_interval_days = 28.0;
    double minimal_reduction = 0.25;
    double partial_reduction = 0.5;
    double very_good_partial_reduction = 0.9;
    double cr_marrow_plasma_cell_percent = 5.0;
    double scr_tumour_fraction = 1e-4;
    double mrd_tumour_fraction = 1e-5;
    double imaging_detection_cells = 1e8;
    double plasmacytoma_minimal_reduction = 0.25;
    double plasmacytoma_partial_reduction = 0.5;
    double plasmacytoma_progression_increase = 0.5;
    double progression_relative_increase = 0.25;
    double progression_absolute_increase_g_per_dl = 0.5;
    bool progression_on_reappearance = false;
};

template <class V>
void describe(ResponseCriteria& c, V& v) {
    v.field("assessment_interval_days", c.assessment_interval_days,
            bounded("day", "IMWG practice in trials (every 28-day cycle)", "days between response assessments", 1.0,
                    365.0)
                .plausible(7.0, 90.0, "trials assess every 28-day cycle, later every 2-3 months"));
    v.field("minimal_reduction", c.minimal_reduction,
            fraction("IMWG", "M-protein reduction for MR").plausible(0.1, 0.5, kImwg));
    v.field("partial_reduction", c.partial_reduction,
            fraction("IMWG", "M-protein reduction for PR").plausible(0.3, 0.75, kImwg));
    v.field("very_good_partial_reduction", c.very_good_partial_reduction,
            fraction("IMWG", "M-protein reduction for VGPR").plausible(0.75, 0.99, kImwg));
    v.field("cr_marrow_plasma_cell_percent", c.cr_marrow_plasma_cell_percent,
            bounded("%", "IMWG", "marrow plasma cells below this for CR", 0.0, 100.0).plausible(1.0, 10.0, kImwg));
    v.field("scr_tumour_fraction", c.scr_tumour_fraction,
            fraction("assumed stand-in for IMWG sCR", "tumour share of marrow cells below this for sCR")
                .plausible(1e-6, 1e-2, "assumed (between the MRD threshold and the CR plasma-cell limit)"));
    v.field("mrd_tumour_fraction", c.mrd_tumour_fraction,
            fraction("IMWG (1 in 10^5 by NGS/NGF)", "tumour share of marrow cells below this for MRD negativity")
                .plausible(1e-6, 1e-4, "IMWG MRD thresholds 1e-4 to 1e-6 (Kumar et al., Lancet Oncol 2016)"));
    v.field("progression_relative_increase", c.progression_relative_increase,
            nonnegative("-", "IMWG", "M-protein increase from nadir for progression").plausible(0.1, 0.5, kImwg));
    v.field("progression_absolute_increase_g_per_dl", c.progression_absolute_increase_g_per_dl,
            nonnegative("g/dL", "IMWG", "absolute M-protein increase from nadir for progression")
                .plausible(0.2, 1.0, kImwg));
    v.field("imaging_detection_cells", c.imaging_detection_cells,
            bounded("cells", "assumed (PET-CT resolves lesions of about 5-10 mm; 1 cm3 holds about 1e9 cells)",
                    "cells of the second tumour site (tumour.extramedullary) that imaging still detects; complete "
                    "response (and MRD negativity) needs the site below it, as IMWG asks soft-tissue plasmacytomas "
                    "to disappear",
                    1.0, 1e13)
                .plausible(1e6, 1e10, "assumed (PET-CT resolution)"));
    v.field("plasmacytoma_minimal_reduction", c.plasmacytoma_minimal_reduction,
            fraction("IMWG", "reduction in the second site's size (sum of products of diameters, cells^(2/3)) "
                             "that MR also needs when the site is visible at the line's start")
                .plausible(0.1, 0.5, kImwg));
    v.field("plasmacytoma_partial_reduction", c.plasmacytoma_partial_reduction,
            fraction("IMWG", "reduction in the second site's size (cells^(2/3)) that PR and VGPR also need when the "
                             "site is visible at the line's start")
                .plausible(0.3, 0.75, kImwg));
    v.field("plasmacytoma_progression_increase", c.plasmacytoma_progression_increase,
            nonnegative("-", "IMWG", "increase in the visible second site's size (cells^(2/3)) from its nadir (or from "
                                     "the imaging limit) that is progression")
                .plausible(0.25, 1.0, kImwg));
    v.field("progression_on_reappearance", c.progression_on_reappearance,
            FieldInfo{"", "IMWG criteria (Kumar et al., Lancet Oncol 2016): relapse from CR is not progressive disease",
                      "also count relapse from CR (M-protein detectable again at two consecutive assessments) as "
                      "progression; off: progression is IMWG progressive disease only"});
}

struct Assessment {
    double day = 0.0;
    double mprotein_g_per_dl = 0.0;
    double marrow_plasma_cell_percent = 0.0;
    double tumour_fraction = 0.0;  // tumour cells / all marrow nucleated cells
    double extramedullary_cells = 0.0;  // tumour cells in the second site (imaging)
};

struct AssessmentResult {
    double day = 0.0;
    Response response = Response::Stable;
    bool progression = false;
    bool mrd_negative = false;
    bool relapse_from_cr = false;  // this assessment confirms a relapse from CR (the first time)
};

/// Follows one line of therapy from its baseline to progression.
class ResponseTracker {
public:
    ResponseTracker(const ResponseCriteria& criteria, double detection_limit_g_per_dl, double baseline_mprotein,
                    double baseline_site_cells = 0.0);

    AssessmentResult assess(const Assessment& a);

    Response best_response() const { return best_; }
    bool ever_mrd_negative() const { return ever_mrd_negative_; }
    bool progressed() const { return progressed_; }
    bool relapsed_from_cr() const { return relapsed_from_cr_; }
    double nadir_g_per_dl() const { return nadir_; }
    double baseline_g_per_dl() const { return baseline_; }

private:
    ResponseCriteria criteria_;
    double detection_limit_;
    double baseline_;
    double nadir_;
    double site_baseline_;
    double site_nadir_;
    Response best_ = Response::Stable;
    bool reached_cr_ = false;
    int detectable_after_cr_ = 0;
    bool progressed_ = false;
    bool relapsed_from_cr_ = false;
    bool ever_mrd_negative_ = false;
    bool assessed_ = false;
};

/// CRS grade 0-4 from peak inflammation and the thresholds at which grades 1-4 begin.
int crs_grade(double peak_inflammation, const std::vector<double>& thresholds);

}  // namespace cartsim::endpoints
