#include "solvers/hybrid/leap.hpp"

#include <algorithm>
#include <cmath>

namespace cartsim::hybrid::detail {

std::uint32_t leap_count(const agents::BinnedPopulation& population, const BinChannels& channels, double span,
                         const LeapSettings& settings) {
    double fastest = 0.0;
    for (std::size_t b = 0; b < channels.size(); ++b) {
        if (population.count(b) == 0) continue;
        double total = 0.0;
        for (const auto& c : channels[b]) total += c.rate_per_day;
        fastest = std::max(fastest, total);
    }
    return static_cast<std::uint32_t>(std::max(1.0, std::ceil(fastest * span / settings.max_hazard_per_leap)));
}

}  // namespace cartsim::hybrid::detail
