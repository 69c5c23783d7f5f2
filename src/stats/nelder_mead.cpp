#include "src/stats/nelder_mead.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace cartsim::stats {
namespace {

using Point = std::vector<double>;

/// a + t (b - a)
Point along(const Point& a, const Point& b, double t) {
    Point out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = a[i] + t * (b[i] - a[i]);
    return out;
}

}  // namespace

NelderMeadResult nelder_mead(const std::function<double(const std::vector<double>&)>& f, const std::vector<double>& x0,
                             const NelderMeadOptions& options) {
    const std::size_t n = x0.size();
    if (n == 0) throw std::invalid_argument("nelder_mead: empty start point");
    if (options.initial_step.size() != n) throw std::invalid_argument("nelder_mead: initial_step needs one entry per coordinate");
    if (std::any_of(options.initial_step.begin(), options.initial_step.end(), [](double s) { return s == 0.0; }))
        throw std::invalid_argument("nelder_mead: an initial step of 0 gives a degenerate simplex");

    NelderMeadResult result;
    const auto evaluate = [&](const Point& x) {
        ++result.evaluations;
        const double v = f(x);
        return std::isnan(v) ? INFINITY : v;
    };
    std::vector<Point> simplex{x0};
    std::vector<double> values{evaluate(x0)};
    for (std::size_t i = 0; i < n && result.evaluations < options.max_evaluations; ++i) {
        Point x = x0;
        x[i] += options.initial_step[i];
        simplex.push_back(x);
        values.push_back(evaluate(x));
    }
    std::vector<std::size_t> order(simplex.size());
    const auto sort = [&] {
        std::iota(order.begin(), order.end(), 0);
        // Stable on ties, so the sequence is reproducible.
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
        std::vector<Point> s;
        std::vector<double> v;
        for (auto k : order) s.push_back(simplex[k]), v.push_back(values[k]);
        simplex = std::move(s);
        values = std::move(v);
    };
    const auto converged = [&] {
        double df = 0.0, dx = 0.0;
        for (std::size_t k = 1; k < simplex.size(); ++k) {
            df = std::max(df, std::abs(values[k] - values[0]));
            for (std::size_t i = 0; i < n; ++i) dx = std::max(dx, std::abs(simplex[k][i] - simplex[0][i]));
        }
        return df <= options.f_tolerance && dx <= options.x_tolerance;
    };
    if (simplex.size() == n + 1) {
        sort();
        while (result.evaluations < options.max_evaluations) {
            if (converged()) {
                result.converged = true;
                break;
            }
            ++result.iterations;
            Point centroid(n, 0.0);
            for (std::size_t k = 0; k < n; ++k)
                for (std::size_t i = 0; i < n; ++i) centroid[i] += simplex[k][i] / double(n);
            const Point& worst = simplex[n];
            const Point reflected = along(centroid, worst, -1.0);
            const double fr = evaluate(reflected);
            if (fr < values[0]) {
                const Point expanded = along(centroid, worst, -2.0);
                const double fe = result.evaluations < options.max_evaluations ? evaluate(expanded) : INFINITY;
                if (fe < fr)
                    simplex[n] = expanded, values[n] = fe;
                else
                    simplex[n] = reflected, values[n] = fr;
            } else if (fr < values[n - 1]) {
                simplex[n] = reflected, values[n] = fr;
            } else {
                // Contract outside when the reflection beat the worst point, inside otherwise.
                const bool outside = fr < values[n];
                const Point contracted = along(centroid, worst, outside ? -0.5 : 0.5);
                const double fc = result.evaluations < options.max_evaluations ? evaluate(contracted) : INFINITY;
                if (fc < (outside ? fr : values[n])) {
                    simplex[n] = contracted, values[n] = fc;
                } else {
                    for (std::size_t k = 1; k <= n && result.evaluations < options.max_evaluations; ++k) {
                        simplex[k] = along(simplex[0], simplex[k], 0.5);
                        values[k] = evaluate(simplex[k]);
                    }
                }
            }
            sort();
        }
    }
    const auto best = std::min_element(values.begin(), values.end()) - values.begin();
    result.x = simplex[static_cast<std::size_t>(best)];
    result.f = values[static_cast<std::size_t>(best)];
    return result;
}

}  // namespace cartsim::stats
