#include "solvers/agents/binned_population.hpp"

namespace cartsim::agents {

std::size_t BinnedPopulation::size() const {
    std::size_t n = 0;
    for (const auto& b : bins_) n += b.size();
    return n;
}

std::vector<std::uint64_t> BinnedPopulation::histogram() const {
    std::vector<std::uint64_t> h;
    for (const auto& b : bins_) h.push_back(b.size());
    return h;
}

void BinnedPopulation::clear() {
    for (auto& b : bins_) b.clear();
}

}  // namespace cartsim::agents
