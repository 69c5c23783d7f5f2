// The leaps against an exact stochastic simulation where coupling is non-linear: a small
// birth-death-kill system of tumour cells T and effector cells E, stepped as the hybrid layer steps
// CAR-T agents (every per-cell rate recomputed from both counts before each leap, the leap bounded by
// max_hazard_per_leap), compared with Gillespie's direct method written here.
//
// Per tumour cell: division b, death d + k E (killing by effectors). Per effector: division
// s T / (T + K) (stimulation saturating in the tumour), death delta. A run ends when T dies out
// (extinction, at the day of the last death), when T reaches `escape` cells, or at the horizon.

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "solvers/agents/counter_rng.hpp"
#include "solvers/hybrid/leap.hpp"

using namespace cartsim;
using namespace cartsim::hybrid;

namespace {

struct System {
    double b = 0.3, d = 0.1, k = 0.04;  // tumour: division, death, killing per effector [1/day]
    double s = 0.6, half = 10.0, delta = 0.25;  // effectors: division, half-saturation [cells], death
    int t0 = 12, e0 = 4;  // cells at day 0
    int escape = 150;     // tumour cells that count as escape
    double horizon = 60.0;
};

/// Day of the tumour's extinction, or a negative number when it escaped or lasted to the horizon.
double gillespie(const System& p, std::uint64_t seed) {
    agents::CounterRng rng(agents::StreamKey{seed, 0, 0, 0, 0});
    double t = 0.0;
    long tumour = p.t0, effectors = p.e0;
    while (tumour > 0 && tumour < p.escape) {
        const double T = static_cast<double>(tumour), E = static_cast<double>(effectors);
        const double rates[4] = {p.b * T, (p.d + p.k * E) * T, p.s * T / (T + p.half) * E, p.delta * E};
        const double total = rates[0] + rates[1] + rates[2] + rates[3];
        t += rng.exponential() / total;
        if (t > p.horizon) return -1.0;
        double u = rng.uniform() * total;
        int event = 0;
        while (event < 3 && u >= rates[event]) u -= rates[event++];
        if (event == 0) ++tumour;
        else if (event == 1) --tumour;
        else if (event == 2) ++effectors;
        else --effectors;
    }
    return tumour == 0 ? t : -1.0;
}

/// The same system as two agent populations advanced by leaps, rates recomputed before every leap.
double leaps(const System& p, std::uint64_t seed, double max_hazard) {
    agents::BinnedPopulation tumour(1), effectors(1);
    std::uint64_t next_id = 1;
    for (int i = 0; i < p.t0; ++i) tumour.add(0, agents::Agent{next_id++});
    for (int i = 0; i < p.e0; ++i) effectors.add(0, agents::Agent{next_id++});
    double t = 0.0, last_death = 0.0;
    std::uint32_t step_t = 0, step_e = 0;
    struct Died {
        double* day;
        void died(const agents::Agent&, double when) const { *day = std::max(*day, when); }
        void moved(agents::Agent&, std::size_t, std::size_t) const {}
        std::size_t divided(const agents::Agent&, agents::Agent&, std::size_t bin, agents::CounterRng&, bool&) const {
            return bin;
        }
    } tumour_deaths{&last_death};
    while (tumour.size() > 0 && tumour.size() < static_cast<std::size_t>(p.escape) && t < p.horizon) {
        const double T = static_cast<double>(tumour.size()), E = static_cast<double>(effectors.size());
        const BinChannels tumour_rates{{{ChannelKind::Division, p.b, 0}, {ChannelKind::Death, p.d + p.k * E, 0}}};
        const BinChannels effector_rates{{{ChannelKind::Division, p.s * T / (T + p.half), 0},
                                          {ChannelKind::Death, p.delta, 0}}};
        const double fastest = std::max(p.b + p.d + p.k * E, p.s * T / (T + p.half) + p.delta);
        const double h = std::min(p.horizon - t, max_hazard / fastest);
        const LeapSettings settings{max_hazard};
        step_t += static_cast<std::uint32_t>(step(tumour, tumour_rates, t, t + h, agents::StreamKey{seed, 0, 1, 0, 0},
                                                  step_t, next_id, tumour_deaths, settings).leaps);
        step_e += static_cast<std::uint32_t>(
            step(effectors, effector_rates, t, t + h, agents::StreamKey{seed, 0, 2, 0, 0}, step_e, next_id, {}, settings)
                .leaps);
        t += h;
    }
    return tumour.size() == 0 ? last_death : -1.0;
}

/// Two-sample Kolmogorov-Smirnov statistic.
double ks_statistic(std::vector<double> a, std::vector<double> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    std::size_t i = 0, j = 0;
    double d = 0.0;
    while (i < a.size() && j < b.size()) {
        const double x = std::min(a[i], b[j]);
        while (i < a.size() && a[i] <= x) ++i;
        while (j < b.size() && b[j] <= x) ++j;
        d = std::max(d, std::abs(static_cast<double>(i) / static_cast<double>(a.size()) -
                                 static_cast<double>(j) / static_cast<double>(b.size())));
    }
    return d;
}

}  // namespace

TEST_CASE("leap vs Gillespie: extinction probability and extinction times of a coupled birth-death-kill system") {
    // 6000 runs of each. The extinction shares are compared with a two-proportion z-test: |difference|
    // below 4 standard errors (about 3.6 points at p = 0.5) plus 1 point for the leap error, which is of
    // order (rate x leap)^2 = 1e-2 per leap relative to the events it holds. Extinction days are compared
    // with a two-sample Kolmogorov-Smirnov test at alpha = 0.001 (critical value 1.95 sqrt((n + m)/(n m))).
    // With the leap bound 10 times too loose (hazard 1 per leap) the same tests must see a difference,
    // so they have the power to see one.
    const System p;
    const int runs = 6000;
    std::vector<double> exact, leaped, coarse;
    for (int r = 0; r < runs; ++r) {
        const double a = gillespie(p, 1000 + static_cast<std::uint64_t>(r));
        const double b = leaps(p, 500000 + static_cast<std::uint64_t>(r), 0.1);
        const double c = leaps(p, 900000 + static_cast<std::uint64_t>(r), 1.0);
        if (a >= 0.0) exact.push_back(a);
        if (b >= 0.0) leaped.push_back(b);
        if (c >= 0.0) coarse.push_back(c);
    }
    const double p_exact = static_cast<double>(exact.size()) / runs, p_leap = static_cast<double>(leaped.size()) / runs;
    const double pooled = (p_exact + p_leap) / 2.0;
    const double se = std::sqrt(2.0 * pooled * (1.0 - pooled) / runs);
    INFO("extinct: Gillespie " << p_exact << ", leaps " << p_leap << " (standard error of the difference " << se
                               << "), leaps at hazard 1: " << static_cast<double>(coarse.size()) / runs);
    REQUIRE(p_exact > 0.2);  // the system is neither sure to die out nor sure to escape
    REQUIRE(p_exact < 0.8);
    CHECK(std::abs(p_exact - p_leap) < 4.0 * se + 0.01);
    std::sort(exact.begin(), exact.end());
    const double n = static_cast<double>(exact.size()), m = static_cast<double>(leaped.size());
    const double d = ks_statistic(exact, leaped), critical = 1.95 * std::sqrt((n + m) / (n * m));
    INFO("extinction days: KS statistic " << d << " (critical " << critical << "); median Gillespie "
                                          << exact[exact.size() / 2]);
    CHECK(d < critical);
    // Power: the coarse leaps differ from the exact simulation in one of the two tests.
    const double m_coarse = static_cast<double>(coarse.size());
    const double d_coarse = ks_statistic(exact, coarse), critical_coarse = 1.95 * std::sqrt((n + m_coarse) / (n * m_coarse));
    const double p_coarse = m_coarse / runs;
    CHECK((std::abs(p_exact - p_coarse) > 4.0 * se + 0.01 || d_coarse > critical_coarse));
}
