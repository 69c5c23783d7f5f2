#include "solvers/hybrid/leap.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace cartsim::hybrid {
namespace {

/// Binomial(n, p): by counting Bernoulli draws when n is small (the standard distribution's set-up,
/// with its logarithms, would dominate), else std::binomial_distribution.
std::uint64_t binomial(std::uint64_t n, double p, agents::CounterRng& rng) {
    if (p <= 0.0 || n == 0) return 0;
    if (p >= 1.0) return n;
    if (n <= 16) {
        std::uint64_t k = 0;
        for (std::uint64_t i = 0; i < n; ++i) k += rng.uniform() < p;
        return k;
    }
    std::binomial_distribution<std::uint64_t> draw(n, p);
    return draw(rng);
}

/// Poisson(mean): by multiplying uniforms (Knuth) when the mean is small, else std::poisson_distribution.
std::uint64_t poisson(double mean, agents::CounterRng& rng) {
    if (mean <= 0.0) return 0;
    if (mean < 10.0) {
        const double limit = std::exp(-mean);
        std::uint64_t k = 0;
        for (double product = rng.uniform(); product > limit; product *= rng.uniform()) ++k;
        return k;
    }
    std::poisson_distribution<std::uint64_t> draw(mean);
    return draw(rng);
}

struct Pending {
    std::size_t bin;
    agents::Agent agent;
};

double fastest_rate(const agents::BinnedPopulation& population, const BinChannels& channels) {
    double fastest = 0.0;
    for (std::size_t b = 0; b < channels.size(); ++b) {
        if (population.count(b) == 0) continue;
        double total = 0.0;
        for (const auto& c : channels[b]) total += c.rate_per_day;
        fastest = std::max(fastest, total);
    }
    return fastest;
}

/// One leap of length h starting at t.
void leap(agents::BinnedPopulation& population, const BinChannels& channels, double t, double h,
          agents::StreamKey key, std::uint64_t& next_id, const LeapCallbacks& cb, LeapStats& stats,
          std::vector<Pending>& arriving) {
    arriving.clear();
    for (std::size_t b = 0; b < population.bins(); ++b) {
        auto& members = population.bin(b);
        const std::size_t n = members.size();
        if (n == 0) continue;
        key.agent = static_cast<std::uint32_t>(b);
        agents::CounterRng rng(key);

        double exit_rate = 0.0;
        for (const auto& c : channels[b])
            if (c.kind != ChannelKind::Division) exit_rate += c.rate_per_day;

        // Exits: how many, then which channel each takes, then which agents. Movers stay alive and
        // may still divide in this leap (their daughters start in this bin).
        const std::size_t movers_begin = arriving.size();
        const std::uint64_t leaving = exit_rate > 0.0 ? binomial(n, -std::expm1(-exit_rate * h), rng) : 0;
        std::uint64_t remaining = leaving;
        double rate_left = exit_rate;
        for (const auto& c : channels[b]) {
            if (c.kind == ChannelKind::Division || remaining == 0 || c.rate_per_day <= 0.0) continue;
            const std::uint64_t k =
                c.rate_per_day < rate_left ? binomial(remaining, c.rate_per_day / rate_left, rng) : remaining;
            rate_left -= c.rate_per_day;
            remaining -= k;
            for (std::uint64_t i = 0; i < k; ++i) {
                agents::Agent a = population.take(b, rng.below(members.size()));
                if (c.kind == ChannelKind::Death) {
                    a.death_day = t + rng.uniform() * h;
                    ++stats.deaths;
                    if (cb.died) cb.died(a);
                } else {
                    if (cb.moved) cb.moved(a, b, c.target_bin);
                    ++stats.moves;
                    arriving.push_back({c.target_bin, a});
                }
            }
        }

        // Divisions among the living: the agents that stayed and those that moved out.
        const std::size_t movers = arriving.size() - movers_begin;
        const std::size_t alive = members.size() + movers;
        for (const auto& c : channels[b]) {
            if (c.kind != ChannelKind::Division || c.rate_per_day <= 0.0 || alive == 0) continue;
            // Mean alive * (e^{bh} - 1): with the binomial exits, the expected population after the leap
            // is exactly n e^{(b - d) h}, as for a linear birth-death process (daughters born in the
            // leap would have divided again; this accounts for it on average).
            const std::uint64_t divisions = poisson(static_cast<double>(alive) * std::expm1(c.rate_per_day * h), rng);
            for (std::uint64_t i = 0; i < divisions; ++i) {
                const std::size_t pick = rng.below(alive);
                const agents::Agent parent =
                    pick < members.size() ? members[pick] : arriving[movers_begin + (pick - members.size())].agent;
                agents::Agent daughter = parent;
                daughter.id = next_id++;
                daughter.parent = parent.id;
                daughter.birth_day = t + rng.uniform() * h;
                bool keep = true;
                std::size_t target = c.target_bin;
                if (cb.divided) target = cb.divided(parent, daughter, c.target_bin, rng, keep);
                ++stats.divisions;
                if (keep) arriving.push_back({target, daughter});
            }
        }
    }
    for (auto& p : arriving) population.add(p.bin, p.agent);
}

}  // namespace

LeapStats step(agents::BinnedPopulation& population, const BinChannels& channels, double t0, double t1,
               agents::StreamKey key, std::uint32_t first_step, std::uint64_t& next_id,
               const LeapCallbacks& callbacks, const LeapSettings& settings) {
    LeapStats stats;
    if (!(t1 > t0) || population.size() == 0) return stats;
    const double fastest = fastest_rate(population, channels);
    const double span = t1 - t0;
    const auto leaps = static_cast<std::uint32_t>(
        std::max(1.0, std::ceil(fastest * span / settings.max_hazard_per_leap)));
    const double h = span / leaps;
    std::vector<Pending> arriving;  // reused by every leap
    for (std::uint32_t i = 0; i < leaps; ++i) {
        key.step = first_step + i;
        leap(population, channels, t0 + i * h, h, key, next_id, callbacks, stats, arriving);
        ++stats.leaps;
    }
    return stats;
}

}  // namespace cartsim::hybrid
