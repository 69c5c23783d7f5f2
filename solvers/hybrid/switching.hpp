#pragma once
// When a population changes representation, and the hand-over records in both directions. A
// population becomes agents below `to_agents_below` cells and returns to the ODE above
// `to_ode_above`; the gap between the two prevents chattering.

#include <cstdint>
#include <string>
#include <vector>

#include "solvers/agents/binned_population.hpp"
#include "solvers/agents/counter_rng.hpp"

namespace cartsim::hybrid {

enum class Representation { Ode, Agents };

struct Thresholds {
    double to_agents_below = 1e2;  // cells (as hybrid.to_agents_below_cells)
    double to_ode_above = 1e3;     // cells (as hybrid.to_ode_above_cells)
};

Representation next_representation(Representation now, double cells, const Thresholds& thresholds);

/// ODE -> agents: the ODE bins of one population and the agent counts drawn for them. The total is
/// rounded stochastically (floor plus a Bernoulli draw on the fraction), so the expected number of
/// agents equals the ODE cells; bins are drawn by a multinomial on the ODE histogram.
struct ToAgentsRecord {
    std::size_t population = 0;
    double day = 0.0;
    std::vector<double> ode_cells_per_bin;
    std::vector<std::uint64_t> agents_per_bin;
};

/// Agents -> ODE: the agent count of every bin becomes the ODE value of that bin, exactly.
struct ToOdeRecord {
    std::size_t population = 0;
    double day = 0.0;
    std::vector<std::uint64_t> agents_per_bin;
    std::vector<double> ode_cells_per_bin;
};

ToAgentsRecord draw_agent_counts(std::size_t population, double day, const std::vector<double>& ode_cells_per_bin,
                                 agents::CounterRng& rng);

ToOdeRecord histogram_of(std::size_t population, double day, const agents::BinnedPopulation& agents);

}  // namespace cartsim::hybrid
