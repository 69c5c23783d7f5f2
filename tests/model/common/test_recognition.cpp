#include <doctest/doctest.h>

#include <cmath>

#include "model/common/recognition.hpp"

using namespace cartsim;

TEST_CASE("recognition: zero at and below the functional floor, half at the half-max density") {
    BinderAffinity b{300.0, 1.5, 50.0};
    CHECK(recognition(b, 0.0) == 0.0);
    CHECK(recognition(b, 50.0) == 0.0);
    CHECK(recognition(b, 49.0) == 0.0);
    CHECK(recognition(b, 300.0) == doctest::Approx(0.5));
    CHECK(recognition(b, 3000.0) > recognition(b, 1000.0));
}

TEST_CASE("recognition: lognormal mean by quadrature matches a fine trapezoid integral") {
    BinderAffinity b{300.0, 1.5, 50.0};
    for (double sigma : {0.2, 0.6, 1.2}) {
        const double median = 670.0;
        // Integrate h(median * exp(z)) * phi(z / sigma) / sigma over z on a fine grid.
        double sum = 0.0;
        const int n = 200000;
        const double lo = -10 * sigma, hi = 10 * sigma, dz = (hi - lo) / n;
        for (int i = 0; i <= n; ++i) {
            const double z = lo + i * dz;
            const double w = (i == 0 || i == n) ? 0.5 : 1.0;
            sum += w * recognition(b, median * std::exp(z)) * std::exp(-0.5 * z * z / (sigma * sigma));
        }
        const double reference = sum * dz / (sigma * std::sqrt(2.0 * M_PI));
        CHECK(mean_recognition_lognormal(b, median, sigma) == doctest::Approx(reference).epsilon(2e-3));
    }
    CHECK(mean_recognition_lognormal(b, 0.0, 0.5) == 0.0);
    CHECK(mean_recognition_lognormal(b, 670.0, 0.0) == doctest::Approx(recognition(b, 670.0)));
}
