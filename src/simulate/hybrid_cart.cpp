// HybridTumour's CAR-T products as agents: hand-overs between agents and the ODE, infusions and
// lymphodepletion of a product, and the leaps of its agents between their pools.

#include "src/simulate/hybrid_tumour.hpp"

#include <algorithm>
#include <cmath>

#include "src/simulate/hybrid_internal.hpp"

namespace cartsim::simulate {

using namespace hybrid_detail;

void HybridTumour::write_cart_agents(std::size_t product, patient::State& x) const {
    for (std::size_t k = 0; k < patient::StateLayout::kCarTPools; ++k)
        x[model_.layout().cart(product, static_cast<patient::CarTPool>(k))] =
            static_cast<double>(products_[product].agents.count(k));
}

void HybridTumour::cart_to_agents(std::size_t product, double t, patient::State& x) {
    std::vector<double> pools(patient::StateLayout::kCarTPools);
    for (std::size_t k = 0; k < pools.size(); ++k)
        pools[k] = pos(x[model_.layout().cart(product, static_cast<patient::CarTPool>(k))]);
    CounterRng rng(StreamKey{seed_, patient_, kCarTConversionStreams + static_cast<std::uint32_t>(product), 0, sync_count_});
    auto record = hybrid::draw_agent_counts(clones_.size() + product, t, pools, rng);
    auto& state = products_[product];
    for (std::size_t k = 0; k < pools.size(); ++k)
        for (std::uint64_t n = 0; n < record.agents_per_bin[k]; ++n) {
            Agent a;
            a.id = next_id_++;
            a.birth_day = t;
            state.agents.add(k, a);
        }
    keep_record(std::move(record));
    state.mode = Representation::Agents;
    state.agents_from = t;
    model_.set_cart_frozen(product, true);
    write_cart_agents(product, x);
}

void HybridTumour::cart_to_ode(std::size_t product, double t, patient::State& x) {
    auto& state = products_[product];
    if (t > last_sync_) step_cart_agents(last_sync_, t, x, product);  // as in to_ode
    auto record = hybrid::histogram_of(clones_.size() + product, t, state.agents);
    for (std::size_t k = 0; k < patient::StateLayout::kCarTPools; ++k)
        x[model_.layout().cart(product, static_cast<patient::CarTPool>(k))] = record.ode_cells_per_bin[k];
    state.agents.clear();
    keep_record(std::move(record));
    state.mode = Representation::Ode;
    model_.set_cart_frozen(product, false);
}

void HybridTumour::add_cart_cells(std::size_t product, patient::CarTPool pool, double cells, double t,
                                  patient::State& x) {
    auto& state = products_[product];
    const std::size_t index = model_.layout().cart(product, pool);
    if (state.mode == Representation::Agents &&
        (static_cast<double>(state.agents.size()) + cells > settings_.to_ode_above_cells || !agents_fit(cells)))
        cart_to_ode(product, t, x);
    if (state.mode == Representation::Ode) {
        x[index] += cells;
        return;
    }
    CounterRng rng(StreamKey{seed_, patient_, kCarTConversionStreams + static_cast<std::uint32_t>(product), 1, sync_count_++});
    const double whole = std::floor(cells);
    const auto n = static_cast<std::uint64_t>(whole) + (rng.uniform() < cells - whole ? 1 : 0);
    for (std::uint64_t i = 0; i < n; ++i) {
        Agent a;
        a.id = next_id_++;
        a.birth_day = t;
        state.agents.add(static_cast<std::size_t>(pool), a);
    }
    write_cart_agents(product, x);
}

void HybridTumour::keep_cart_share(std::size_t product, double share, double t, patient::State& x) {
    auto& state = products_[product];
    if (state.mode == Representation::Ode) {
        for (std::size_t k = 0; k < patient::StateLayout::kCarTPools; ++k)
            x[model_.layout().cart(product, static_cast<patient::CarTPool>(k))] *= share;
        return;
    }
    CounterRng rng(StreamKey{seed_, patient_, kCarTConversionStreams + static_cast<std::uint32_t>(product), 2, sync_count_++});
    for (std::size_t k = 0; k < state.agents.bins(); ++k) {
        const auto& members = state.agents.bin(k);
        for (std::size_t i = members.size(); i-- > 0;)
            if (rng.uniform() >= share) state.agents.take(k, i);
    }
    write_cart_agents(product, x);
    (void)t;
}

bool HybridTumour::step_cart_agents(double t0_all, double t1, const patient::State& x, std::size_t only) {
    constexpr std::size_t pools = patient::StateLayout::kCarTPools;
    bool changed = false;
    for (std::size_t p = 0; p < products_.size(); ++p) {
        auto& state = products_[p];
        const double t0 = std::max(t0_all, state.agents_from);
        if ((only != kAll && p != only) || state.mode != Representation::Agents || state.agents.size() == 0 ||
            !(t1 > t0))
            continue;
        const patient::CarTRates r = model_.cart_rates(x, p, t0);  // x: the state at the leap's start
        hybrid::BinChannels& channels = cart_channels_;
        channels.resize(pools);
        const std::size_t effector = static_cast<std::size_t>(patient::CarTPool::EffectorMarrow);
        for (std::size_t from = 0; from < pools; ++from) {
            channels[from].clear();
            channels[from].push_back({hybrid::ChannelKind::Division, r.division[from], effector});
            channels[from].push_back({hybrid::ChannelKind::Death, r.death[from], from});
            for (std::size_t to = 0; to < pools; ++to)
                if (r.move[from][to] > 0.0) channels[from].push_back({hybrid::ChannelKind::Move, r.move[from][to], to});
        }
        const auto leap = hybrid::step(state.agents, channels, t0, t1,
                                       StreamKey{seed_, patient_, kCarTStreams + static_cast<std::uint32_t>(p), 0, 0},
                                       state.steps, next_id_, {}, {settings_.max_hazard_per_leap}, &workspace_);
        state.steps += static_cast<std::uint32_t>(leap.leaps);
        stats_ += leap;
        changed = true;
    }
    return changed;
}

double HybridTumour::cart_cells(std::size_t product, const patient::State& x) const {
    double cells = 0.0;
    for (std::size_t k = 0; k < patient::StateLayout::kCarTPools; ++k)
        cells += pos(x[model_.layout().cart(product, static_cast<patient::CarTPool>(k))]);
    return cells;
}

bool HybridTumour::cart_agents() const {
    for (const auto& p : products_)
        if (p.mode == Representation::Agents && p.agents.size() > 0) return true;
    return false;
}

}  // namespace cartsim::simulate
