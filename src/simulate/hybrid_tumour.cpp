// HybridTumour's core (declared in hybrid_tumour.hpp): construction, the agent grid (advance_to), the
// synchronisation with the ODE state, and the tumour clones' agents. CAR-T products as agents live in
// hybrid_cart.cpp; mutants and lineages in hybrid_lineage.cpp.

#include "src/simulate/hybrid_tumour.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "solvers/agents/random_counts.hpp"
#include "src/simulate/hybrid_internal.hpp"

namespace cartsim::simulate {

using namespace hybrid_detail;

HybridTumour::HybridTumour(patient::MyelomaModel& model, const HybridSettings& settings, std::uint64_t seed,
                           std::uint32_t patient)
    : model_(model), settings_(settings), seed_(seed), patient_(patient) {
    clones_.resize(model_.layout().clones());
    for (auto& c : clones_) c.agents = agents::BinnedPopulation(model_.layout().bins());
    lineages_.reserve(1 << 14);
    products_.resize(model_.layout().cart_products());
    for (std::size_t k = 0; k < model_.grid().size(); ++k)
        log_upper_edges_.push_back(std::log(model_.grid().upper_edge(k)));
}

std::size_t HybridTumour::total_agents() const {
    std::size_t total = 0;
    for (const auto& c : clones_)
        if (c.mode == Representation::Agents) total += c.agents.size();
    for (const auto& p : products_)
        if (p.mode == Representation::Agents) total += p.agents.size();
    return total;
}

bool HybridTumour::agents_fit(double cells) {
    if (static_cast<double>(total_agents()) + cells <= static_cast<double>(settings_.max_agents)) return true;
    ++bounds_.agent_bound_hits;
    return false;
}

void HybridTumour::note_peak_agents() {
    bounds_.peak_agents = std::max(bounds_.peak_agents, static_cast<std::int64_t>(total_agents()));
}

HybridBounds HybridTumour::bounds() const {
    HybridBounds b = bounds_;
    b.lineage_records = static_cast<std::int64_t>(lineages_.size());
    return b;
}

void HybridTumour::keep_record(hybrid::ToAgentsRecord&& record) {
    ++to_agents_count_;
    if (to_agents_.size() < settings_.kept_switch_records) to_agents_.push_back(std::move(record));
}

void HybridTumour::keep_record(hybrid::ToOdeRecord&& record) {
    ++to_ode_count_;
    if (to_ode_.size() < settings_.kept_switch_records) to_ode_.push_back(std::move(record));
}

bool HybridTumour::any_agents() const {
    for (const auto& c : clones_)
        if (c.mode == Representation::Agents && c.agents.size() > 0) return true;
    for (const auto& p : products_)
        if (p.mode == Representation::Agents && p.agents.size() > 0) return true;
    return false;
}

std::size_t HybridTumour::bin_of(double density, std::size_t hint) const {
    // A local search from the hint: a daughter's density lies near its mother's bin.
    const auto& grid = model_.grid();
    if (density <= 0.0) return 0;
    const std::size_t last = grid.size() - 1;
    std::size_t k = std::clamp<std::size_t>(hint, 1, last);
    while (k > 1 && density < grid.upper_edge(k - 1)) --k;
    while (k < last && density >= grid.upper_edge(k)) ++k;
    return k;
}

float HybridTumour::density_in_bin(double density, std::size_t bin) const {
    // Stored as float: rounding must not carry a cell over an edge of its bin.
    const double lower = model_.grid().lower_edge(bin), upper = model_.grid().upper_edge(bin);
    auto d = static_cast<float>(std::clamp(density, lower, upper));
    while (static_cast<double>(d) >= upper) d = std::nextafter(d, 0.0f);
    while (static_cast<double>(d) < lower) d = std::nextafter(d, std::numeric_limits<float>::infinity());
    return d;
}

Agent HybridTumour::new_cell(std::size_t clone, std::size_t bin, CounterRng& rng, double day) {
    const auto& expression = model_.clone_set().clones[clone].expression;
    Agent a;
    a.id = next_id_++;
    a.birth_day = day;
    // BCMA: log-uniform inside the bin, so the histogram is kept exactly.
    if (bin > 0) {
        const double lo = log_upper_edges_[bin - 1], hi = log_upper_edges_[bin];
        a.attributes[index(Antigen::Bcma)] = density_in_bin(std::exp(lo + (hi - lo) * rng.uniform()), bin);
    }
    // The other antigens act through the clone's mean recognition, so a cell carries its clone's median.
    for (Antigen antigen : {Antigen::Gprc5d, Antigen::Fcrh5, Antigen::Cd38}) {
        const auto& e = expression.expression(antigen);
        a.attributes[index(antigen)] = static_cast<float>(e.allele_median_molecules_per_cell());
    }
    return a;
}

void HybridTumour::write_agents(std::size_t clone, patient::State& x) const {
    const auto& layout = model_.layout();
    for (std::size_t k = 0; k < layout.bins(); ++k)
        x[layout.tumour(clone, k)] = static_cast<double>(clones_[clone].agents.count(k));
}

void HybridTumour::to_agents(std::size_t clone, double t, patient::State& x) {
    const auto& layout = model_.layout();
    auto& state = clones_[clone];
    std::vector<double> bins(layout.bins());
    for (std::size_t k = 0; k < bins.size(); ++k) bins[k] = pos(x[layout.tumour(clone, k)]);
    CounterRng rng(StreamKey{seed_, patient_, kConversionStreams + static_cast<std::uint32_t>(clone), 0, sync_count_});
    auto record = hybrid::draw_agent_counts(clone, t, bins, rng);
    fold_ode_lineages(clone);
    // The cell's lineage: drawn by the lineages' shares of the clone (a clone may hold thousands of
    // lineages: a binary search in their running sum, not a scan per cell).
    const auto& shares = state.ode_lineage_shares;
    std::vector<double> running(shares.size());
    double sum = 0.0;
    for (std::size_t l = 0; l < shares.size(); ++l) running[l] = sum += shares[l].second;
    for (std::size_t k = 0; k < bins.size(); ++k) {
        for (std::uint64_t n = 0; n < record.agents_per_bin[k]; ++n) {
            Agent a = new_cell(clone, k, rng, t);
            const double u = rng.uniform();
            const auto l = static_cast<std::size_t>(std::upper_bound(running.begin(), running.end(), u) - running.begin());
            a.lineage = shares.empty() ? 0 : shares[std::min(l, shares.size() - 1)].first;
            gain_cell(a.lineage);
            state.agents.add(k, a);
        }
    }
    keep_record(std::move(record));
    state.mode = Representation::Agents;
    state.agents_from = t;  // the ODE carried the clone up to t: the agents take over from there
    state.ode_lineage_shares.clear();
    model_.set_frozen(clone, true);
    write_agents(clone, x);
}

void HybridTumour::to_ode(std::size_t clone, double t, patient::State& x) {
    const auto& layout = model_.layout();
    auto& state = clones_[clone];
    // At a synchronisation past the last grid point: the agents first live up to t (at the rates of
    // x), as the ODE takes the clone over from t on.
    if (t > last_sync_) step_tumour_agents(last_sync_, t, model_.tumour_rates(x, t), clone);
    auto record = hybrid::histogram_of(clone, t, state.agents);
    for (std::size_t k = 0; k < layout.bins(); ++k) x[layout.tumour(clone, k)] = record.ode_cells_per_bin[k];
    // The lineages keep their shares of the clone from now on.
    auto counts = lineage_counts(clone);
    const double total = static_cast<double>(state.agents.size());
    for (auto& [lineage, count] : counts) {
        lineages_[lineage].agents -= static_cast<std::int32_t>(count);
        count /= total;
    }
    state.ode_lineage_shares = std::move(counts);
    state.ode_cells = state.ode_peak_cells = 0.0;
    state.agents.clear();
    keep_record(std::move(record));
    state.mode = Representation::Ode;
    model_.set_frozen(clone, false);
}

void HybridTumour::initialise(double t, patient::State& x) {
    last_sync_ = t;
    reference_.clear();
    last_mutant_draw_ = t;
    const auto& set = model_.clone_set();
    for (std::size_t c = 0; c < clones_.size(); ++c) {
        if (set.clones[c].parent < 0)
            clones_[c].ode_lineage_shares = {{found_lineage(c, clones_.size(), t, 0), 1.0}};
        const double cells = model_.clone_cells(x, c);
        if (cells < settings_.to_agents_below_cells && agents_fit(cells)) to_agents(c, t, x);
    }
    for (std::size_t p = 0; p < products_.size(); ++p)
        if (agents_fit(cart_cells(p, x))) cart_to_agents(p, t, x);
    update_lineage_sizes(t, x);
    note_peak_agents();
    set_reference(t, x);
}

void HybridTumour::bin_channels(std::size_t clone, std::size_t k, const patient::TumourRates& rates,
                                std::vector<hybrid::Channel>& ch) const {
    const auto& layout = model_.layout();
    const std::size_t i = layout.tumour(clone, k);
    ch.clear();
    ch.push_back({hybrid::ChannelKind::Division, rates.division[i], k});
    ch.push_back({hybrid::ChannelKind::Death, rates.death[i], k});
    if (k >= 1 && k + 1 < layout.bins()) ch.push_back({hybrid::ChannelKind::Move, rates.drift_up[i], k + 1});
    if (k >= 2) ch.push_back({hybrid::ChannelKind::Move, rates.drift_down[i - 1] + rates.strip[i], k - 1});
}

void HybridTumour::fill_channels(std::size_t clone, const patient::TumourRates& rates) {
    auto& channels = clones_[clone].channels;
    channels.resize(model_.layout().bins());
    for (std::size_t k = 0; k < channels.size(); ++k) bin_channels(clone, k, rates, channels[k]);
}

bool HybridTumour::step_tumour_agents(double t0_all, double t, const patient::TumourRates& rates, std::size_t only) {
    const auto& routes = model_.clone_set().routes;
    const double step_factor = model_.grid().upper_edge(1) / model_.grid().lower_edge(1);
    bool changed = false;
    for (std::size_t c = 0; c < clones_.size(); ++c) {
        auto& state = clones_[c];
        const double t0 = std::max(t0_all, state.agents_from);
        if ((only != kAll && c != only) || state.mode != Representation::Agents || state.agents.size() == 0 || !(t > t0))
            continue;
        const auto died = [&](const Agent& a, double day) { lose_cell(a.lineage, day); };
        const auto moved = [&](Agent& a, std::size_t from, std::size_t to) {
            float& d = a.attributes[index(Antigen::Bcma)];
            d = density_in_bin(d * (to > from ? step_factor : 1.0 / step_factor), to);
        };
        const bool mutates = std::any_of(routes.begin(), routes.end(), [&](const auto& r) { return r.from == c; });
        const auto divided = [&](const Agent&, Agent& daughter, std::size_t default_bin, CounterRng& rng, bool& keep) {
            if (mutates) {  // clones without routes draw nothing here
                double u = rng.uniform();
                for (std::size_t r = 0; r < routes.size(); ++r) {
                    if (routes[r].from != c) continue;
                    if (u < routes[r].per_division) {
                        keep = false;
                        mutants_.push_back({r, daughter});
                        return default_bin;
                    }
                    u -= routes[r].per_division;
                }
            }
            if (default_bin == 0) {  // no BCMA: nothing for the noise to act on
                gain_cell(daughter.lineage);
                return std::size_t{0};
            }
            float& d = daughter.attributes[index(Antigen::Bcma)];
            if (settings_.division_noise_sigma_log > 0.0)
                d = static_cast<float>(d * std::exp(settings_.division_noise_sigma_log * agents::standard_normal(rng)));
            const std::size_t bin = std::max<std::size_t>(1, bin_of(d, default_bin));
            gain_cell(daughter.lineage);
            return bin;
        };
        hybrid::LeapCallbacks cb{died, moved, divided};
        fill_channels(c, rates);
        const auto leap = hybrid::step(state.agents, state.channels, t0, t,
                                       StreamKey{seed_, patient_, static_cast<std::uint32_t>(c), 0, 0}, state.steps,
                                       next_id_, cb, {settings_.max_hazard_per_leap}, &workspace_);
        state.steps += static_cast<std::uint32_t>(leap.leaps);
        stats_ += leap;
        changed = true;
    }
    return changed;
}

void HybridTumour::advance_to(double t, const patient::State& x) {
    if (!(t > last_sync_)) return;
    // The rest of the model as the agents see it: the ODE state between the start of this stretch
    // (reference_, kept at the last grid point or event) and its end (x), interpolated linearly, so
    // that rates follow the ODE within a grid step instead of jumping to its end (first order in the
    // grid step: CAR-T agents expanding under a decaying lymphodepletion cytokine fell 3-6% behind the
    // ODE with the end state; tests/src/simulate/test_hybrid_accuracy.cpp).
    const double start = last_sync_, span = t - start;
    const bool have_reference = reference_.size() == x.size();
    const auto state_at = [&](double tau) -> patient::State& {
        leap_state_.resize(x.size());
        const double w = have_reference ? (tau - start) / span : 1.0;
        for (std::size_t i = 0; i < x.size(); ++i)
            leap_state_[i] = have_reference ? reference_[i] + w * (x[i] - reference_[i]) : x[i];
        write_agent_counts(leap_state_);
        return leap_state_;
    };
    double t0 = start;
    bool fresh = false;
    while (t0 < t && any_agents()) {
        // Tumour agents barely change their own rates within a grid step: theirs come from the state at
        // its middle. CAR-T agents do (their stimulation per cell), so with CAR-T agents every rate is
        // recomputed before each leap from the state at the leap's start.
        const bool cart = cart_agents();
        if (!fresh || cart) {
            const double at = cart ? t0 : start + 0.5 * span;
            rates_ = model_.tumour_rates(state_at(at), at);
            fresh = true;
        }
        // Rates held for the whole grid step: each population takes the leaps its own rates need
        // (hybrid::step bounds them), instead of all taking those of the fastest.
        const double fastest = cart ? fastest_agent_rate(leap_state_, rates_, t0) : 0.0;
        const double h = fastest > 0.0 ? std::min(t - t0, settings_.max_hazard_per_leap / fastest) : t - t0;
        const bool tumour_changed = step_tumour_agents(t0, t0 + h, rates_);
        const bool cart_changed = step_cart_agents(t0, t0 + h, leap_state_);
        agents_ahead_of_ode_ = agents_ahead_of_ode_ || tumour_changed || cart_changed;
        t0 += h;
        note_peak_agents();
        if (bounds_.peak_agents > 2 * static_cast<std::int64_t>(settings_.max_agents)) {
            std::ostringstream text;
            text.precision(4);
            text << "the agents grew to " << bounds_.peak_agents << " between two synchronisations (by day " << t0
                 << "), more than twice hybrid.max_agents = " << settings_.max_agents
                 << "; lower hybrid.max_sync_days or hybrid.to_ode_above_cells, or raise hybrid.max_agents";
            throw HybridLimitExceeded(text.str());
        }
    }
    last_sync_ = t;
    set_reference(t, x);
}

void HybridTumour::set_reference(double t, const patient::State& x) {
    if (t == last_sync_) reference_ = x;
}

double HybridTumour::fastest_agent_rate(const patient::State& x, const patient::TumourRates& rates, double t) const {
    const auto& layout = model_.layout();
    double fastest = 0.0;
    for (std::size_t c = 0; c < clones_.size(); ++c) {
        if (clones_[c].mode != Representation::Agents) continue;
        for (std::size_t k = 0; k < layout.bins(); ++k) {
            if (clones_[c].agents.count(k) == 0) continue;
            bin_channels(c, k, rates, scratch_channels_);  // the bin's own channels, drift included
            double total = 0.0;
            for (const auto& ch : scratch_channels_) total += ch.rate_per_day;
            fastest = std::max(fastest, total);
        }
    }
    for (std::size_t p = 0; p < products_.size(); ++p) {
        if (products_[p].mode != Representation::Agents || products_[p].agents.size() == 0) continue;
        const patient::CarTRates r = model_.cart_rates(x, p, t);
        for (std::size_t from = 0; from < patient::StateLayout::kCarTPools; ++from) {
            if (products_[p].agents.count(from) == 0) continue;
            double total = r.division[from] + r.death[from];
            for (double m : r.move[from]) total += m;
            fastest = std::max(fastest, total);
        }
    }
    return fastest;
}

void HybridTumour::write_agent_counts(patient::State& x) const {
    for (std::size_t c = 0; c < clones_.size(); ++c)
        if (clones_[c].mode == Representation::Agents) write_agents(c, x);
    for (std::size_t p = 0; p < products_.size(); ++p)
        if (products_[p].mode == Representation::Agents) write_cart_agents(p, x);
}

bool HybridTumour::synchronise(double t, patient::State& x) {
    if (!(t > last_mutant_draw_)) return false;
    // The agents themselves were advanced on their grid (advance_to); here their counts reach the ODE
    // state, mutants of ODE clones are drawn for the step, and representations switch.
    // The rates serve only the mutants of ODE clones founding in agent clones: a synchronisation with
    // no such route computes none.
    const auto& routes = model_.clone_set().routes;
    const bool draws = std::any_of(routes.begin(), routes.end(), [&](const auto& r) {
        return clones_[r.from].mode == Representation::Ode && clones_[r.to].mode == Representation::Agents;
    });
    if (draws) rates_ = model_.tumour_rates(x, t);  // a copy (reusing its capacity): the model's scratch is reused
    const patient::TumourRates& rates = rates_;
    bool changed = agents_ahead_of_ode_;
    agents_ahead_of_ode_ = false;
    changed = changed || !mutants_.empty();
    for (auto& [route, cell] : mutants_) place_mutant(route, cell, 1, t, x);
    mutants_.clear();
    if (draws) changed = draw_ode_mutants(last_mutant_draw_, t, x, rates) || changed;

    for (std::size_t c = 0; c < clones_.size(); ++c) {
        auto& state = clones_[c];
        if (state.mode == Representation::Agents) write_agents(c, x);
        const double cells = state.mode == Representation::Agents ? static_cast<double>(state.agents.size())
                                                                  : model_.clone_cells(x, c);
        auto next = hybrid::next_representation(
            state.mode, cells, {settings_.to_agents_below_cells, settings_.to_ode_above_cells});
        if (next == Representation::Agents && state.mode == Representation::Ode && !agents_fit(cells))
            next = Representation::Ode;  // over hybrid.max_agents: it stays in the ODE
        if (next == state.mode) continue;
        if (next == Representation::Agents)
            to_agents(c, t, x);
        else
            to_ode(c, t, x);
        changed = true;
    }
    for (std::size_t p = 0; p < products_.size(); ++p) {
        auto& state = products_[p];
        double cells = 0.0;
        if (state.mode == Representation::Agents) {
            write_cart_agents(p, x);
            cells = static_cast<double>(state.agents.size());
        } else {
            cells = cart_cells(p, x);
        }
        auto next = hybrid::next_representation(
            state.mode, cells, {settings_.to_agents_below_cells, settings_.to_ode_above_cells});
        if (next == Representation::Agents && state.mode == Representation::Ode && !agents_fit(cells))
            next = Representation::Ode;
        if (next == state.mode) continue;
        if (next == Representation::Agents)
            cart_to_agents(p, t, x);
        else
            cart_to_ode(p, t, x);
        changed = true;
    }
    // Over the bound after the hand-overs (mutants placed in an agent clone): the largest agent
    // populations return to the ODE until the rest fit.
    while (total_agents() > static_cast<std::size_t>(settings_.max_agents)) {
        std::size_t largest = 0, largest_size = 0;
        bool cart = false;
        for (std::size_t c = 0; c < clones_.size(); ++c)
            if (clones_[c].mode == Representation::Agents && clones_[c].agents.size() > largest_size)
                largest = c, largest_size = clones_[c].agents.size(), cart = false;
        for (std::size_t p = 0; p < products_.size(); ++p)
            if (products_[p].mode == Representation::Agents && products_[p].agents.size() > largest_size)
                largest = p, largest_size = products_[p].agents.size(), cart = true;
        ++bounds_.agent_bound_hits;
        if (cart)
            cart_to_ode(largest, t, x);
        else
            to_ode(largest, t, x);
        changed = true;
    }
    note_peak_agents();
    update_lineage_sizes(t, x);
    last_mutant_draw_ = t;
    ++sync_count_;
    return changed;
}

void HybridTumour::kill_share(double t, patient::State& x, const std::vector<double>& shares) {
    for (std::size_t c = 0; c < clones_.size(); ++c) {
        auto& state = clones_[c];
        if (state.mode != Representation::Agents) continue;
        const double share = shares[c];
        CounterRng rng(StreamKey{seed_, patient_, kKillStreams + static_cast<std::uint32_t>(c), 0, sync_count_});
        for (std::size_t k = 0; k < state.agents.bins(); ++k) {
            const auto& members = state.agents.bin(k);
            for (std::size_t i = members.size(); i-- > 0;) {
                if (rng.uniform() >= share) continue;
                lose_cell(state.agents.take(k, i).lineage, t);
            }
        }
        write_agents(c, x);
    }
    ++sync_count_;
}

}  // namespace cartsim::simulate
