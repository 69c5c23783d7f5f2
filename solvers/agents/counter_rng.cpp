#include "solvers/agents/counter_rng.hpp"

#include <cmath>

#include <Random123/philox.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cartsim::agents {
namespace {

using Philox = r123::Philox4x32;

/// Key of a block of a stream: the seed with the block index mixed in, so every (step, block) pair
/// is distinct.
Philox::key_type block_key(std::uint64_t seed, std::uint32_t block) {
    const auto low = static_cast<std::uint32_t>(seed), high = static_cast<std::uint32_t>(seed >> 32);
    return {{low ^ block, high + 0x9E3779B9u * (block + 1)}};
}

#if defined(__SSE2__)
/// High and low halves of m x c in each 32-bit lane.
inline void mulhilo(__m128i m, __m128i c, __m128i& hi, __m128i& lo) {
    const __m128i even = _mm_mul_epu32(c, m);                     // lanes 0, 2 as 64-bit products
    const __m128i odd = _mm_mul_epu32(_mm_srli_epi64(c, 32), m);  // lanes 1, 3
    constexpr int kLow = _MM_SHUFFLE(0, 0, 2, 0), kHigh = _MM_SHUFFLE(0, 0, 3, 1);
    lo = _mm_unpacklo_epi32(_mm_shuffle_epi32(even, kLow), _mm_shuffle_epi32(odd, kLow));
    hi = _mm_unpacklo_epi32(_mm_shuffle_epi32(even, kHigh), _mm_shuffle_epi32(odd, kHigh));
}

/// Philox4x32-10 (as r123::Philox4x32) of one counter under four keys, one per SSE2 lane: a block
/// alone is a chain of dependent multiplies, four side by side cost little more than one.
void philox_four(const Philox::ctr_type& counter, const Philox::key_type (&keys)[4], std::uint32_t* out) {
    auto lanes = [](std::uint32_t v) { return _mm_set1_epi32(static_cast<int>(v)); };
    const __m128i m0 = lanes(0xD2511F53u), m1 = lanes(0xCD9E8D57u), w0 = lanes(0x9E3779B9u), w1 = lanes(0xBB67AE85u);
    __m128i c0 = lanes(counter.v[0]), c1 = lanes(counter.v[1]), c2 = lanes(counter.v[2]), c3 = lanes(counter.v[3]);
    auto key_lane = [&](int i) {
        return _mm_setr_epi32(static_cast<int>(keys[0].v[i]), static_cast<int>(keys[1].v[i]),
                              static_cast<int>(keys[2].v[i]), static_cast<int>(keys[3].v[i]));
    };
    __m128i k0 = key_lane(0), k1 = key_lane(1);
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            k0 = _mm_add_epi32(k0, w0);
            k1 = _mm_add_epi32(k1, w1);
        }
        __m128i hi0, lo0, hi1, lo1;
        mulhilo(m0, c0, hi0, lo0);
        mulhilo(m1, c2, hi1, lo1);
        c0 = _mm_xor_si128(_mm_xor_si128(hi1, c1), k0);
        c1 = lo1;
        c2 = _mm_xor_si128(_mm_xor_si128(hi0, c3), k1);
        c3 = lo0;
    }
    // Lanes are blocks: transpose, so that `out` holds block after block.
    const __m128i t0 = _mm_unpacklo_epi32(c0, c1), t1 = _mm_unpacklo_epi32(c2, c3);
    const __m128i t2 = _mm_unpackhi_epi32(c0, c1), t3 = _mm_unpackhi_epi32(c2, c3);
    auto* blocks = reinterpret_cast<__m128i*>(out);
    _mm_storeu_si128(blocks, _mm_unpacklo_epi64(t0, t1));
    _mm_storeu_si128(blocks + 1, _mm_unpackhi_epi64(t0, t1));
    _mm_storeu_si128(blocks + 2, _mm_unpacklo_epi64(t2, t3));
    _mm_storeu_si128(blocks + 3, _mm_unpackhi_epi64(t2, t3));
}
#endif

}  // namespace

void CounterRng::refill() {
    const Philox::ctr_type counter = {{key_.patient, key_.population, key_.agent, key_.step}};
    if (block_ == 0) {
        // Many streams take a few draws only: their first block alone, at the latency of one.
        const Philox::ctr_type out = Philox{}(counter, block_key(key_.seed, 0));
        used_ = kBuffered - 4;
        for (int i = 0; i < 4; ++i) buffer_[used_ + i] = out.v[i];
        block_ = 1;
        return;
    }
    Philox::key_type keys[kBlocks];
    for (int b = 0; b < kBlocks; ++b) keys[b] = block_key(key_.seed, block_ + static_cast<std::uint32_t>(b));
#if defined(__SSE2__)
    static_assert(kBlocks == 4);
    philox_four(counter, keys, buffer_);
#else
    for (int b = 0; b < kBlocks; ++b) {
        const Philox::ctr_type out = Philox{}(counter, keys[b]);
        for (int i = 0; i < 4; ++i) buffer_[4 * b + i] = out.v[i];
    }
#endif
    block_ += kBlocks;
    used_ = 0;
}

double CounterRng::exponential() { return -std::log(uniform()); }

std::uint64_t CounterRng::below_wide(std::uint64_t n) {
    // Rejection on 64-bit draws: accept below the largest multiple of n.
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = kMax - kMax % n;
    for (;;) {
        const std::uint64_t high = (*this)();
        const std::uint64_t x = (high << 32) | (*this)();
        if (x < limit) return x % n;
    }
}

}  // namespace cartsim::agents
