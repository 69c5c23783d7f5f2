#pragma once
// A counter-based random stream (Random123 Philox4x32-10). The stream is a pure function of its key
// (seed, patient, population, agent, step) and the number of draws taken from it, so results do not
// depend on which thread or process computes them. Satisfies UniformRandomBitGenerator, so the
// standard distributions can draw from it.

#include <cstdint>
#include <limits>

namespace cartsim::agents {

struct StreamKey {
    std::uint64_t seed = 0;
    std::uint32_t patient = 0;
    std::uint32_t population = 0;
    std::uint32_t agent = 0;
    std::uint32_t step = 0;
};

class CounterRng {
public:
    using result_type = std::uint32_t;
    explicit CounterRng(const StreamKey& key) : key_(key) {}

    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
    // Inline: agent leaps take a few draws per event, and a call per draw showed in profiles.
    result_type operator()() {
        if (used_ == kBuffered) refill();
        return buffer_[used_++];
    }

    /// Uniform on (0, 1), never exactly 0 or 1 (one 32-bit output shifted by half a unit, resolution 2^-32).
    double uniform() { return (static_cast<double>((*this)()) + 0.5) * 0x1.0p-32; }
    /// Exponential with rate 1.
    double exponential();
    /// Uniform integer in [0, n), exactly (multiply and shift with rejection, Lemire 2019).
    std::uint64_t below(std::uint64_t n) {
        if (n <= 1) return 0;
        if (n > 0xFFFFFFFFu) return below_wide(n);
        const auto n32 = static_cast<std::uint32_t>(n);
        std::uint64_t m = std::uint64_t{(*this)()} * n32;
        if (static_cast<std::uint32_t>(m) < n32) {  // rare: reject the few outputs that would bias
            const std::uint32_t threshold = static_cast<std::uint32_t>(-n32) % n32;
            while (static_cast<std::uint32_t>(m) < threshold) m = std::uint64_t{(*this)()} * n32;
        }
        return m >> 32;
    }

private:
    void refill();
    std::uint64_t below_wide(std::uint64_t n);

    static constexpr int kBlocks = 4;                // Philox blocks per refill after the first
    static constexpr int kBuffered = 4 * kBlocks;    // 32-bit outputs of a refill

    StreamKey key_;
    std::uint32_t block_ = 0;            // the next Philox block of this stream
    std::uint32_t buffer_[kBuffered]{};  // the last blocks' outputs, block after block
    int used_ = kBuffered;               // outputs of the buffer already handed out
};

}  // namespace cartsim::agents
