#include "solvers/agents/counter_rng.hpp"

#include <cmath>

#include <Random123/philox.h>

namespace cartsim::agents {

CounterRng::result_type CounterRng::operator()() {
    if (used_ == 4) {
        using Philox = r123::Philox4x32;
        // Key: the seed. Counter: patient, population, agent, and step mixed with the block number.
        const Philox::key_type key = {{static_cast<std::uint32_t>(key_.seed), static_cast<std::uint32_t>(key_.seed >> 32)}};
        const Philox::ctr_type counter = {{key_.patient, key_.population, key_.agent, key_.step}};
        // The block index enters through a second round keyed by it, so every (step, block) pair is distinct.
        const Philox::key_type block_key = {{key.v[0] ^ block_, key.v[1] + 0x9E3779B9u * (block_ + 1)}};
        const Philox::ctr_type out = Philox{}(counter, block_key);
        for (int i = 0; i < 4; ++i) buffer_[i] = out.v[i];
        ++block_;
        used_ = 0;
    }
    return buffer_[used_++];
}

double CounterRng::uniform() {
    // One 32-bit output, shifted by half a unit so 0 and 1 are never returned (resolution 2^-32).
    return (static_cast<double>((*this)()) + 0.5) * 0x1.0p-32;
}

double CounterRng::exponential() { return -std::log(uniform()); }

std::uint64_t CounterRng::below(std::uint64_t n) {
    if (n <= 1) return 0;
    return static_cast<std::uint64_t>(uniform() * static_cast<double>(n)) % n;
}

}  // namespace cartsim::agents
