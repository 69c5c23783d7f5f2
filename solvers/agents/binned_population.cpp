#include "solvers/agents/binned_population.hpp"

namespace cartsim::agents {

std::vector<std::uint64_t> BinnedPopulation::histogram() const {
    std::vector<std::uint64_t> h;
    for (const auto& b : bins_) h.push_back(b.size());
    return h;
}

void BinnedPopulation::clear() {
    for (auto& b : bins_) b.clear();
    size_ = 0;
}

}  // namespace cartsim::agents
