#pragma once
// Counter-based random numbers (Random123 Philox4x32-10): every draw is a pure function of
// (seed, patient, stream, index), so results do not depend on thread or process counts.

#include <cstdint>

namespace cartsim::simulate {

enum class RandomStream : std::uint32_t { BackgroundMortality = 1 };

/// Uniform on the open interval (0, 1).
double uniform_open01(std::uint64_t seed, std::uint64_t patient, RandomStream stream, std::uint64_t index);

}  // namespace cartsim::simulate
