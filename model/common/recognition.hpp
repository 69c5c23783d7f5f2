#pragma once
// How strongly an effector recognises a cell of a given antigen density (MODEL.md section 4).

#include <cmath>

#include "model/common/describe.hpp"

namespace cartsim {

/// Recognition of one antigen by one binder: a Hill function of surface density above a
/// functional floor, zero below it.
struct BinderAffinity {
    double half_max_molecules_per_cell = 300.0;
    double hill_coefficient = 1.5;
    double functional_floor_molecules_per_cell = 50.0;
};

template <class V>
void describe(BinderAffinity& b, V& v) {
    v.field("half_max_molecules_per_cell", b.half_max_molecules_per_cell,
            FieldInfo{"molecules/cell", "assumed, see calibration", "density giving half-maximal recognition", 1e-9,
                      kInf}
                .plausible(10.0, 2e4,
                           "assumed: around measured target densities (BCMA median 670, IQR 380-850, Perica et al. "
                           "2023; CD38 higher); the presets use 100-5000"));
    v.field("hill_coefficient", b.hill_coefficient,
            FieldInfo{"-", "assumed", "steepness of recognition versus density", 0.1, 10.0}.plausible(
                0.5, 4.0, "assumed (Hill coefficients of receptor-density responses are about 1-3)"));
    v.field("functional_floor_molecules_per_cell", b.functional_floor_molecules_per_cell,
            nonnegative("molecules/cell", "Perica et al. 2023 (CAR-T function lost below about 50 BCMA/cell in vitro)",
                        "density below which recognition is zero")
                .plausible(0.0, 200.0,
                           "Perica et al. 2023 (about 50 BCMA/cell for CAR-T); 0 for antibodies without a floor"));
}

/// h(a) in [0, 1] for density a [molecules/cell].
inline double recognition(const BinderAffinity& b, double density_molecules) {
    if (density_molecules <= b.functional_floor_molecules_per_cell || density_molecules <= 0.0) return 0.0;
    const double x = std::pow(density_molecules / b.half_max_molecules_per_cell, b.hill_coefficient);
    return x / (1.0 + x);
}

/// Mean of h over a lognormal density distribution (median, sigma of log density), by Gauss-Hermite
/// quadrature; exact enough for a smooth h and sigma up to about 1.5.
double mean_recognition_lognormal(const BinderAffinity& b, double median_molecules, double sigma_log);

}  // namespace cartsim
