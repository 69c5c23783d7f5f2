#include "solvers/hybrid/switching.hpp"

#include <cmath>

#include "solvers/agents/random_counts.hpp"

namespace cartsim::hybrid {

Representation next_representation(Representation now, double cells, const Thresholds& thresholds) {
    if (now == Representation::Ode && cells < thresholds.to_agents_below) return Representation::Agents;
    if (now == Representation::Agents && cells > thresholds.to_ode_above) return Representation::Ode;
    return now;
}

ToAgentsRecord draw_agent_counts(std::size_t population, double day, const std::vector<double>& ode_cells_per_bin,
                                 agents::CounterRng& rng) {
    ToAgentsRecord record{population, day, ode_cells_per_bin, std::vector<std::uint64_t>(ode_cells_per_bin.size(), 0)};
    double total = 0.0;
    for (double v : ode_cells_per_bin) total += std::max(0.0, v);
    if (total <= 0.0) return record;
    const double whole = std::floor(total);
    auto n = static_cast<std::uint64_t>(whole) + (rng.uniform() < total - whole ? 1 : 0);
    // Multinomial by sequential binomials over the bins.
    double mass_left = total;
    for (std::size_t b = 0; b < ode_cells_per_bin.size() && n > 0; ++b) {
        const double mass = std::max(0.0, ode_cells_per_bin[b]);
        std::uint64_t k = n;
        if (mass < mass_left) k = agents::binomial(n, std::min(1.0, mass / mass_left), rng);
        record.agents_per_bin[b] = k;
        n -= k;
        mass_left -= mass;
    }
    return record;
}

ToOdeRecord histogram_of(std::size_t population, double day, const agents::BinnedPopulation& agents) {
    ToOdeRecord record{population, day, agents.histogram(), {}};
    for (auto count : record.agents_per_bin) record.ode_cells_per_bin.push_back(static_cast<double>(count));
    return record;
}

}  // namespace cartsim::hybrid
