#pragma once
// Serum M-protein: made by tumour cells in proportion to their number and catabolised like IgG.
// FcRn salvages IgG from lysosomal degradation, and the receptor saturates, so the fractional
// catabolic rate rises with the total IgG concentration Q (Brambell; Junghans and Anderson, PNAS
// 1996; Waldmann and Strober, Prog Allergy 1969):
//     dP/dt = s N - k(Q) P,   k(Q) = k_u Q / (K + Q),   Q = P + polyclonal IgG   [g/dL, 1/day]
// k_u = ln 2 / unprotected half-life. With k_u = ln2 / 7.2 days and K = 2.65 g/dL this reproduces
// IgG half-lives of about 70, 23 and 11 days at 0.3, 1.2 and 5 g/dL (Waldmann and Strober). So
// the M-protein saturates as the tumour grows, and falls more slowly as it nears the detection
// limit. With mechanisms.fcrn_saturation off, k is constant: ln 2 / half_life_days.

#include "model/patient/patient_params.hpp"

namespace cartsim::patient {

class MProteinCatabolism {
public:
    MProteinCatabolism(const MProteinParams& params, bool fcrn_saturation);

    /// Fractional catabolic rate at M-protein m [g/dL]: [1/day].
    double rate_per_day(double mprotein_g_per_dl) const;
    /// Catabolism flux at M-protein m: rate_per_day(m) * m [g/dL/day].
    double flux(double mprotein_g_per_dl) const { return rate_per_day(mprotein_g_per_dl) * mprotein_g_per_dl; }

private:
    bool saturable_;
    double constant_rate_;     // [1/day], without saturation
    double unprotected_rate_;  // k_u [1/day]
    double half_saturation_;   // K [g/dL]
    double polyclonal_;        // [g/dL]
};

}  // namespace cartsim::patient
