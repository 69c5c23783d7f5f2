// HybridTumour's mutants and lineages: mutant cells drawn from ODE clones and placed in their target
// clone, each founding event a lineage, and the lineages' sizes, peaks and extinction days.

#include "src/simulate/hybrid_tumour.hpp"

#include <algorithm>

#include "solvers/agents/random_counts.hpp"
#include "src/simulate/hybrid_internal.hpp"

namespace cartsim::simulate {

using namespace hybrid_detail;

std::uint32_t HybridTumour::found_lineage(std::size_t clone, std::size_t parent_clone, double day, std::uint64_t cell) {
    // Beyond the bound every founding event of a clone joins that clone's pooled record.
    const bool pooled = lineages_.size() >= static_cast<std::size_t>(settings_.max_lineages);
    if (pooled) {
        ++bounds_.lineage_bound_hits;
        if (pooled_lineage_.empty()) {
            pooled_lineage_.assign(clones_.size(), -1);
            pooled_events_.assign(clones_.size(), 0);
        }
        ++pooled_events_[clone];
        if (pooled_lineage_[clone] >= 0) return static_cast<std::uint32_t>(pooled_lineage_[clone]);
        cell = 0;
        parent_clone = clones_.size();  // founding events of several parents: none named
    }
    Lineage record;
    record.clone = static_cast<std::uint16_t>(clone);
    if (parent_clone < clones_.size()) record.parent_clone = static_cast<std::uint16_t>(parent_clone);
    record.founding_day = day;
    record.founding_cell = cell;
    lineages_.push_back(record);
    const auto id = static_cast<std::uint32_t>(lineages_.size() - 1);
    if (pooled) pooled_lineage_[clone] = id;
    return id;
}

std::vector<LineageRecord> HybridTumour::lineages() const {
    std::vector<LineageRecord> out(lineages_.size());
    for (std::size_t l = 0; l < lineages_.size(); ++l) {
        const Lineage& in = lineages_[l];
        LineageRecord& r = out[l];
        r.id = static_cast<std::uint32_t>(l);
        r.clone = in.clone;
        r.parent_clone = in.parent_clone == 0xFFFF ? -1 : static_cast<std::int32_t>(in.parent_clone);
        r.founding_day = in.founding_day;
        if (in.founding_cell) r.founding_cell = in.founding_cell;
        r.peak_cells = in.peak_cells;
        if (in.extinction_day >= 0.0) r.extinction_day = in.extinction_day;
        r.cells = in.cells;
    }
    for (std::size_t c = 0; c < pooled_lineage_.size(); ++c)
        if (pooled_lineage_[c] >= 0) out[static_cast<std::size_t>(pooled_lineage_[c])].founding_events = pooled_events_[c];
    for (const auto& state : clones_)  // lineages held in the ODE now: their shares of the clone
        for (const auto& [lineage, share] : state.ode_lineage_shares) {
            LineageRecord& r = out[lineage];
            r.cells = share * state.ode_cells;
            r.peak_cells = std::max(r.peak_cells, share * state.ode_peak_cells);
        }
    return out;
}

void HybridTumour::place_mutant(std::size_t route_index, Agent cell, std::size_t bin_hint, double t, patient::State& x) {
    const auto& route = model_.clone_set().routes[route_index];
    const auto& set = model_.clone_set();
    // One allele fewer: half the BCMA density (none left: no BCMA), or no GPRC5D at all.
    if (route.antigen == Antigen::Bcma) {
        const int before = set.clones[route.from].expression.bcma.alleles;
        const int after = set.clones[route.to].expression.bcma.alleles;
        float& d = cell.attributes[index(Antigen::Bcma)];
        d = static_cast<float>(after == 0 ? 0.0 : d * double(after) / double(before));
    } else if (route.antigen != Antigen::Count) {  // Count: to the faster copy, every antigen kept
        cell.attributes[index(route.antigen)] = 0.0f;
    }
    cell.lineage = found_lineage(route.to, route.from, cell.birth_day, cell.id);
    auto& target = clones_[route.to];
    const std::size_t bin = bin_of(cell.attributes[index(Antigen::Bcma)], bin_hint);
    if (target.mode == Representation::Agents && !agents_fit(1.0)) to_ode(route.to, t, x);
    if (target.mode == Representation::Agents) {
        target.agents.add(bin, cell);
        gain_cell(cell.lineage);
    } else {
        // A large clone absorbs the cell; its lineage cannot be followed inside the ODE.
        x[model_.layout().tumour(route.to, bin)] += 1.0;
        lineages_[cell.lineage].peak_cells = 1.0;
        lineages_[cell.lineage].cells = 1.0;
    }
}

bool HybridTumour::draw_ode_mutants(double t0, double t1, patient::State& x, const patient::TumourRates& rates) {
    const auto& layout = model_.layout();
    bool placed = false;
    const auto& routes = model_.clone_set().routes;
    for (std::size_t r = 0; r < routes.size(); ++r) {
        const auto& route = routes[r];
        if (clones_[route.from].mode != Representation::Ode || clones_[route.to].mode != Representation::Agents) continue;
        std::vector<double>& divisions = division_scratch_;
        divisions.assign(layout.bins(), 0.0);
        double total = 0.0;
        for (std::size_t k = 0; k < layout.bins(); ++k) {
            const std::size_t i = layout.tumour(route.from, k);
            divisions[k] = rates.division[i] * pos(x[i]);
            total += divisions[k];
        }
        const double mean = route.per_division * total * (t1 - t0);
        if (mean <= 0.0) continue;
        CounterRng rng(StreamKey{seed_, patient_, kMutantStreams + static_cast<std::uint32_t>(r), 0, sync_count_});
        const std::uint64_t mutants = agents::poisson(mean, rng);
        placed = placed || mutants > 0;
        // A cell losing its last BCMA allele needs no density drawn (most mutants of the escape example).
        const bool loses_bcma =
            route.antigen == Antigen::Bcma && model_.clone_set().clones[route.to].expression.bcma.alleles == 0;
        for (std::uint64_t m = 0; m < mutants; ++m) {
            double u = rng.uniform() * total;
            std::size_t k = 0;
            while (k + 1 < divisions.size() && u >= divisions[k]) u -= divisions[k++];
            const double day = t0 + rng.uniform() * (t1 - t0);
            // The source clone gives up nothing here: its rate law already adds no cell for a division
            // that founds a mutant (births x (1 - mutation share)); only the mutant is new.
            Agent cell = new_cell(route.from, loses_bcma ? 0 : k, rng, day);
            place_mutant(r, cell, k, t1, x);
        }
    }
    return placed;
}

void HybridTumour::gain_cell(std::uint32_t lineage) {
    auto& record = lineages_[lineage];
    record.cells = static_cast<double>(++record.agents);
    record.peak_cells = std::max(record.peak_cells, record.cells);
}

void HybridTumour::lose_cell(std::uint32_t lineage, double day) {
    auto& record = lineages_[lineage];
    record.cells = static_cast<double>(--record.agents);
    if (record.agents == 0) record.extinction_day = day;
}

void HybridTumour::update_lineage_sizes(double t, const patient::State& x) {
    for (std::size_t c = 0; c < clones_.size(); ++c) {
        auto& state = clones_[c];
        if (state.mode != Representation::Ode) continue;
        state.ode_cells = model_.clone_cells(x, c);
        state.ode_peak_cells = std::max(state.ode_peak_cells, state.ode_cells);
    }
    (void)t;
}

void HybridTumour::fold_ode_lineages(std::size_t clone) {
    auto& state = clones_[clone];
    for (const auto& [lineage, share] : state.ode_lineage_shares) {
        auto& record = lineages_[lineage];
        record.cells = share * state.ode_cells;
        record.peak_cells = std::max(record.peak_cells, share * state.ode_peak_cells);
    }
    state.ode_cells = state.ode_peak_cells = 0.0;
}

std::vector<std::pair<std::uint32_t, double>> HybridTumour::lineage_counts(std::size_t clone) const {
    // Every lineage belongs to one clone, and its record counts its agents.
    std::vector<std::pair<std::uint32_t, double>> counts;
    for (std::size_t l = 0; l < lineages_.size(); ++l)
        if (std::size_t{lineages_[l].clone} == clone && lineages_[l].agents > 0)
            counts.push_back({static_cast<std::uint32_t>(l), static_cast<double>(lineages_[l].agents)});
    return counts;
}

std::optional<std::uint32_t> HybridTumour::largest_lineage(std::size_t clone) const {
    const auto& state = clones_[clone];
    std::optional<std::uint32_t> best;
    double best_cells = 0.0;
    if (state.mode == Representation::Ode) {
        for (const auto& [lineage, share] : state.ode_lineage_shares)
            if (share > best_cells) best = lineage, best_cells = share;
        return best;
    }
    const auto counts = lineage_counts(clone);
    for (const auto& [lineage, count] : counts)
        if (count > best_cells) best = lineage, best_cells = count;
    return best;
}

}  // namespace cartsim::simulate
