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
// Progression: M-protein up >= 25% from the nadir of the line and by >= 0.5 g/dL; or, after CR, M-protein
// above the detection limit again at two consecutive assessments. Responses are not confirmed (a single
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

struct ResponseCriteria {
    double assessment_interval_days = 28.0;
    double minimal_reduction = 0.25;
    double partial_reduction = 0.5;
    double very_good_partial_reduction = 0.9;
    double cr_marrow_plasma_cell_percent = 5.0;
    double scr_tumour_fraction = 1e-4;
    double mrd_tumour_fraction = 1e-5;
    double progression_relative_increase = 0.25;
    double progression_absolute_increase_g_per_dl = 0.5;
    bool progression_on_reappearance = true;
};

template <class V>
void describe(ResponseCriteria& c, V& v) {
    v.field("assessment_interval_days", c.assessment_interval_days,
            bounded("day", "IMWG practice in trials (every 28-day cycle)", "days between response assessments", 1.0,
                    365.0));
    v.field("minimal_reduction", c.minimal_reduction, fraction("IMWG", "M-protein reduction for MR"));
    v.field("partial_reduction", c.partial_reduction, fraction("IMWG", "M-protein reduction for PR"));
    v.field("very_good_partial_reduction", c.very_good_partial_reduction,
            fraction("IMWG", "M-protein reduction for VGPR"));
    v.field("cr_marrow_plasma_cell_percent", c.cr_marrow_plasma_cell_percent,
            bounded("%", "IMWG", "marrow plasma cells below this for CR", 0.0, 100.0));
    v.field("scr_tumour_fraction", c.scr_tumour_fraction,
            fraction("assumed stand-in for IMWG sCR", "tumour share of marrow cells below this for sCR"));
    v.field("mrd_tumour_fraction", c.mrd_tumour_fraction,
            fraction("IMWG (1 in 10^5 by NGS/NGF)", "tumour share of marrow cells below this for MRD negativity"));
    v.field("progression_relative_increase", c.progression_relative_increase,
            nonnegative("-", "IMWG", "M-protein increase from nadir for progression"));
    v.field("progression_absolute_increase_g_per_dl", c.progression_absolute_increase_g_per_dl,
            nonnegative("g/dL", "IMWG", "absolute M-protein increase from nadir for progression"));
    v.field("progression_on_reappearance", c.progression_on_reappearance,
            FieldInfo{"", "IMWG criteria (Kumar et al., Lancet Oncol 2016)", "count reappearance of M-protein after CR as progression"});
}

struct Assessment {
    double day = 0.0;
    double mprotein_g_per_dl = 0.0;
    double marrow_plasma_cell_percent = 0.0;
    double tumour_fraction = 0.0;  // tumour cells / all marrow nucleated cells
};

struct AssessmentResult {
    double day = 0.0;
    Response response = Response::Stable;
    bool progression = false;
    bool mrd_negative = false;
};

/// Follows one line of therapy from its baseline to progression.
class ResponseTracker {
public:
    ResponseTracker(const ResponseCriteria& criteria, double detection_limit_g_per_dl, double baseline_mprotein);

    AssessmentResult assess(const Assessment& a);

    Response best_response() const { return best_; }
    bool ever_mrd_negative() const { return ever_mrd_negative_; }
    bool progressed() const { return progressed_; }
    double nadir_g_per_dl() const { return nadir_; }
    double baseline_g_per_dl() const { return baseline_; }

private:
    ResponseCriteria criteria_;
    double detection_limit_;
    double baseline_;
    double nadir_;
    Response best_ = Response::Stable;
    bool reached_cr_ = false;
    int detectable_after_cr_ = 0;
    bool progressed_ = false;
    bool ever_mrd_negative_ = false;
    bool assessed_ = false;
};

/// CRS grade 0-4 from peak inflammation and the thresholds at which grades 1-4 begin.
int crs_grade(double peak_inflammation, const std::vector<double>& thresholds);

}  // namespace cartsim::endpoints
