#include "src/simulate/random_stream.hpp"

#include <Random123/philox.h>
#include <Random123/uniform.hpp>

namespace cartsim::simulate {

double uniform_open01(std::uint64_t seed, std::uint64_t patient, RandomStream stream, std::uint64_t index) {
    using Philox = r123::Philox4x32;
    const Philox::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    const Philox::ctr_type counter = {{static_cast<std::uint32_t>(patient), static_cast<std::uint32_t>(patient >> 32),
                                       static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(index)}};
    const Philox::ctr_type bits = Philox{}(counter, key);
    return r123::u01<double>(bits[0]);  // (0, 1]: midpoints of 2^32 cells, never exactly 0
}

}  // namespace cartsim::simulate
