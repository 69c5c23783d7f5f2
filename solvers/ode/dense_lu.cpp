#include "solvers/ode/dense_lu.hpp"

#include <algorithm>
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
    lu_columns_.resize(n * n);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) lu_columns_[j * n + i] = lu_[i * n + j];
    }
    return true;
}

void DenseLu::solve(std::vector<double>& b) const {
    // Column-oriented substitution: once y_k is known it updates every later (earlier) entry, which
    // are independent, so the dependency chain is n long rather than n^2 / 2 and the inner loops
    // run over contiguous memory.
    const std::size_t n = n_;
    const double* columns = lu_columns_.data();
    double* y = b.data();
    for (std::size_t k = 0; k < n; ++k) {
        if (pivot_rows_[k] != k) std::swap(y[k], y[pivot_rows_[k]]);
    }
    for (std::size_t k = 0; k < n; ++k) {  // unit lower triangle
        const double yk = y[k];
        const double* column = columns + k * n;
        for (std::size_t i = k + 1; i < n; ++i) y[i] -= column[i] * yk;
    }
    for (std::size_t k = n; k-- > 0;) {  // upper triangle
        const double yk = y[k] * inverse_diagonal_[k];
        y[k] = yk;
        const double* column = columns + k * n;
        for (std::size_t i = 0; i < k; ++i) y[i] -= column[i] * yk;
    }
}

void DenseLu::inverse_columns(std::vector<double>& columns) const {
    const std::size_t n = n_;
    // Row-major X = A^-1 from P A = L U: X starts as P, then L^-1 and U^-1 are applied by row operations.
    std::vector<double>& x = inverse_rows_;
    x.assign(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) x[i * n + i] = 1.0;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t p = pivot_rows_[k];
        if (p != k) std::swap_ranges(x.begin() + static_cast<std::ptrdiff_t>(k * n),
                                     x.begin() + static_cast<std::ptrdiff_t>((k + 1) * n),
                                     x.begin() + static_cast<std::ptrdiff_t>(p * n));
    }
    for (std::size_t k = 0; k < n; ++k) {
        const double* source = x.data() + k * n;
        for (std::size_t i = k + 1; i < n; ++i) {
            const double factor = lu_[i * n + k];
            if (factor == 0.0) continue;
            double* target = x.data() + i * n;
            for (std::size_t j = 0; j < n; ++j) target[j] -= factor * source[j];
        }
    }
    for (std::size_t k = n; k-- > 0;) {
        double* source = x.data() + k * n;
        for (std::size_t j = 0; j < n; ++j) source[j] *= inverse_diagonal_[k];
        for (std::size_t i = 0; i < k; ++i) {
            const double factor = lu_[i * n + k];
            if (factor == 0.0) continue;
            double* target = x.data() + i * n;
            for (std::size_t j = 0; j < n; ++j) target[j] -= factor * source[j];
        }
    }
    columns.resize(n * n);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) columns[j * n + i] = x[i * n + j];
    }
}

}  // namespace cartsim::ode
