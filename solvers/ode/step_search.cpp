#include "solvers/ode/step_search.hpp"

#include <algorithm>
#include <cmath>

namespace cartsim::ode {

StepPeak golden_section_max(double a, double b, const StepFunction& g, double t_tolerance) {
    constexpr double kInvPhi = 0.6180339887498949;  // 1 / golden ratio
    double c = b - kInvPhi * (b - a), d = a + kInvPhi * (b - a);
    double gc = g(c), gd = g(d);
    StepPeak peak = gc >= gd ? StepPeak{c, gc} : StepPeak{d, gd};
    while (b - a > t_tolerance) {
        if (gc >= gd) {
            b = d, d = c, gd = gc;
            c = b - kInvPhi * (b - a);
            gc = g(c);
            if (gc > peak.value) peak = {c, gc};
        } else {
            a = c, c = d, gc = gd;
            d = a + kInvPhi * (b - a);
            gd = g(d);
            if (gd > peak.value) peak = {d, gd};
        }
    }
    return peak;
}

double first_crossing(double start, double end, const StepFunction& g, double level, double t_tolerance) {
    double below = start, above = end;
    while (above - below > t_tolerance) {
        const double mid = 0.5 * (below + above);
        if (!(mid > below && mid < above)) break;  // no representable time between
        if (g(mid) >= level)
            above = mid;
        else
            below = mid;
    }
    return above;
}

}  // namespace cartsim::ode
