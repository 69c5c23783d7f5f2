#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "solvers/agents/recycling_allocator.hpp"

using cartsim::agents::RecyclingAllocator;
namespace block_cache = cartsim::agents::block_cache;

TEST_CASE("recycling allocator: a large block comes back for the same size, values do not matter") {
    const std::size_t bytes = std::size_t{1} << 20;
    void* first = block_cache::take(bytes);
    block_cache::give_back(first, bytes);
    void* again = block_cache::take(bytes);
    CHECK(again == first);
    block_cache::give_back(again, bytes);

    // A vector grows and shrinks through the cache like through operator new.
    std::vector<std::uint64_t, RecyclingAllocator<std::uint64_t>> v;
    for (std::uint64_t i = 0; i < 100000; ++i) v.push_back(i);
    std::uint64_t sum = 0;
    for (auto x : v) sum += x;
    CHECK(sum == 100000ull * 99999ull / 2);
    v = {};
    std::vector<std::uint64_t, RecyclingAllocator<std::uint64_t>> w(100000, 7);
    CHECK(w.back() == 7u);
}
