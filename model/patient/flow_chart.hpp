#pragma once
// A room's flow chart as data: each flow names its source and target compartment (none: outside the
// model, a birth or a death) and a room computes only the amounts [units per day]. apply_flows then
// moves every amount from source to target, so flows inside the chart conserve cells by construction
// and a test can read the chart (MEmilio's Flow<Source, Target> lists).

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "model/patient/rate_context.hpp"

namespace cartsim::patient {

template <class Pool>
struct Flow {
    std::optional<Pool> from;  // none: enters from outside the model (production, recruitment, dosing)
    std::optional<Pool> to;    // none: leaves the model (death, clearance, catabolism)
    std::string_view what;
};

/// Adds every flow of `chart` with its amount to dxdt, in chart order; `index(pool)` is the state index.
template <class Pool, std::size_t N, class Index>
void apply_flows(const std::array<Flow<Pool>, N>& chart, const std::array<double, N>& amounts, Index index,
                 State& dxdt) {
    for (std::size_t f = 0; f < N; ++f) {
        if (chart[f].from) dxdt[index(*chart[f].from)] -= amounts[f];
        if (chart[f].to) dxdt[index(*chart[f].to)] += amounts[f];
    }
}

}  // namespace cartsim::patient
