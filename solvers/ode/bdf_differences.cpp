#include "solvers/ode/bdf_differences.hpp"

#include <algorithm>
#include <array>

namespace cartsim::ode::detail {
namespace {

constexpr int kRows = kBdfMaxOrder + 1;
using Square = std::array<std::array<double, kRows>, kRows>;

/// Shampine & Reichelt's R for a step ratio rho: R[i][j] = prod_{m=1..i} (m - 1 - rho j) / m, and
/// R[0][j] = 1. R(order, 1) is their U, which is its own inverse.
Square step_change_matrix(int order, double ratio) {
    Square r{};
    for (int j = 0; j <= order; ++j) r[0][j] = 1.0;
    for (int i = 1; i <= order; ++i) {
        for (int j = 1; j <= order; ++j) r[i][j] = r[i - 1][j] * (i - 1 - ratio * j) / i;
    }
    return r;
}

}  // namespace

void BdfDifferences::reset(const State& y, const State& f, double h) {
    n_ = y.size();
    data_.assign(static_cast<std::size_t>(kBdfMaxOrder + 3) * n_, 0.0);
    scratch_.resize(static_cast<std::size_t>(kRows) * n_);
    std::copy(y.begin(), y.end(), row(0));
    double* first = row(1);
    for (std::size_t i = 0; i < n_; ++i) first[i] = h * f[i];
}

void BdfDifferences::predict(int order, State& y) const {
    y.assign(row(0), row(0) + n_);
    for (int k = 1; k <= order; ++k) {
        const double* d = row(k);
        for (std::size_t i = 0; i < n_; ++i) y[i] += d[i];
    }
}

void BdfDifferences::change_step(int order, double factor) {
    const Square r = step_change_matrix(order, factor);
    const Square u = step_change_matrix(order, 1.0);
    Square ru{};
    for (int i = 0; i <= order; ++i) {
        for (int j = 0; j <= order; ++j) {
            for (int k = 0; k <= order; ++k) ru[i][j] += r[i][k] * u[k][j];
        }
    }
    const std::size_t rows = static_cast<std::size_t>(order + 1) * n_;
    std::copy(data_.begin(), data_.begin() + static_cast<std::ptrdiff_t>(rows), scratch_.begin());
    // Row 0 keeps y: ru[i][0] is 1 for i = 0 and 0 otherwise (exactly: R[i][0] = 0 for i > 0).
    for (int j = 1; j <= order; ++j) {
        double* target = row(j);
        std::fill(target, target + n_, 0.0);
        for (int i = 0; i <= order; ++i) {
            const double weight = ru[i][j];
            if (weight == 0.0) continue;
            const double* source = scratch_.data() + static_cast<std::size_t>(i) * n_;
            for (std::size_t s = 0; s < n_; ++s) target[s] += weight * source[s];
        }
    }
}

void BdfDifferences::accept(int order, const State& correction) {
    double* above = row(order + 2);
    double* top = row(order + 1);
    for (std::size_t i = 0; i < n_; ++i) {
        above[i] = correction[i] - top[i];
        top[i] = correction[i];
    }
    for (int k = order; k >= 0; --k) {
        double* d = row(k);
        const double* next = row(k + 1);
        for (std::size_t i = 0; i < n_; ++i) d[i] += next[i];
    }
}

void BdfDifferences::evaluate(int order, double t_now, double h, double t, State& y) const {
    y.assign(row(0), row(0) + n_);
    double product = 1.0;
    for (int j = 0; j < order; ++j) {
        // Newton form on the grid t_now - j h: the j-th factor is (t - t_now + j h) / ((j + 1) h).
        product *= (t - (t_now - j * h)) / ((j + 1) * h);
        const double* d = row(j + 1);
        for (std::size_t i = 0; i < n_; ++i) y[i] += product * d[i];
    }
}

}  // namespace cartsim::ode::detail
