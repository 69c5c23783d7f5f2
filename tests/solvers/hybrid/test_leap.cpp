#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <tuple>
#include <vector>

#include "solvers/hybrid/leap.hpp"
#include "solvers/hybrid/switching.hpp"

using namespace cartsim;
using namespace cartsim::hybrid;

namespace {

/// Runs a linear birth-death population from n0 cells until it dies out or reaches `escape` cells.
bool goes_extinct(double birth, double death, int n0, std::uint64_t seed, int escape = 400) {
    agents::BinnedPopulation population(1);
    std::uint64_t next_id = 1;
    for (int i = 0; i < n0; ++i) population.add(0, agents::Agent{next_id++});
    BinChannels channels{{{ChannelKind::Division, birth, 0}, {ChannelKind::Death, death, 0}}};
    std::uint32_t steps = 0;
    double t = 0.0;
    while (population.size() > 0 && population.size() < static_cast<std::size_t>(escape) && t < 2000.0) {
        const auto stats = step(population, channels, t, t + 1.0, agents::StreamKey{seed, 0, 0, 0, 0}, steps, next_id, {});
        steps += static_cast<std::uint32_t>(stats.leaps);
        t += 1.0;
    }
    return population.size() == 0;
}

}  // namespace

TEST_CASE("leap: a linear birth-death population dies out with probability (d/b)^n0 when b > d") {
    // 2000 runs; binomial standard error of the share is sqrt(p(1-p)/2000) (0.0074 at p = 0.125). The
    // bound is 3.5 standard errors plus 0.01 for the leap error (O((rate x leap)^2) with rate x leap <= 0.1).
    // Escaping to 400 cells counts as survival: (d/b)^400 is negligible.
    for (const auto& setting : {std::tuple{1.0, 0.5, 3}, std::tuple{0.3, 0.2, 2}}) {
        const auto [b_, d_, n0_] = setting;
        const double b = b_, d = d_;  // plain variables: clang 14 cannot capture bindings in INFO
        const int n0 = n0_;
        const int runs = 2000;
        int extinct = 0;
        for (int i = 0; i < runs; ++i) extinct += goes_extinct(b, d, n0, 1000 + static_cast<std::uint64_t>(i));
        const double expected = std::pow(d / b, n0);
        const double se = std::sqrt(expected * (1.0 - expected) / runs);
        INFO("b=" << b << " d=" << d << " n0=" << n0 << " share " << double(extinct) / runs << " expected " << expected);
        CHECK(std::abs(double(extinct) / runs - expected) < 3.5 * se + 0.01);
    }
}

namespace {
/// Like goes_extinct, but stops at day `horizon`.
bool extinct_by(double birth, double death, int n0, std::uint64_t seed, double horizon) {
    agents::BinnedPopulation population(1);
    std::uint64_t next_id = 1;
    for (int i = 0; i < n0; ++i) population.add(0, agents::Agent{next_id++});
    BinChannels channels{{{ChannelKind::Division, birth, 0}, {ChannelKind::Death, death, 0}}};
    std::uint32_t steps = 0;
    for (double t = 0.0; t < horizon && population.size() > 0; t += 1.0)
        steps += static_cast<std::uint32_t>(
            step(population, channels, t, t + 1.0, agents::StreamKey{seed, 0, 0, 0, 0}, steps, next_id, {}).leaps);
    return population.size() == 0;
}
}  // namespace

TEST_CASE("leap: with b <= d every population dies out") {
    // b < d: survival to day t decays like e^{-(d-b) t}; by day 2000 it is below 1e-100.
    int extinct = 0;
    for (int i = 0; i < 300; ++i) extinct += extinct_by(0.3, 0.5, 5, 50 + static_cast<std::uint64_t>(i), 2000.0);
    CHECK(extinct == 300);
    // b = d: extinct with probability 1, but slowly: P(extinct by t) = (b t / (1 + b t))^n0, 0.9517 at
    // b = 0.5, t = 200, n0 = 5. 1000 runs: standard error 0.0068; bound 3.5 standard errors + 0.01.
    const int runs = 1000;
    int by_200 = 0;
    for (int i = 0; i < runs; ++i) by_200 += extinct_by(0.5, 0.5, 5, 5000 + static_cast<std::uint64_t>(i), 200.0);
    const double expected = std::pow(100.0 / 101.0, 5);
    CHECK(std::abs(double(by_200) / runs - expected) < 3.5 * std::sqrt(expected * (1 - expected) / runs) + 0.01);
}

TEST_CASE("leap: mean of a pure birth process follows n0 e^{bt} within 4 standard errors") {
    const double b = 0.5;
    const int runs = 400, n0 = 20;
    double sum = 0.0, sum2 = 0.0;
    for (int r = 0; r < runs; ++r) {
        agents::BinnedPopulation population(1);
        std::uint64_t next_id = 1;
        for (int i = 0; i < n0; ++i) population.add(0, agents::Agent{next_id++});
        step(population, {{{ChannelKind::Division, b, 0}}}, 0.0, 2.0, agents::StreamKey{static_cast<std::uint64_t>(r)}, 0,
             next_id, {});
        const double n = static_cast<double>(population.size());
        sum += n;
        sum2 += n * n;
    }
    const double mean = sum / runs, sd = std::sqrt(sum2 / runs - mean * mean);
    CHECK(std::abs(mean - n0 * std::exp(b * 2.0)) < 4.0 * sd / std::sqrt(runs) + 0.01 * n0 * std::exp(b * 2.0));
}

TEST_CASE("leap: moves keep every cell, and callbacks see deaths, moves and daughters") {
    agents::BinnedPopulation population(3);
    std::uint64_t next_id = 1;
    for (int i = 0; i < 1000; ++i) population.add(0, agents::Agent{next_id++});
    int died = 0, moved = 0, born = 0;
    LeapCallbacks cb{[&](const agents::Agent&, double death_day) {
                         CHECK(std::isfinite(death_day));
                         ++died;
                     },
                     [&](agents::Agent& a, std::size_t from, std::size_t to) {
                         a.attributes[0] += 1.0f;
                         CHECK(from == 0);
                         CHECK(to == 1);
                         ++moved;
                     },
                     [&](const agents::Agent& parent, agents::Agent& daughter, std::size_t, agents::CounterRng&,
                         bool& keep) {
                         CHECK(daughter.parent == parent.id);
                         ++born;
                         keep = true;
                         return std::size_t{2};
                     }};
    BinChannels channels{{{ChannelKind::Move, 0.5, 1}, {ChannelKind::Death, 0.1, 0}, {ChannelKind::Division, 0.2, 2}}, {}, {}};
    step(population, channels, 0.0, 1.0, agents::StreamKey{3}, 0, next_id, cb);
    CHECK(population.count(1) == static_cast<std::size_t>(moved));
    CHECK(population.count(2) == static_cast<std::size_t>(born));
    CHECK(population.size() == 1000u - died + born);
    CHECK(moved > 300);
    for (const auto& a : population.bin(1)) CHECK(a.attributes[0] == 1.0f);
}

TEST_CASE("leap: with moves between bins the mean is first order in the leap length") {
    // Cells move from bin 0 to bin 1 at m per day and die in bin 1 at d per day. The exact mean of bin 1
    // is n0 m (e^{-mT} - e^{-dT}) / (d - m). A mover joins its bin only after the leap, so it does not
    // face bin 1's death in the leap it moved: over N = T/h leaps with a = e^{-mh}, c = e^{-dh} the
    // leap's mean is n0 (1 - a)(a^N - c^N) / (a - c), whose relative bias is d h / 2 + O(h^2).
    // (Without moves the mean is exact: the pure-birth test above.) Bin counts are those of independent
    // cells, so bin 1 holds Binomial(n, q_h) cells, standard error sqrt(q_h (1 - q_h) / n).
    constexpr double m = 1.0, d = 0.5, horizon = 1.0;
    constexpr int replicates = 4, n0 = 250'000;
    const double exact = m * (std::exp(-m * horizon) - std::exp(-d * horizon)) / (d - m);
    const BinChannels channels{{{ChannelKind::Move, m, 1}}, {{ChannelKind::Death, d, 1}}};
    std::vector<double> leaps, biases;
    for (double hazard : {0.5, 0.25, 0.125, 0.0625}) {  // leaps of 1/2 to 1/16 day (rate 1 per day)
        CAPTURE(hazard);
        double in_bin1 = 0.0;
        for (int r = 0; r < replicates; ++r) {
            agents::BinnedPopulation population(2);
            std::uint64_t next_id = 1;
            for (int i = 0; i < n0; ++i) population.add(0, agents::Agent{next_id++});
            const agents::StreamKey key{700 + static_cast<std::uint64_t>(r)};
            const auto stats =
                step(population, channels, 0.0, horizon, key, 0, next_id, NoCallbacks{}, LeapSettings{hazard});
            CHECK(static_cast<double>(stats.leaps) == doctest::Approx(horizon / hazard));
            in_bin1 += static_cast<double>(population.count(1));
        }
        const double n = static_cast<double>(replicates) * n0;
        const double h = hazard;  // the fastest rate is 1 per day
        const double a = std::exp(-m * h), c = std::exp(-d * h), steps = horizon / h;
        const double leap_mean = (1.0 - a) * (std::pow(a, steps) - std::pow(c, steps)) / (a - c);
        const double fraction = in_bin1 / n;
        CHECK(std::abs(fraction - leap_mean) < 4.0 * std::sqrt(leap_mean * (1.0 - leap_mean) / n));
        leaps.push_back(h);
        biases.push_back(fraction / exact - 1.0);
    }
    // Order of the bias: the least-squares slope of log(bias) against log(h). The derived leap means
    // give 1.05 over these leaps; the sampling error (1e6 cells: 0.1% of the mean, against a bias of
    // 1.6% at the finest leap) moves it by about 0.05. A leap with an exact mean would show no bias; one
    // of second order a slope near 2.
    double sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
    for (std::size_t i = 0; i < leaps.size(); ++i) {
        REQUIRE(biases[i] > 0.0);
        const double lx = std::log(leaps[i]), ly = std::log(biases[i]);
        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
    }
    const double k = static_cast<double>(leaps.size());
    const double order = (k * sxy - sx * sy) / (k * sxx - sx * sx);
    CHECK(order > 0.8);
    CHECK(order < 1.3);
}

TEST_CASE("switching: thresholds with a gap, and hand-over records that keep the histogram") {
    const Thresholds th{1e4, 1e5};
    CHECK(next_representation(Representation::Ode, 5e3, th) == Representation::Agents);
    CHECK(next_representation(Representation::Ode, 5e4, th) == Representation::Ode);
    CHECK(next_representation(Representation::Agents, 5e4, th) == Representation::Agents);
    CHECK(next_representation(Representation::Agents, 2e5, th) == Representation::Ode);

    // ODE -> agents: the total is kept up to rounding; the bins follow the ODE histogram.
    const std::vector<double> ode{0.0, 1000.4, 3000.0, 5999.6};
    double mean_total = 0.0;
    std::vector<double> mean_bins(4, 0.0);
    const int draws = 400;
    for (int i = 0; i < draws; ++i) {
        agents::CounterRng rng(agents::StreamKey{static_cast<std::uint64_t>(i)});
        const auto rec = draw_agent_counts(0, 1.0, ode, rng);
        std::uint64_t total = 0;
        for (std::size_t b = 0; b < 4; ++b) {
            total += rec.agents_per_bin[b];
            mean_bins[b] += static_cast<double>(rec.agents_per_bin[b]) / draws;
        }
        CHECK((total == 10000u || total == 10001u));
        CHECK(rec.agents_per_bin[0] == 0u);
        mean_total += static_cast<double>(total) / draws;
    }
    CHECK(std::abs(mean_total - 10000.0) < 0.1);
    // Multinomial: sd of a bin count is sqrt(n p (1-p)) <= 50; the mean of 400 draws is within 4 * 50 / 20.
    for (std::size_t b = 1; b < 4; ++b) CHECK(std::abs(mean_bins[b] - ode[b]) < 10.0);

    // Agents -> ODE: exact.
    agents::BinnedPopulation pop(3);
    for (int i = 0; i < 7; ++i) pop.add(static_cast<std::size_t>(i % 3), agents::Agent{});
    const auto back = histogram_of(0, 2.0, pop);
    CHECK(back.ode_cells_per_bin == std::vector<double>{3.0, 2.0, 2.0});
}
