#pragma once
// Dense LU factorisation with partial pivoting, for the small iteration matrices of Rosenbrock steps.

#include <cstddef>
#include <vector>

namespace cartsim::ode {

class DenseLu {
public:
    /// Factorises the row-major n x n matrix. Returns false when it is singular (a zero pivot).
    bool factorize(const std::vector<double>& matrix, std::size_t n);
    /// Overwrites b with the solution of A y = b, for the last factorised A.
    void solve(std::vector<double>& b) const;

private:
    std::size_t n_ = 0;
    std::vector<double> lu_;
    std::vector<std::size_t> pivot_rows_;
    std::vector<double> inverse_diagonal_;
};

}  // namespace cartsim::ode
