// The right-hand side of MyelomaModel, room by room. tumour_flows runs first and leaves in scratch_
// the recognition totals and killing coefficients that the T-cell and host flows need.

#include <algorithm>
#include <cmath>

#include "model/patient/myeloma_model.hpp"

namespace cartsim::patient {
namespace {

double pos(double v) { return v > 0.0 ? v : 0.0; }

/// Moves `amount` per day from one compartment to another: conservation by construction.
void flow(State& dxdt, std::size_t from, std::size_t to, double amount) {
    dxdt[from] -= amount;
    dxdt[to] += amount;
}

}  // namespace

const TumourRates& MyelomaModel::tumour_rates(const State& x) const {
    const auto& tp = params_.tumour;
    const double n_total = tumour_cells(x);
    scratch_.tumour_total = n_total;
    const double supp = suppression(x);
    const double boost = 1.0 + effects_.killing_boost;

    // CAR-T killing: kill_j = k_max * r_j * (1 - suppression) * E_eff / (s * R + E_eff).
    double car_t_in_marrow = 0.0;
    for (std::size_t p = 0; p < slots_.cart.size(); ++p) {
        const auto& cp = slots_.cart[p].params;
        compute_recognition(x, cart_tables_[p], scratch_.cart_r[p], scratch_.cart_total[p]);
        const double effector = pos(x[layout_.cart(p, CarTPool::EffectorMarrow)]);
        const double exhausted = pos(x[layout_.cart(p, CarTPool::ExhaustedMarrow)]);
        const double memory = pos(x[layout_.cart(p, CarTPool::MemoryMarrow)]);
        car_t_in_marrow += effector + memory;
        const double e_eff = effector + cp.exhausted_kill_efficiency * exhausted;
        const double denom = cp.kill_saturation_targets_per_effector * scratch_.cart_total[p] + e_eff;
        scratch_.cart_coef[p] = denom > 0.0 ? cp.max_kill_rate_per_day * boost * (1.0 - supp) * e_eff / denom : 0.0;
    }
    // Bispecific killing through endogenous T cells and any CAR-T cells, scaled by occupancy.
    const double t_functional = pos(x[layout_.compartment(Compartment::EndogenousFunctional)]);
    const auto& tc = params_.t_cells;
    for (std::size_t b = 0; b < slots_.bispecific.size(); ++b) {
        const auto& bp = slots_.bispecific[b].params;
        compute_recognition(x, bispecific_tables_[b], scratch_.bispecific_r[b], scratch_.bispecific_total[b]);
        const double conc = bispecific_concentration_ug_per_ml(x, b);
        const double occupancy = conc / (conc + bp.ec50_ug_per_ml);
        scratch_.bispecific_occupancy[b] = occupancy;
        // Engaged T cells act only while bridged to a target (K_R), and a lone tumour cell meets them at a
        // rate that saturates only when they are many (K_E): together they let killing fall with the
        // tumour, so a response can plateau above zero (Beddington-DeAngelis form; K_E = K_R = 0 is the
        // ratio-dependent law of MODEL.md section 4).
        const double targets = scratch_.bispecific_total[b];
        const double k_r = tc.engager_activation_half_saturation_cells;
        const double activated = k_r > 0.0 ? targets / (targets + k_r) : 1.0;
        const double e_eff = occupancy * activated * (t_functional + car_t_in_marrow);
        const double denom =
            bp.kill_saturation_targets_per_effector * targets + e_eff + tc.engager_effector_half_saturation_cells;
        scratch_.bispecific_coef[b] =
            denom > 0.0 ? bp.max_kill_rate_per_day * boost * (1.0 - supp) * e_eff / denom : 0.0;
    }
    for (std::size_t a = 0; a < slots_.antibodies.size(); ++a) {
        double unused = 0.0;
        if (effects_.antibody_on[a]) compute_recognition(x, antibody_tables_[a], scratch_.antibody_r[a], unused);
    }

    // Per-population rates in plain arrays, so the loops neither alias nor branch.
    const std::size_t populations = layout_.tumour_end();
    const std::size_t bins = layout_.bins();
    const double* cells = x.data();
    TumourRates& rates = scratch_.rates;
    double* immune = rates.immune.data();
    double* death = rates.death.data();
    double* strip = rates.strip.data();
    std::fill(immune, immune + populations, 0.0);
    std::fill(death, death + populations, tp.turnover_death_rate_per_day + effects_.direct_kill_rate_per_day);
    std::fill(strip, strip + populations, 0.0);
    for (std::size_t p = 0; p < slots_.cart.size(); ++p) {
        const double coef = scratch_.cart_coef[p];
        const double* r = scratch_.cart_r[p].data();
        for (std::size_t i = 0; i < populations; ++i) immune[i] += coef * r[i];
        // Trogocytosis: a stripping contact moves a cell one BCMA bin down (not below bin 1).
        scratch_.trogocytosis_events[p] = 0.0;
        if (!mechanisms_.trogocytosis || !cart_tables_[p].targets_bcma) continue;
        const double per_cell = slots_.cart[p].params.trogocytosis_per_kill * coef;
        double events = 0.0;
        for (std::size_t c = 0; c < layout_.clones(); ++c)
            for (std::size_t k = 2; k < bins; ++k) {
                const std::size_t i = layout_.tumour(c, k);
                strip[i] += per_cell * r[i];
                events += per_cell * r[i] * pos(cells[i]);
            }
        scratch_.trogocytosis_events[p] = events;
    }
    for (std::size_t b = 0; b < slots_.bispecific.size(); ++b) {
        const double coef = scratch_.bispecific_coef[b];
        const double* r = scratch_.bispecific_r[b].data();
        for (std::size_t i = 0; i < populations; ++i) immune[i] += coef * r[i];
    }
    for (std::size_t a = 0; a < slots_.antibodies.size(); ++a) {
        if (!effects_.antibody_on[a]) continue;
        const double rate = slots_.antibodies[a].kill_rate_per_day;
        const double* r = scratch_.antibody_r[a].data();
        for (std::size_t i = 0; i < populations; ++i) death[i] += rate * r[i];
    }
    for (std::size_t i = 0; i < populations; ++i) death[i] += immune[i];

    const double crowd = crowding(n_total);
    const double april = april_factor(x);
    const double* april_binding = april_binding_[effects_.gsi_on ? 1 : 0].data();
    for (std::size_t c = 0; c < layout_.clones(); ++c) {
        const double division = (clones_.clones[c].growth_rate_per_day + tp.turnover_death_rate_per_day) * crowd;
        double* birth = rates.division.data() + layout_.tumour(c, 0);
        for (std::size_t k = 0; k < bins; ++k) birth[k] = division * (1.0 + april * april_binding[k]);
    }
    return rates;
}

void MyelomaModel::tumour_flows(const State& x, State& dxdt, double t) const {
    (void)t;
    const TumourRates& rates = tumour_rates(x);
    const std::size_t bins = layout_.bins();
    const double* cells = x.data();
    const double* birth = rates.division.data();
    const double* death = rates.death.data();
    const double* immune = rates.immune.data();
    const double* strip = rates.strip.data();
    double* dx = dxdt.data();
    double immune_kill = 0.0, surface_bcma = 0.0;
    for (std::size_t c = 0; c < layout_.clones(); ++c) {
        const double keep = 1.0 - mutation_share_[c];
        const std::size_t first = layout_.tumour(c, 0);
        for (std::size_t k = 0; k < bins; ++k) {
            const std::size_t i = first + k;
            const double n = pos(cells[i]);
            dx[i] += (birth[i] * keep - death[i]) * n;
            immune_kill += immune[i] * n;
            surface_bcma += grid_.centre(k) * n;
        }
        // Drift toward the clone's own baseline density distribution and trogocytosis (one bin down).
        // Net flows across each bin boundary go to a small array first, so no store feeds the next load.
        const double* up = drift_up_[c].data();
        const double* down = drift_down_[c].data();
        double* moved = scratch_.boundary_flow.data();  // moved[k]: net flow from bin k to bin k + 1
        moved[0] = 0.0;
        moved[bins - 1] = 0.0;
        for (std::size_t k = 1; k + 1 < bins; ++k)
            moved[k] = up[k] * pos(cells[first + k]) -
                       (down[k] + strip[first + k + 1]) * pos(cells[first + k + 1]);
        for (std::size_t k = 1; k < bins; ++k) dx[first + k] += moved[k - 1] - moved[k];
    }
    // Mutation: a share of divisions founds the daughter clone (one allele fewer), gathered per target
    // bin so that every derivative is written once. Agent parents mutate in the agent layer instead.
    for (std::size_t r = 0; r < clones_.routes.size(); ++r) {
        const auto& route = clones_.routes[r];
        if (frozen_[route.from]) continue;
        const auto& g = route_gather_[r];
        const std::size_t from = layout_.tumour(route.from, 0), to = layout_.tumour(route.to, 0);
        for (std::size_t j = 0; j < bins; ++j) {
            double inflow = 0.0;
            for (std::size_t m = g.start[j]; m < g.start[j + 1]; ++m)
                inflow += g.weight[m] * birth[from + g.source[m]] * pos(cells[from + g.source[m]]);
            dx[to + j] += route.per_division * inflow;
        }
    }
    // Populations held by agents change only in the agent layer's synchronisation.
    for (std::size_t c = 0; c < layout_.clones(); ++c)
        if (frozen_[c]) std::fill(dx + layout_.tumour(c, 0), dx + layout_.tumour(c, 0) + bins, 0.0);

    scratch_.immune_kill_flux = immune_kill;
    const auto& sb = params_.soluble_bcma;
    const std::size_t s = layout_.compartment(Compartment::SolubleBcma);
    dxdt[s] += sb.shedding_ng_per_ml_per_molecule_day * surface_bcma * effective_bcma_fold() *
                   (1.0 - effects_.shedding_block) -
               sb.clearance_rate_per_day * pos(x[s]);
}

CarTRates MyelomaModel::cart_rates(const State& x, std::size_t p, double t) const {
    CarTRates r;
    const auto& cp = slots_.cart[p].params;
    const auto& run = cart_runtime_[p];
    const auto n = [&](CarTPool pool) { return pos(x[layout_.cart(p, pool)]); };
    const auto i = [](CarTPool pool) { return static_cast<std::size_t>(pool); };
    const double marrow = n(CarTPool::EffectorMarrow) + n(CarTPool::MemoryMarrow) + n(CarTPool::ExhaustedMarrow);
    const double supp = suppression(x);
    const double ld = mechanisms_.lymphodepletion_boost ? pos(x[layout_.compartment(Compartment::LdCytokine)]) : 0.0;

    // Stimulation phi = psi / (psi + K_psi) with psi = recognisable targets per CAR-T cell.
    const double targets = scratch_.cart_total[p];
    const double phi =
        targets > 0.0 ? targets / (targets + cp.stimulation_half_saturation_targets_per_cell * marrow) : 0.0;
    const double fitness = mechanisms_.manufacturing_fitness
                               ? 1.0 - cp.manufacturing_sensitivity + cp.manufacturing_sensitivity * run.fitness_ratio
                               : 1.0;
    double immune_death = 1.0;
    if (mechanisms_.immunogenicity && run.infused && cp.immunogenicity_death_multiplier > 0.0)
        immune_death += params_.t_cells.anti_car_immunity_factor * cp.immunogenicity_death_multiplier /
                        (1.0 + std::exp(-(t - run.infusion_day - cp.immunogenicity_onset_days)));
    const double exhaustion =
        mechanisms_.exhaustion ? cp.exhaustion_rate_per_day * phi * (1.0 + cp.exhaustion_suppression_gain * supp) *
                                     (1.0 - effects_.exhaustion_reduction)
                               : 0.0;
    // Fratricide of antigen-carrying CAR-T cells after trogocytosis, shared by the marrow pools.
    const double fratricide =
        marrow > 0.0 ? cp.fratricide_per_trogocytosis * scratch_.trogocytosis_events[p] / marrow : 0.0;

    r.division[i(CarTPool::EffectorMarrow)] = cp.expansion_rate_per_day * fitness * phi + cp.ld_expansion_rate_per_day * ld;
    r.division[i(CarTPool::MemoryMarrow)] = cp.ld_expansion_rate_per_day * ld;  // daughters are effectors
    r.death[i(CarTPool::EffectorMarrow)] = cp.effector_death_rate_per_day * immune_death + fratricide;
    r.death[i(CarTPool::MemoryMarrow)] = cp.memory_death_rate_per_day * immune_death + fratricide;
    r.death[i(CarTPool::ExhaustedMarrow)] = cp.exhausted_death_rate_per_day + fratricide;
    r.death[i(CarTPool::EffectorBlood)] =
        cp.blood_effector_loss_rate_per_day + cp.effector_death_rate_per_day * (immune_death - 1.0);
    r.death[i(CarTPool::MemoryBlood)] = cp.memory_death_rate_per_day * immune_death;
    r.move[i(CarTPool::EffectorMarrow)][i(CarTPool::MemoryMarrow)] = cp.memory_formation_rate_per_day * (1.0 - phi);
    r.move[i(CarTPool::MemoryMarrow)][i(CarTPool::EffectorMarrow)] = cp.memory_activation_rate_per_day * phi;
    r.move[i(CarTPool::EffectorMarrow)][i(CarTPool::ExhaustedMarrow)] = exhaustion;
    r.move[i(CarTPool::ExhaustedMarrow)][i(CarTPool::EffectorMarrow)] =
        cp.exhaustion_reversal_rate_per_day + effects_.reversal_rate_per_day;
    r.move[i(CarTPool::EffectorBlood)][i(CarTPool::EffectorMarrow)] = cp.blood_to_marrow_rate_per_day;
    r.move[i(CarTPool::EffectorMarrow)][i(CarTPool::EffectorBlood)] = cp.marrow_to_blood_rate_per_day;
    r.move[i(CarTPool::MemoryBlood)][i(CarTPool::MemoryMarrow)] = cp.blood_to_marrow_rate_per_day;
    r.move[i(CarTPool::MemoryMarrow)][i(CarTPool::MemoryBlood)] = cp.marrow_to_blood_rate_per_day;
    return r;
}

void MyelomaModel::cart_flows(const State& x, State& dxdt, double t) const {
    constexpr std::size_t pools = StateLayout::kCarTPools;
    for (std::size_t p = 0; p < slots_.cart.size(); ++p) {
        const std::size_t first = layout_.cart(p, CarTPool::EffectorBlood);
        double total = 0.0;
        for (std::size_t k = 0; k < pools; ++k) total += pos(x[first + k]);
        if (total <= 0.0 || cart_frozen_[p]) continue;  // agents of a frozen product change in the agent layer
        const CarTRates r = cart_rates(x, p, t);
        const std::size_t effector = first + static_cast<std::size_t>(CarTPool::EffectorMarrow);
        for (std::size_t from = 0; from < pools; ++from) {
            const double n = pos(x[first + from]);
            dxdt[effector] += r.division[from] * n;  // every daughter is a marrow effector
            dxdt[first + from] -= r.death[from] * n;
            for (std::size_t to = 0; to < pools; ++to)
                if (r.move[from][to] > 0.0) flow(dxdt, first + from, first + to, r.move[from][to] * n);
        }
    }
}

void MyelomaModel::host_flows(const State& x, State& dxdt) const {
    const double n_total = scratch_.tumour_total;  // computed by tumour_flows for this x
    const double supp = suppression(x);
    const auto c = [&](Compartment comp) { return layout_.compartment(comp); };

    // Endogenous T cells: homeostatic production of functional cells, exhaustion by chronic tumour
    // antigen and by bispecific engagement.
    const auto& tc = params_.t_cells;
    double stimulation = tc.tumour_exhaustion_rate_per_day * n_total / (n_total + tc.tumour_half_saturation_cells);
    for (std::size_t b = 0; b < slots_.bispecific.size(); ++b) {
        const double occupancy = scratch_.bispecific_occupancy[b];  // computed by tumour_rates for this x
        const double targets = scratch_.bispecific_total[b];
        stimulation += tc.bispecific_exhaustion_rate_per_day * occupancy * targets /
                       (targets + tc.tumour_half_saturation_cells);
        // Continuous CD3 engagement tires T cells whatever the tumour: it does not fade as the tumour
        // shrinks, and recovers only when occupancy falls (longer intervals, end of the line).
        stimulation += tc.bispecific_attrition_rate_per_day * occupancy;
    }
    const double exhaustion = mechanisms_.exhaustion ? stimulation * (1.0 + tc.exhaustion_suppression_gain * supp) *
                                                           (1.0 - effects_.exhaustion_reduction)
                                                     : 0.0;
    const double tf = pos(x[c(Compartment::EndogenousFunctional)]);
    const double tx = pos(x[c(Compartment::EndogenousExhausted)]);
    dxdt[c(Compartment::EndogenousFunctional)] +=
        tc.homeostatic_rate_per_day * (tc.homeostatic_cells - tf);
    dxdt[c(Compartment::EndogenousExhausted)] -= tc.exhausted_death_rate_per_day * tx;
    flow(dxdt, c(Compartment::EndogenousFunctional), c(Compartment::EndogenousExhausted), exhaustion * tf);
    flow(dxdt, c(Compartment::EndogenousExhausted), c(Compartment::EndogenousFunctional),
         (tc.exhaustion_reversal_rate_per_day + effects_.reversal_rate_per_day) * tx);

    // Macrophages: recruited neutral, polarised to suppressive by tumour signals (MIF).
    const auto& mp = params_.macrophages;
    const double inflammation = pos(x[c(Compartment::Inflammation)]);
    const double recruit = (mp.basal_recruitment_cells_per_day +
                            mp.tumour_recruitment_cells_per_day * n_total / (n_total + mp.tumour_half_saturation_cells) +
                            mp.inflammation_recruitment_cells_per_day * inflammation) *
                           (1.0 - effects_.recruitment_reduction);
    const double polarise = mp.polarisation_rate_per_day * n_total / (n_total + mp.mif_half_saturation_cells) *
                            (1.0 - effects_.polarisation_reduction);
    const double mn = pos(x[c(Compartment::MacrophageNeutral)]), ms = pos(x[c(Compartment::MacrophageSuppressive)]);
    dxdt[c(Compartment::MacrophageNeutral)] += recruit - mp.death_rate_per_day * mn;
    dxdt[c(Compartment::MacrophageSuppressive)] -= mp.death_rate_per_day * ms;
    flow(dxdt, c(Compartment::MacrophageNeutral), c(Compartment::MacrophageSuppressive), polarise * mn);
    flow(dxdt, c(Compartment::MacrophageSuppressive), c(Compartment::MacrophageNeutral),
         mp.repolarisation_rate_per_day * ms);

    const auto& ip = params_.inflammation;
    dxdt[c(Compartment::Inflammation)] +=
        ip.production_per_kill * scratch_.immune_kill_flux - ip.clearance_rate_per_day * inflammation;
    dxdt[c(Compartment::LdCytokine)] -=
        std::log(2.0) / params_.lymphodepletion.cytokine_half_life_days * x[c(Compartment::LdCytokine)];
    dxdt[c(Compartment::MProtein)] += mprotein_per_cell_ * n_total - mprotein_.flux(x[c(Compartment::MProtein)]);

    // Bispecific pharmacokinetics: subcutaneous depot -> central compartment -> elimination.
    for (std::size_t b = 0; b < slots_.bispecific.size(); ++b) {
        const auto& bp = slots_.bispecific[b].params;
        const std::size_t depot = layout_.bispecific(b, BispecificPool::DepotMg);
        const std::size_t central = layout_.bispecific(b, BispecificPool::CentralMg);
        flow(dxdt, depot, central, bp.absorption_rate_per_day * x[depot]);
        dxdt[central] -= std::log(2.0) / bp.half_life_days * x[central];
    }
}

}  // namespace cartsim::patient
