#include "solvers/agents/counter_rng.hpp"

#include <cmath>

#include <Random123/philox.h>

namespace cartsim::agents {

void CounterRng::refill() {
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

double CounterRng::exponential() { return -std::log(uniform()); }

std::uint64_t CounterRng::below_wide(std::uint64_t n) {
    // Rejection on 64-bit draws: accept below the largest multiple of n.
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    for (;;) {
        const std::uint64_t high = (*this)();
        const std::uint64_t x = (high << 32) | (*this)();
        if (x < limit) return x % n;
    }
}

}  // namespace cartsim::agents
