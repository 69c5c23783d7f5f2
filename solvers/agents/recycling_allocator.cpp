#include "solvers/agents/recycling_allocator.hpp"

#include <utility>
#include <vector>

namespace cartsim::agents::block_cache {
namespace {

constexpr std::size_t kSmallestBlockBytes = std::size_t{64} << 10;  // below: malloc's free lists do well
constexpr std::size_t kCacheBytes = std::size_t{64} << 20;
constexpr std::size_t kCacheBlocks = 64;

// Set when this thread's cache is gone: blocks freed later (by objects that outlive it, such as
// statics) go straight to operator delete.
thread_local bool t_cache_gone = false;

struct Cache {
    std::vector<std::pair<std::size_t, void*>> blocks;  // (bytes, block)
    std::size_t bytes = 0;

    Cache() { blocks.reserve(kCacheBlocks); }  // so that give_back never allocates
    ~Cache() {
        for (const auto& [size, block] : blocks) ::operator delete(block);
        t_cache_gone = true;
    }
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;
};

Cache& cache() {
    thread_local Cache c;
    return c;
}

}  // namespace

void* take(std::size_t bytes) {
    if (bytes >= kSmallestBlockBytes && !t_cache_gone) {
        Cache& c = cache();
        for (std::size_t i = c.blocks.size(); i-- > 0;) {
            if (c.blocks[i].first != bytes) continue;
            void* block = c.blocks[i].second;
            c.blocks[i] = c.blocks.back();
            c.blocks.pop_back();
            c.bytes -= bytes;
            return block;
        }
    }
    return ::operator new(bytes);
}

void give_back(void* block, std::size_t bytes) noexcept {
    if (bytes >= kSmallestBlockBytes && !t_cache_gone) {
        Cache& c = cache();
        if (c.blocks.size() < kCacheBlocks && c.bytes + bytes <= kCacheBytes) {
            c.blocks.emplace_back(bytes, block);
            c.bytes += bytes;
            return;
        }
    }
    ::operator delete(block);
}

}  // namespace cartsim::agents::block_cache
