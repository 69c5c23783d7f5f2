#pragma once
// Agents of one population grouped by bin (a density bin of a tumour clone, a phenotype of a CAR-T
// product). Agents in one bin share their per-cell rates, so events can be drawn per bin.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "solvers/agents/agent.hpp"
#include "solvers/agents/recycling_allocator.hpp"

namespace cartsim::agents {

/// The agents of one bin, in no particular order.
using AgentVector = std::vector<Agent, RecyclingAllocator<Agent>>;

class BinnedPopulation {
public:
    explicit BinnedPopulation(std::size_t bins = 0) : bins_(bins) {}

    std::size_t bins() const { return bins_.size(); }
    std::size_t count(std::size_t bin) const { return bins_[bin].size(); }
    /// All agents of all bins (kept, not summed: callers ask after every leap and mutant).
    std::size_t size() const { return size_; }
    std::vector<std::uint64_t> histogram() const;

    /// Read-only: agents enter and leave through add, take and clear, which keep size().
    const AgentVector& bin(std::size_t b) const { return bins_[b]; }

    void add(std::size_t bin, const Agent& agent) {
        bins_[bin].push_back(agent);
        ++size_;
    }
    /// Removes the agent at `index` of `bin` (the last agent of the bin takes its place).
    Agent take(std::size_t bin, std::size_t index) {
        auto& agents = bins_[bin];
        const Agent out = agents[index];
        agents[index] = agents.back();
        agents.pop_back();
        --size_;
        return out;
    }
    void clear();

private:
    std::vector<AgentVector> bins_;
    std::size_t size_ = 0;
};

}  // namespace cartsim::agents
