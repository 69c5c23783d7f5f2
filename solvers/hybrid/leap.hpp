#pragma once
// Stochastic stepping of a binned agent population over an interval with per-cell rates held
// constant (binomial tau-leaping per bin).
//
// Every agent of bin b faces competing channels: death, moves to another bin, and divisions. Over a
// leap of length h, the number of agents leaving bin b (death or move) is Binomial(n_b, 1 - exp(-r h))
// with r the total exit rate, split among the exit channels in proportion to their rates; the number
// of divisions is Poisson(a_b (exp(b h) - 1)) with a_b the agents still alive (stayed or moved), so the
// expected population after a leap is exactly n e^{(b - d) h}, as for a linear birth-death process.
// Agents are chosen uniformly at random; daughters and movers enter their bins after the leap, so each
// agent takes at most one exit per leap. Higher moments carry an error of order (rate x leap)^2;
// `step` splits an interval into leaps with (largest per-cell rate) x leap <= max_hazard_per_leap
// (default 0.1) to keep it small.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "solvers/agents/binned_population.hpp"
#include "solvers/agents/counter_rng.hpp"

namespace cartsim::hybrid {

enum class ChannelKind { Death, Move, Division };

struct Channel {
    ChannelKind kind = ChannelKind::Death;
    double rate_per_day = 0.0;  // per cell
    std::size_t target_bin = 0;  // Move: destination; Division: the daughter's default bin
};

/// Per-cell rates of every bin of one population for this leap.
using BinChannels = std::vector<std::vector<Channel>>;

/// What happens to cells, told to the caller (who knows the biology).
struct LeapCallbacks {
    /// A cell died (day of death set). May be empty.
    std::function<void(const agents::Agent&)> died;
    /// A cell moved from bin `from` to `to`: may update its attributes. May be empty.
    std::function<void(agents::Agent&, std::size_t from, std::size_t to)> moved;
    /// A cell divided: fill in the daughter (its id, parent, birth day are set) and return its bin,
    /// or return false from `keep` in the daughter to send it elsewhere (mutation to another clone).
    std::function<std::size_t(const agents::Agent& parent, agents::Agent& daughter, std::size_t default_bin,
                              agents::CounterRng& rng, bool& keep)>
        divided;
};

struct LeapSettings {
    double max_hazard_per_leap = 0.1;  // bound on (largest per-cell rate) x (leap length)
};

struct LeapStats {
    std::int64_t leaps = 0;
    std::int64_t deaths = 0;
    std::int64_t moves = 0;
    std::int64_t divisions = 0;

    LeapStats& operator+=(const LeapStats& other) {
        leaps += other.leaps;
        deaths += other.deaths;
        moves += other.moves;
        divisions += other.divisions;
        return *this;
    }
};

/// Advances `population` from t0 to t1. Random draws come from streams keyed by `key` with
/// key.agent = bin and key.step = first_step + leap index; `next_id` numbers new agents.
LeapStats step(agents::BinnedPopulation& population, const BinChannels& channels, double t0, double t1,
               agents::StreamKey key, std::uint32_t first_step, std::uint64_t& next_id,
               const LeapCallbacks& callbacks, const LeapSettings& settings = {});

}  // namespace cartsim::hybrid
