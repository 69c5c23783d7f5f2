#pragma once
// One individual cell. What its attributes mean is up to the caller (for tumour cells: antigen
// densities; for CAR-T cells: nothing, the bin is the phenotype). The day of death is not stored: a
// dead cell leaves its population, and the leap hands the day to the caller's `died` callback.
//
// 48 bytes, so that more of a large population stays in cache (picks of parents are random). The
// attributes are floats: 7 significant digits are plenty for antigen densities.

#include <array>
#include <cstdint>

namespace cartsim::agents {

struct Agent {
    std::uint64_t id = 0;
    std::uint64_t parent = 0;     // 0: no parent (created at the start or by conversion from the ODE)
    double birth_day = 0.0;
    std::uint32_t lineage = 0;    // founding event the cell descends from
    std::array<float, 4> attributes{};
};

static_assert(sizeof(Agent) == 48);

}  // namespace cartsim::agents
