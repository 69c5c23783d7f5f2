// The LU factorisation behind the implicit steppers: solves and inverses of matrices that need pivoting.

#include <doctest/doctest.h>

#include <cstddef>
#include <vector>

#include "solvers/ode/dense_lu.hpp"

namespace {

// Row-major; a zero leading entry and a small second pivot force row exchanges.
const std::vector<double> kMatrix{0.0, 2.0, 1.0, 4.0,   //
                                  1.0, 1e-3, 3.0, 0.0,  //
                                  5.0, 1.0, -2.0, 1.0,  //
                                  2.0, 7.0, 0.0, -3.0};
constexpr std::size_t kN = 4;

}  // namespace

TEST_CASE("DenseLu solves A y = b with row exchanges") {
    cartsim::ode::DenseLu lu;
    REQUIRE(lu.factorize(kMatrix, kN));
    const std::vector<double> y_exact{1.0, -2.0, 0.5, 3.0};
    std::vector<double> b(kN, 0.0);
    for (std::size_t i = 0; i < kN; ++i) {
        for (std::size_t j = 0; j < kN; ++j) b[i] += kMatrix[i * kN + j] * y_exact[j];
    }
    lu.solve(b);
    for (std::size_t i = 0; i < kN; ++i) CHECK(b[i] == doctest::Approx(y_exact[i]).epsilon(1e-12));
}

TEST_CASE("DenseLu::inverse_columns gives A^-1 column by column") {
    cartsim::ode::DenseLu lu;
    REQUIRE(lu.factorize(kMatrix, kN));
    std::vector<double> columns;
    lu.inverse_columns(columns);
    REQUIRE(columns.size() == kN * kN);
    for (std::size_t i = 0; i < kN; ++i) {
        for (std::size_t j = 0; j < kN; ++j) {
            double product = 0.0;  // (A A^-1)_ij
            for (std::size_t k = 0; k < kN; ++k) product += kMatrix[i * kN + k] * columns[j * kN + k];
            CAPTURE(i);
            CAPTURE(j);
            CHECK(product == doctest::Approx(i == j ? 1.0 : 0.0).epsilon(1e-12).scale(1.0));
        }
    }
}

TEST_CASE("DenseLu reports a singular matrix") {
    cartsim::ode::DenseLu lu;
    CHECK_FALSE(lu.factorize({1.0, 2.0, 2.0, 4.0}, 2));
}
