#include "model/endpoints/response.hpp"

#include <algorithm>

namespace cartsim::endpoints {

ResponseTracker::ResponseTracker(const ResponseCriteria& criteria, double detection_limit_g_per_dl,
                                 double baseline_mprotein)
    : criteria_(criteria),
      detection_limit_(detection_limit_g_per_dl),
      baseline_(baseline_mprotein),
      nadir_(baseline_mprotein) {}

AssessmentResult ResponseTracker::assess(const Assessment& a) {
    AssessmentResult result;
    result.day = a.day;
    const double m = a.mprotein_g_per_dl;
    const bool detectable = m >= detection_limit_;

    bool progression = m >= nadir_ * (1.0 + criteria_.progression_relative_increase) &&
                       m - nadir_ >= criteria_.progression_absolute_increase_g_per_dl;
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
