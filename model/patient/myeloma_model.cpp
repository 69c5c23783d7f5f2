#include "model/patient/myeloma_model.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cartsim::patient {
namespace {

double pos(double v) { return v > 0.0 ? v : 0.0; }

RecognitionTable build_table(const std::vector<Antigen>& targets, const BinderAffinity& binder,
                             const tumour::CloneSet& clones, const tumour::DensityGrid& grid, double gsi_fold) {
    RecognitionTable table;
    table.targets_bcma = std::find(targets.begin(), targets.end(), Antigen::Bcma) != targets.end();
    for (int gsi = 0; gsi < 2; ++gsi) {
        auto& by_bin = table.bcma_by_bin[gsi];
        by_bin.assign(grid.size(), 0.0);
        if (!table.targets_bcma) continue;
        for (std::size_t k = 0; k < grid.size(); ++k)
            by_bin[k] = recognition(binder, grid.centre(k) * (gsi ? gsi_fold : 1.0));
    }
    for (const auto& clone : clones.clones) {
        double missed = 1.0;
        for (Antigen a : targets) {
            if (a == Antigen::Bcma) continue;
            const auto& e = clone.expression.expression(a);
            const double median = e.alleles > 0 ? e.median_molecules_per_cell * e.alleles / 2.0 : 0.0;
            missed *= 1.0 - mean_recognition_lognormal(binder, median, e.sigma_log);
        }
        table.other_by_clone.push_back(1.0 - missed);
    }
    return table;
}

/// BCMA can always be lost; GPRC5D only matters (and only gets loss clones) when a therapy targets it.
std::vector<Antigen> losable_antigens(const Mechanisms& mechanisms, const TherapySlots& slots) {
    if (!mechanisms.antigen_loss) return {};
    bool gprc5d = false;
    const auto check = [&](const std::vector<Antigen>& targets) {
        gprc5d = gprc5d || std::find(targets.begin(), targets.end(), Antigen::Gprc5d) != targets.end();
    };
    for (const auto& p : slots.cart) check(p.params.targets);
    for (const auto& b : slots.bispecific) check(b.params.targets);
    for (const auto& a : slots.antibodies) check({a.target});
    if (gprc5d) return {Antigen::Bcma, Antigen::Gprc5d};
    return {Antigen::Bcma};
}

}  // namespace

MyelomaModel::MyelomaModel(const PatientParams& params, const Mechanisms& mechanisms, const TherapySlots& slots)
    : params_(params),
      mechanisms_(mechanisms),
      slots_(slots),
      grid_(params.tumour.bcma_bins, params.tumour.bcma_bin_min_molecules_per_cell,
            params.tumour.bcma_bin_max_molecules_per_cell),
      clones_(tumour::build_clone_set(params.tumour, grid_, losable_antigens(mechanisms, slots))),
      layout_(clones_.clones.size(), grid_.size(), slots.cart.size(), slots.bispecific.size()),
      cart_runtime_(slots.cart.size()),
      mprotein_(params.mprotein, mechanisms.fcrn_saturation) {
    const double fold = slots.gsi_bcma_density_fold;
    for (const auto& p : slots_.cart)
        cart_tables_.push_back(build_table(p.params.targets, p.params.binder, clones_, grid_, fold));
    for (const auto& b : slots_.bispecific)
        bispecific_tables_.push_back(build_table(b.params.targets, b.params.binder, clones_, grid_, fold));
    for (const auto& a : slots_.antibodies)
        antibody_tables_.push_back(build_table({a.target}, a.binder, clones_, grid_, fold));
    effects_.antibody_on.assign(slots_.antibodies.size(), false);

    // Drift between neighbouring bins with Metropolis rates: detailed balance holds for the clone's
    // own baseline distribution, so drift alone relaxes a clone back to it and never past it.
    const double delta = mechanisms_.phenotypic_drift ? params_.tumour.density_drift_rate_per_day : 0.0;
    for (const auto& clone : clones_.clones) {
        const auto& w = clone.baseline_bcma_weights;
        std::vector<double> up(grid_.size(), 0.0), down(grid_.size(), 0.0);
        for (std::size_t k = 1; k + 1 < grid_.size(); ++k) {
            const double lo = w[k] + 1e-12, hi = w[k + 1] + 1e-12;
            up[k] = delta * std::min(1.0, hi / lo);
            down[k] = delta * std::min(1.0, lo / hi);
        }
        drift_up_.push_back(std::move(up));
        drift_down_.push_back(std::move(down));
    }

    for (int gsi = 0; gsi < 2; ++gsi)
        for (std::size_t k = 0; k < grid_.size(); ++k) {
            const double density = grid_.centre(k) * (gsi ? slots_.gsi_bcma_density_fold : 1.0);
            april_binding_[gsi].push_back(density / (density + params_.tumour.april_half_saturation_molecules_per_cell));
        }
    mutation_share_.assign(clones_.clones.size(), 0.0);
    for (const auto& route : clones_.routes) {
        mutation_share_[route.from] += route.per_division;
        // Where the daughter cells of each source bin land: same bin (GPRC5D loss), half density
        // (one BCMA allele lost) or the zero bin (last BCMA allele lost).
        const int from_alleles = clones_.clones[route.from].expression.bcma.alleles;
        const int to_alleles = clones_.clones[route.to].expression.bcma.alleles;
        std::vector<std::vector<std::pair<std::size_t, double>>> into(grid_.size());
        for (std::size_t k = 0; k < grid_.size(); ++k) {
            if (route.antigen != Antigen::Bcma) {
                into[k].push_back({k, 1.0});
            } else if (to_alleles == 0 || k == 0) {
                into[0].push_back({k, 1.0});
            } else {
                const auto split = grid_.shift(k, double(to_alleles) / double(from_alleles));
                into[split.lower].push_back({k, split.lower_share});
                if (split.upper != split.lower) into[split.upper].push_back({k, 1.0 - split.lower_share});
            }
        }
        RouteGather gather;
        for (const auto& sources : into) {
            gather.start.push_back(gather.source.size());
            for (const auto& [source, weight] : sources) {
                gather.source.push_back(source);
                gather.weight.push_back(weight);
            }
        }
        gather.start.push_back(gather.source.size());
        route_gather_.push_back(std::move(gather));
    }

    // Production per cell balances catabolism at day 0, so the M-protein starts at its steady state.
    mprotein_per_cell_ = mprotein_.flux(params_.mprotein.initial_g_per_dl) / params_.tumour.initial_cells;

    scratch_.cart_r.assign(slots_.cart.size(), std::vector<double>(layout_.tumour_end()));
    scratch_.bispecific_r.assign(slots_.bispecific.size(), std::vector<double>(layout_.tumour_end()));
    scratch_.antibody_r.assign(slots_.antibodies.size(), std::vector<double>(layout_.tumour_end()));
    scratch_.cart_total.assign(slots_.cart.size(), 0.0);
    scratch_.cart_coef.assign(slots_.cart.size(), 0.0);
    scratch_.trogocytosis_events.assign(slots_.cart.size(), 0.0);
    scratch_.bispecific_total.assign(slots_.bispecific.size(), 0.0);
    scratch_.bispecific_occupancy.assign(slots_.bispecific.size(), 0.0);
    scratch_.bispecific_coef.assign(slots_.bispecific.size(), 0.0);
    for (auto* v : {&scratch_.rates.division, &scratch_.rates.death, &scratch_.rates.immune, &scratch_.rates.strip})
        v->assign(layout_.tumour_end(), 0.0);
    frozen_.assign(clones_.clones.size(), false);
    cart_frozen_.assign(slots_.cart.size(), false);
    scratch_.boundary_flow.assign(grid_.size(), 0.0);
}

State MyelomaModel::initial_state() const {
    State x(layout_.size(), 0.0);
    const auto& tp = params_.tumour;
    for (std::size_t c = 0; c < clones_.clones.size(); ++c) {
        const auto& clone = clones_.clones[c];
        for (std::size_t k = 0; k < grid_.size(); ++k)
            x[layout_.tumour(c, k)] = tp.initial_cells * clone.initial_fraction * clone.baseline_bcma_weights[k];
    }
    const auto& tc = params_.t_cells;
    x[layout_.compartment(Compartment::EndogenousFunctional)] = tc.homeostatic_cells * tc.baseline_functional_fraction;
    x[layout_.compartment(Compartment::EndogenousExhausted)] =
        tc.homeostatic_cells * (1.0 - tc.baseline_functional_fraction);

    // Macrophages and soluble BCMA start at their steady state for the initial tumour.
    const auto& mp = params_.macrophages;
    const double n0 = tp.initial_cells;
    const double recruit = mp.basal_recruitment_cells_per_day +
                           mp.tumour_recruitment_cells_per_day * n0 / (n0 + mp.tumour_half_saturation_cells);
    const double pol = mp.polarisation_rate_per_day * n0 / (n0 + mp.mif_half_saturation_cells);
    const double d = mp.death_rate_per_day, ret = mp.repolarisation_rate_per_day;
    const double neutral = recruit / ((d + pol) - ret * pol / (ret + d));
    x[layout_.compartment(Compartment::MacrophageNeutral)] = neutral;
    x[layout_.compartment(Compartment::MacrophageSuppressive)] = pol * neutral / (ret + d);

    double surface = 0.0;
    for (std::size_t c = 0; c < clones_.clones.size(); ++c)
        for (std::size_t k = 0; k < grid_.size(); ++k) surface += x[layout_.tumour(c, k)] * grid_.centre(k);
    x[layout_.compartment(Compartment::SolubleBcma)] =
        params_.soluble_bcma.shedding_ng_per_ml_per_molecule_day * surface / params_.soluble_bcma.clearance_rate_per_day;
    x[layout_.compartment(Compartment::MProtein)] = params_.mprotein.initial_g_per_dl;
    return x;
}

double MyelomaModel::tumour_cells(const State& x) const {
    // Four partial sums: a single running sum is bound by the latency of dependent additions.
    double partial[4] = {0.0, 0.0, 0.0, 0.0};
    const std::size_t n = layout_.tumour_end();
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (std::size_t lane = 0; lane < 4; ++lane) partial[lane] += pos(x[i + lane]);
    for (; i < n; ++i) partial[0] += pos(x[i]);
    return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

double MyelomaModel::clone_cells(const State& x, std::size_t clone) const {
    double total = 0.0;
    for (std::size_t k = 0; k < layout_.bins(); ++k) total += pos(x[layout_.tumour(clone, k)]);
    return total;
}

std::vector<double> MyelomaModel::bcma_histogram(const State& x) const {
    std::vector<double> bins(layout_.bins(), 0.0);
    for (std::size_t c = 0; c < layout_.clones(); ++c)
        for (std::size_t k = 0; k < layout_.bins(); ++k) bins[k] += pos(x[layout_.tumour(c, k)]);
    return bins;
}

double MyelomaModel::suppression(const State& x) const {
    if (!mechanisms_.macrophage_suppression) return 0.0;
    const double ms = pos(x[layout_.compartment(Compartment::MacrophageSuppressive)]);
    const auto& mp = params_.macrophages;
    return mp.max_suppression * ms / (ms + mp.suppression_half_saturation_cells);
}

double MyelomaModel::april_factor(const State& x) const {
    if (!mechanisms_.april_support) return 0.0;
    const double ms = pos(x[layout_.compartment(Compartment::MacrophageSuppressive)]);
    return params_.tumour.april_growth_boost * ms / (ms + params_.macrophages.suppression_half_saturation_cells);
}

double MyelomaModel::functional_t_fraction(const State& x) const {
    const double f = pos(x[layout_.compartment(Compartment::EndogenousFunctional)]);
    const double e = pos(x[layout_.compartment(Compartment::EndogenousExhausted)]);
    return f + e > 0.0 ? f / (f + e) : 0.0;
}

double MyelomaModel::bispecific_concentration_ug_per_ml(const State& x, std::size_t drug) const {
    // mg / L equals ug / mL.
    return pos(x[layout_.bispecific(drug, BispecificPool::CentralMg)]) / slots_.bispecific[drug].params.volume_l;
}

double MyelomaModel::effective_bcma_fold() const { return effects_.gsi_on ? slots_.gsi_bcma_density_fold : 1.0; }

double MyelomaModel::crowding(double n) const {
    const auto& tp = params_.tumour;
    const double k = tp.carrying_capacity_cells, n0 = tp.initial_cells;
    if (tp.growth_law == tumour::GrowthLaw::Logistic) return pos(1.0 - n / k) / (1.0 - n0 / k);
    if (n <= 1.0) return std::log(k) / std::log(k / n0);
    return pos(std::log(k / n)) / std::log(k / n0);
}

void MyelomaModel::compute_recognition(const State& x, const RecognitionTable& table, std::vector<double>& r,
                                       double& total) const {
    const double sbcma = pos(x[layout_.compartment(Compartment::SolubleBcma)]);
    const double decoy =
        mechanisms_.soluble_bcma ? 1.0 / (1.0 + sbcma / params_.soluble_bcma.decoy_half_effect_ng_per_ml) : 1.0;
    const double* by_bin = table.bcma_by_bin[effects_.gsi_on ? 1 : 0].data();
    const double* cells = x.data();
    double* out = r.data();
    const std::size_t bins = layout_.bins();
    const bool selection = mechanisms_.antigen_density_selection;
    total = 0.0;
    for (std::size_t c = 0; c < layout_.clones(); ++c) {
        const double missed_other = 1.0 - table.other_by_clone[c];
        const std::size_t first = layout_.tumour(c, 0);
        double clone_total = 0.0, clone_cells = 0.0;
        for (std::size_t k = 0; k < bins; ++k) {
            const double value = 1.0 - (1.0 - by_bin[k] * decoy) * missed_other;
            const double n = pos(cells[first + k]);
            out[first + k] = value;
            clone_total += value * n;
            clone_cells += n;
        }
        total += clone_total;
        if (!selection && clone_cells > 0.0) {
            // Without selection inside a clone every cell is recognised as the clone's mean cell.
            const double mean = clone_total / clone_cells;
            for (std::size_t k = 0; k < bins; ++k) out[first + k] = mean;
        }
    }
}

void MyelomaModel::operator()(const State& x, State& dxdt, double t) const {
    std::fill(dxdt.begin(), dxdt.end(), 0.0);
    tumour_flows(x, dxdt, t);
    cart_flows(x, dxdt, t);
    host_flows(x, dxdt);
}

}  // namespace cartsim::patient
