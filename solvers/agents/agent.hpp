#pragma once
// One individual cell. What its attributes mean is up to the caller (for tumour cells: antigen
// densities; for CAR-T cells: nothing, the bin is the phenotype).

#include <array>
#include <cstdint>
#include <limits>

namespace cartsim::agents {

struct Agent {
    std::uint64_t id = 0;
    std::uint64_t parent = 0;     // 0: no parent (created at the start or by conversion from the ODE)
    std::uint32_t lineage = 0;    // founding event the cell descends from
    double birth_day = 0.0;
    double death_day = std::numeric_limits<double>::quiet_NaN();  // set when it dies
    std::array<double, 4> attributes{};
};

}  // namespace cartsim::agents
