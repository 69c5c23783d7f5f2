#pragma once
// Dense LU factorisation with partial pivoting, for the small iteration matrices of the implicit steppers.

#include <cstddef>
#include <vector>

namespace cartsim::ode {

class DenseLu {
public:
    /// Factorises the row-major n x n matrix. Returns false when it is singular (a zero pivot).
    bool factorize(const std::vector<double>& matrix, std::size_t n);
    /// Overwrites b with the solution of A y = b, for the last factorised A.
    void solve(std::vector<double>& b) const;
    /// The inverse of the last factorised A, column-major (column j is A^-1 e_j). Costs n^3 flops
    /// in row operations, which vectorise where n triangular solves would not.
    void inverse_columns(std::vector<double>& columns) const;

private:
    std::size_t n_ = 0;
    std::vector<double> lu_;         // row-major, as factorised
    std::vector<double> lu_columns_; // the same factors column-major, for solve()
    std::vector<std::size_t> pivot_rows_;
    std::vector<double> inverse_diagonal_;
    mutable std::vector<double> inverse_rows_;  // workspace of inverse_columns()
};

}  // namespace cartsim::ode
