#include "solvers/ode/dense_lu.hpp"

#include <cmath>
#include <utility>

namespace cartsim::ode {

bool DenseLu::factorize(const std::vector<double>& matrix, std::size_t n) {
    n_ = n;
    lu_ = matrix;
    pivot_rows_.resize(n);
    inverse_diagonal_.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
        std::size_t pivot = k;
        for (std::size_t i = k + 1; i < n; ++i) {
            if (std::abs(lu_[i * n + k]) > std::abs(lu_[pivot * n + k])) pivot = i;
        }
        pivot_rows_[k] = pivot;
        if (lu_[pivot * n + k] == 0.0) return false;
        if (pivot != k) {
            for (std::size_t j = 0; j < n; ++j) std::swap(lu_[k * n + j], lu_[pivot * n + j]);
        }
        const double inverse_pivot = 1.0 / lu_[k * n + k];
        inverse_diagonal_[k] = inverse_pivot;  // solve() multiplies: divisions would serialise it
        for (std::size_t i = k + 1; i < n; ++i) {
            const double factor = lu_[i * n + k] * inverse_pivot;
            lu_[i * n + k] = factor;
            if (factor == 0.0) continue;
            for (std::size_t j = k + 1; j < n; ++j) lu_[i * n + j] -= factor * lu_[k * n + j];
        }
    }
    return true;
}

void DenseLu::solve(std::vector<double>& b) const {
    const std::size_t n = n_;
    const double* lu = lu_.data();
    double* y = b.data();
    for (std::size_t k = 0; k < n; ++k) {
        if (pivot_rows_[k] != k) std::swap(y[k], y[pivot_rows_[k]]);
    }
    for (std::size_t i = 1; i < n; ++i) {  // unit lower triangle
        double sum = y[i];
        for (std::size_t j = 0; j < i; ++j) sum -= lu[i * n + j] * y[j];
        y[i] = sum;
    }
    for (std::size_t i = n; i-- > 0;) {  // upper triangle
        double sum = y[i];
        for (std::size_t j = i + 1; j < n; ++j) sum -= lu[i * n + j] * y[j];
        y[i] = sum * inverse_diagonal_[i];
    }
}

}  // namespace cartsim::ode
