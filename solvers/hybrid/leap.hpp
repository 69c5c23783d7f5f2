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
// agent takes at most one exit per leap. With moves between bins the mean of each bin is first order
// in the leap: a mover misses its new bin's rates for the rest of the leap in which it moved (relative
// bias about (the new bin's exit rate) x leap / 2, measured in test_leap.cpp). Higher moments carry an
// error of order (rate x leap)^2; `step` splits an interval into leaps with (largest per-cell rate) x
// leap <= max_hazard_per_leap (default 0.1) to keep these small.
//
// Callbacks are a template parameter (they run once per event, so they should inline); see
// NoCallbacks for what they provide and LeapCallbacks to build them from lambdas.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "solvers/agents/binned_population.hpp"
#include "solvers/agents/counter_rng.hpp"
#include "solvers/agents/random_counts.hpp"

namespace cartsim::hybrid {

enum class ChannelKind { Death, Move, Division };

struct Channel {
    ChannelKind kind = ChannelKind::Death;
    double rate_per_day = 0.0;  // per cell
    std::size_t target_bin = 0;  // Move: destination; Division: the daughter's default bin
};

/// Per-cell rates of every bin of one population for this leap.
using BinChannels = std::vector<std::vector<Channel>>;

/// What happens to cells, told to the caller (who knows the biology). These do nothing.
struct NoCallbacks {
    /// A cell died on `death_day` [day].
    void died(const agents::Agent&, double /*death_day*/) const {}
    /// A cell moved from bin `from` to `to`: may update its attributes.
    void moved(agents::Agent&, std::size_t /*from*/, std::size_t /*to*/) const {}
    /// A cell divided: fill in the daughter (its id, parent, birth day are set) and return its bin,
    /// or set `keep` to false to send it elsewhere (mutation to another clone).
    std::size_t divided(const agents::Agent& /*parent*/, agents::Agent& /*daughter*/, std::size_t default_bin,
                        agents::CounterRng&, bool& /*keep*/) const {
        return default_bin;
    }
};

/// Callbacks from three callables with the signatures of NoCallbacks' members.
template <class Died, class Moved, class Divided>
struct LeapCallbacks {
    Died died;
    Moved moved;
    Divided divided;
};
// Spelled out: clang 14 does not deduce an aggregate's template arguments (C++20 P1816).
template <class Died, class Moved, class Divided>
LeapCallbacks(Died, Moved, Divided) -> LeapCallbacks<Died, Moved, Divided>;

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

/// Buffers of a leap, kept by the caller so that leaps after the first allocate nothing.
struct LeapWorkspace {
    struct Pending {
        std::size_t bin;
        agents::Agent agent;
    };
    std::vector<Pending> arriving;  // for bins not yet stepped in this leap
    std::vector<Pending> movers;    // movers of the bin being stepped (they may still divide)
    std::vector<std::uint64_t> picks;
};

namespace detail {

/// How many leaps [t0, t0 + span] needs: (largest per-cell rate of a populated bin) x leap <= the bound.
std::uint32_t leap_count(const agents::BinnedPopulation& population, const BinChannels& channels, double span,
                         const LeapSettings& settings);

// Picks are random, so a parent is loaded this many events ahead and the cache misses overlap.
constexpr std::size_t kPrefetchAhead = 8;

/// One leap of length h starting at t.
template <class Callbacks>
void leap(agents::BinnedPopulation& population, const BinChannels& channels, double t, double h,
          agents::StreamKey key, std::uint64_t& next_id, Callbacks& cb, LeapStats& stats, LeapWorkspace& ws) {
    ws.arriving.clear();
    auto& picks = ws.picks;
    for (std::size_t b = 0; b < population.bins(); ++b) {
        const auto& members = population.bin(b);
        const std::size_t n = members.size();
        if (n == 0) continue;
        key.agent = static_cast<std::uint32_t>(b);
        agents::CounterRng rng(key);
        // Bins up to b have had their leap: cells bound there can join at once (saves a copy).
        const auto place = [&](std::size_t bin, const agents::Agent& a) {
            if (bin <= b) population.add(bin, a);
            else ws.arriving.push_back({bin, a});
        };

        double exit_rate = 0.0;
        for (const auto& c : channels[b])
            if (c.kind != ChannelKind::Division) exit_rate += c.rate_per_day;

        // Exits: how many, then which channel each takes, then which agents. Movers stay alive and
        // may still divide in this leap (their daughters start in this bin).
        ws.movers.clear();
        std::uint64_t remaining = exit_rate > 0.0 ? agents::binomial(n, -std::expm1(-exit_rate * h), rng) : 0;
        double rate_left = exit_rate;
        for (const auto& c : channels[b]) {
            if (c.kind == ChannelKind::Division || remaining == 0 || c.rate_per_day <= 0.0) continue;
            const std::uint64_t k =
                c.rate_per_day < rate_left ? agents::binomial(remaining, c.rate_per_day / rate_left, rng) : remaining;
            rate_left -= c.rate_per_day;
            remaining -= k;
            picks.clear();
            for (std::uint64_t i = 0; i < k; ++i) picks.push_back(rng.below(members.size() - i));
            for (std::uint64_t i = 0; i < k; ++i) {
                if (i + kPrefetchAhead < k) __builtin_prefetch(&members[picks[i + kPrefetchAhead]]);
                agents::Agent a = population.take(b, picks[i]);
                if (c.kind == ChannelKind::Death) {
                    ++stats.deaths;
                    cb.died(a, t + rng.uniform() * h);
                } else {
                    cb.moved(a, b, c.target_bin);
                    ++stats.moves;
                    ws.movers.push_back({c.target_bin, a});
                }
            }
        }

        // Divisions among the living: the agents that stayed and those that moved out.
        const std::size_t stayed = members.size();
        const std::size_t alive = stayed + ws.movers.size();
        for (const auto& c : channels[b]) {
            if (c.kind != ChannelKind::Division || c.rate_per_day <= 0.0 || alive == 0) continue;
            // Mean alive * (e^{bh} - 1): with the binomial exits, the expected population after the leap
            // is exactly n e^{(b - d) h}, as for a linear birth-death process (daughters born in the
            // leap would have divided again; this accounts for it on average).
            const double mean = static_cast<double>(alive) * std::expm1(c.rate_per_day * h);
            const std::uint64_t divisions = agents::poisson(mean, rng);
            picks.clear();
            for (std::uint64_t i = 0; i < divisions; ++i) picks.push_back(rng.below(alive));
            for (std::uint64_t i = 0; i < divisions; ++i) {
                if (i + kPrefetchAhead < divisions && picks[i + kPrefetchAhead] < stayed)
                    __builtin_prefetch(&members[picks[i + kPrefetchAhead]]);
                // Daughters join only after index `stayed`, so picks never see them.
                const std::size_t pick = picks[i];
                const agents::Agent parent = pick < stayed ? members[pick] : ws.movers[pick - stayed].agent;
                agents::Agent daughter = parent;
                daughter.id = next_id++;
                daughter.parent = parent.id;
                daughter.birth_day = t + rng.uniform() * h;
                bool keep = true;
                const std::size_t target = cb.divided(parent, daughter, c.target_bin, rng, keep);
                ++stats.divisions;
                if (keep) place(target, daughter);
            }
        }
        for (const auto& m : ws.movers) place(m.bin, m.agent);
    }
    for (const auto& p : ws.arriving) population.add(p.bin, p.agent);
}

}  // namespace detail

/// Advances `population` from t0 to t1 [day]. Random draws come from streams keyed by `key` with
/// key.agent = bin and key.step = first_step + leap index; `next_id` numbers new agents. A workspace
/// kept across calls saves allocations.
template <class Callbacks = NoCallbacks>
LeapStats step(agents::BinnedPopulation& population, const BinChannels& channels, double t0, double t1,
               agents::StreamKey key, std::uint32_t first_step, std::uint64_t& next_id, Callbacks&& callbacks = {},
               const LeapSettings& settings = {}, LeapWorkspace* workspace = nullptr) {
    LeapStats stats;
    if (!(t1 > t0) || population.size() == 0) return stats;
    const std::uint32_t leaps = detail::leap_count(population, channels, t1 - t0, settings);
    const double h = (t1 - t0) / leaps;
    LeapWorkspace local;
    LeapWorkspace& ws = workspace ? *workspace : local;
    for (std::uint32_t i = 0; i < leaps; ++i) {
        key.step = first_step + i;
        detail::leap(population, channels, t0 + i * h, h, key, next_id, callbacks, stats, ws);
        ++stats.leaps;
    }
    return stats;
}

}  // namespace cartsim::hybrid
