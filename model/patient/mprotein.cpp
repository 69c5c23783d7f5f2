#include "model/patient/mprotein.hpp"

#include <algorithm>
#include <cmath>

namespace cartsim::patient {

MProteinCatabolism::MProteinCatabolism(const MProteinParams& p, bool fcrn_saturation)
    : saturable_(fcrn_saturation),
      constant_rate_(std::log(2.0) / p.half_life_days),
      unprotected_rate_(std::log(2.0) / p.unprotected_half_life_days),
      half_saturation_(p.fcrn_half_saturation_g_per_dl),
      polyclonal_(p.polyclonal_igg_g_per_dl) {}

double MProteinCatabolism::rate_per_day(double mprotein_g_per_dl) const {
    if (!saturable_) return constant_rate_;
    const double total = std::max(0.0, mprotein_g_per_dl) + polyclonal_;
    return unprotected_rate_ * total / (half_saturation_ + total);
}

}  // namespace cartsim::patient
