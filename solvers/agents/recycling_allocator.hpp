#pragma once
// Memory for large agent buffers, recycled within a thread. A fresh page costs a page fault on first
// touch, and a population growing to 1e5 agents touched some 10 MB of fresh pages per run (a quarter of
// a hybrid run's time). Blocks of 64 KiB and more go back to a per-thread cache (at most 64 MiB) when
// freed and are handed out again for the same size. The cache holds memory only, never values, so
// results do not depend on it.

#include <cstddef>
#include <new>

namespace cartsim::agents {

namespace block_cache {
/// `bytes` of memory aligned for any standard type: a cached block of that size, else operator new.
void* take(std::size_t bytes);
/// Returns memory from take(bytes): to this thread's cache while it has room, else operator delete.
void give_back(void* block, std::size_t bytes) noexcept;
}  // namespace block_cache

template <class T>
struct RecyclingAllocator {
    using value_type = T;

    RecyclingAllocator() = default;
    template <class U>
    RecyclingAllocator(const RecyclingAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) { return static_cast<T*>(block_cache::take(n * sizeof(T))); }
    void deallocate(T* p, std::size_t n) noexcept { block_cache::give_back(p, n * sizeof(T)); }

    template <class U>
    bool operator==(const RecyclingAllocator<U>&) const noexcept {
        return true;
    }
};

}  // namespace cartsim::agents
