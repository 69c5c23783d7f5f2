#pragma once
// Known-answer draws of the agent layer's samplers: fixed streams, fixed expected draws. The same
// header is checked by the unit tests (GCC, libstdc++) and by tests/samplers/kat_main.cpp, compiled
// with clang and libc++ (tests/samplers/libcxx.sh): a sampler whose algorithm came from the standard
// library would give other draws there. The expected values were printed once by kat_main.cpp
// --print; they are what the algorithms give, not a property checked elsewhere (goodness of fit is
// tested in test_random_counts.cpp).

#include <cstdint>
#include <string>
#include <vector>

#include "solvers/agents/counter_rng.hpp"
#include "solvers/agents/random_counts.hpp"

namespace cartsim::agents::kat {

struct Case {
    std::string name;          // the sampler and the path inside it
    std::vector<double> draws;  // computed now
};

/// Eight draws per case, each from its own stream (seed 2026, patient 3, population 5, agent i, step 7).
inline std::vector<Case> draw_cases() {
    auto eight = [](auto draw) {
        std::vector<double> out;
        for (std::uint32_t i = 0; i < 8; ++i) {
            CounterRng rng(StreamKey{2026, 3, 5, i, 7});
            out.push_back(static_cast<double>(draw(rng)));
        }
        return out;
    };
    return {
        {"uniform", eight([](CounterRng& r) { return r.uniform(); })},
        {"below 1000", eight([](CounterRng& r) { return r.below(1000); })},
        {"exponential", eight([](CounterRng& r) { return r.exponential(); })},
        {"binomial 12 0.3 (counting)", eight([](CounterRng& r) { return binomial(12, 0.3, r); })},
        {"binomial 430 0.03 (inversion)", eight([](CounterRng& r) { return binomial(430, 0.03, r); })},
        {"binomial 200 0.9 (complement)", eight([](CounterRng& r) { return binomial(200, 0.9, r); })},
        {"binomial 5000 0.2 (BTRD)", eight([](CounterRng& r) { return binomial(5000, 0.2, r); })},
        {"binomial 3000000 0.45 (BTRD)", eight([](CounterRng& r) { return binomial(3'000'000, 0.45, r); })},
        {"poisson 3 (inversion)", eight([](CounterRng& r) { return poisson(3.0, r); })},
        {"poisson 500 (PTRD)", eight([](CounterRng& r) { return poisson(500.0, r); })},
        {"poisson 2e7 (PTRD)", eight([](CounterRng& r) { return poisson(2e7, r); })},
        {"standard normal", eight([](CounterRng& r) { return standard_normal(r); })},
    };
}

/// The draws the cases must give (17 significant digits).
inline std::vector<std::vector<double>> expected() {
    return {
        {0.072669474291615188, 0.2822848946088925, 0.33128739299718291, 0.38432442292105407, 0.079916330403648317, 0.73069505614694208, 0.65943927818443626, 0.7292031649267301},  // uniform
        {72, 282, 331, 384, 79, 730, 659, 729},  // below 1000
        {2.6218338685669731, 1.2648384534472905, 1.1047690235328855, 0.9562682317235226, 2.526775061566271, 0.31375906612144067, 0.41636538356645103, 0.31580289591451638},  // exponential
        {4, 3, 1, 3, 3, 2, 3, 3},  // binomial 12 0.3 (counting)
        {8, 11, 11, 12, 8, 15, 14, 15},  // binomial 430 0.03 (inversion)
        {186, 183, 182, 181, 186, 177, 178, 177},  // binomial 200 0.9 (complement)
        {967, 992, 996, 1001, 968, 1048, 1031, 1047},  // binomial 5000 0.2 (BTRD)
        {1348981, 1349698, 1349832, 1349973, 1349016, 1351093, 1350776, 1351084},  // binomial 3000000 0.45 (BTRD)
        {1, 2, 2, 2, 1, 4, 4, 4},  // poisson 3 (inversion)
        {474, 493, 497, 501, 475, 538, 525, 537},  // poisson 500 (PTRD)
        {19994689, 19998390, 19999081, 19999806, 19994873, 20005465, 20003902, 20005425},  // poisson 2e7 (PTRD)
        {0.75543059072430119, -0.22969457683929262, -1.6146593983880129, 0.16007885416614695, 0.71443358567543758, 0.04916481752449673, 1.9134769784001888, 2.0618590064904776},  // standard normal
    };
}

}  // namespace cartsim::agents::kat
