#include "model/endpoints/response.hpp"

#include <algorithm>
#include <cmath>

namespace cartsim::endpoints {

ResponseTracker::ResponseTracker(const ResponseCriteria& criteria, double detection_limit_g_per_dl,
                                 double baseline_mprotein, double baseline_site_cells)
    : criteria_(criteria),
      detection_limit_(detection_limit_g_per_dl),
      baseline_(baseline_mprotein),
      nadir_(baseline_mprotein),
      site_baseline_(baseline_site_cells),
      site_nadir_(baseline_site_cells) {}

namespace {
// A lesion's size as IMWG measures it (sum of products of diameters) grows as its cells^(2/3).
double size_ratio(double cells, double reference) {
    const double linear = std::cbrt(cells / reference);
    return linear * linear;
}
}  // namespace

AssessmentResult ResponseTracker::assess(const Assessment& a) {
    AssessmentResult result;
    result.day = a.day;
    const double m = a.mprotein_g_per_dl;
    const bool detectable = m >= detection_limit_;

    bool progression = m >= nadir_ * (1.0 + criteria_.progression_relative_increase) &&
                       m - nadir_ >= criteria_.progression_absolute_increase_g_per_dl;
    const double site = a.extramedullary_cells;
    const double imaging = criteria_.imaging_detection_cells;
    if (site >= imaging && size_ratio(site, std::max(site_nadir_, imaging)) >=
                               1.0 + criteria_.plasmacytoma_progression_increase)
        progression = true;
    site_nadir_ = std::min(site_nadir_, site);
    if (reached_cr_ && !progressed_) {
        detectable_after_cr_ = detectable ? detectable_after_cr_ + 1 : 0;
        if (detectable_after_cr_ >= 2 && !relapsed_from_cr_) {
            relapsed_from_cr_ = true;
            result.relapse_from_cr = true;
        }
        progression = progression || (criteria_.progression_on_reappearance && detectable_after_cr_ >= 2);
    }
    nadir_ = std::min(nadir_, m);
    if (progression || progressed_) {
        progressed_ = true;
        result.progression = true;
        result.response = Response::Progressive;
        if (!assessed_) best_ = Response::Progressive;
        assessed_ = true;
        return result;
    }

    const double reduction = baseline_ > 0.0 ? 1.0 - m / baseline_ : 0.0;
    Response r = Response::Stable;
    if (!detectable && a.marrow_plasma_cell_percent < criteria_.cr_marrow_plasma_cell_percent &&
        a.extramedullary_cells < criteria_.imaging_detection_cells) {
        r = a.tumour_fraction < criteria_.scr_tumour_fraction ? Response::StringentComplete : Response::Complete;
        reached_cr_ = true;
        result.mrd_negative = a.tumour_fraction < criteria_.mrd_tumour_fraction;
    } else if (!detectable || reduction >= criteria_.very_good_partial_reduction) {
        r = Response::VeryGoodPartial;
    } else if (reduction >= criteria_.partial_reduction) {
        r = Response::Partial;
    } else if (reduction >= criteria_.minimal_reduction) {
        r = Response::Minimal;
    }
    if (site_baseline_ >= imaging && (r == Response::VeryGoodPartial || r == Response::Partial ||
                                       r == Response::Minimal)) {
        // IMWG: a plasmacytoma present at baseline must shrink with the M-protein.
        const double shrink = 1.0 - size_ratio(site, site_baseline_);
        if (shrink < criteria_.plasmacytoma_minimal_reduction)
            r = Response::Stable;
        else if (shrink < criteria_.plasmacytoma_partial_reduction)
            r = Response::Minimal;
    }
    result.response = r;
    ever_mrd_negative_ = ever_mrd_negative_ || result.mrd_negative;
    if (!assessed_ || at_least(r, best_)) best_ = r;
    assessed_ = true;
    return result;
}

int crs_grade(double peak_inflammation, const std::vector<double>& thresholds) {
    int grade = 0;
    for (std::size_t i = 0; i < thresholds.size(); ++i)
        if (peak_inflammation >= thresholds[i]) grade = static_cast<int>(i) + 1;
    return grade;
}

}  // namespace cartsim::endpoints
