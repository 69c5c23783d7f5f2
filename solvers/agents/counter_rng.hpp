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
    result_type operator()();

    /// Uniform on (0, 1), never exactly 0 or 1.
    double uniform();
    /// Exponential with rate 1.
    double exponential();
    /// Uniform integer in [0, n).
    std::uint64_t below(std::uint64_t n);

private:
    StreamKey key_;
    std::uint32_t block_ = 0;     // which Philox block of this stream
    std::uint32_t buffer_[4]{};   // the current block's four 32-bit outputs
    int used_ = 4;                // outputs of the buffer already handed out
};

}  // namespace cartsim::agents
