// The shared stage of the right-hand side: what several rooms need from one state (recognition of
// every population by every binder, killing coefficients, bispecific occupancy, suppression, the
// tumour's per-cell rates), computed once into the RateContext before any room adds its flows.

#include <algorithm>
#include <cmath>

#include "model/drugs/bispecific_params.hpp"
#include "model/patient/myeloma_model.hpp"

namespace cartsim::patient {

double MyelomaModel::lymphocytes(const State& x) const {
    double cells = nonnegative_part(x[layout_.compartment(Compartment::EndogenousFunctional)]) +
                   nonnegative_part(x[layout_.compartment(Compartment::EndogenousExhausted)]);
    for (std::size_t p = 0; p < slots_.cart.size(); ++p)
        for (std::size_t k = 0; k < StateLayout::kCarTPools; ++k)
            cells += nonnegative_part(x[layout_.cart(p, static_cast<CarTPool>(k))]);
    return cells;
}

void MyelomaModel::build_context(const State& x, double t) const {
    RateContext& c = context_;
    c.t = t;
    c.effects = &effects_;
    c.cart_runtime = &cart_runtime_;
    c.anti_car_primed = &anti_car_primed_;
    c.tumour_total = tumour_cells(x);
    c.suppression = suppression(x);
    c.lymphocytes = mechanisms_.cytokine_space ? lymphocytes(x) : 0.0;  // read only by the cytokine space
    c.ld_cytokine = mechanisms_.lymphodepletion_boost ? inflammation_room_.ld_index(x, layout_, c.lymphocytes) : 0.0;
    const bool activation = mechanisms_.activation_cytokines;  // activated T cells are read only by it
    const double supp = c.suppression;
    const double boost = 1.0 + effects_.killing_boost;

    // CAR-T killing: kill_j = k_max * r_j * (1 - suppression) * E_eff / (s * R + E_eff).
    c.car_t_in_marrow = 0.0;
    c.activated_t_cells = 0.0;
    for (std::size_t p = 0; p < slots_.cart.size(); ++p) {
        const auto& cp = slots_.cart[p].params;
        // A product with no cells (not yet infused, or gone) and no agents kills and is stimulated by
        // nothing: its recognition is not needed (the CAR-T room adds no flows without cells).
        if (cart_cells(x, layout_, p) == 0.0 && !cart_frozen_[p]) {
            c.cart_total[p] = 0.0;
            c.cart_coef[p] = 0.0;
            continue;
        }
        compute_recognition(x, cart_tables_[p], c.cart_r[p], c.cart_total[p], &cart_access_, true);
        const double effector = nonnegative_part(x[layout_.cart(p, CarTPool::EffectorMarrow)]);
        const double exhausted = nonnegative_part(x[layout_.cart(p, CarTPool::ExhaustedMarrow)]);
        const double memory = nonnegative_part(x[layout_.cart(p, CarTPool::MemoryMarrow)]);
        c.car_t_in_marrow += effector + memory;
        if (activation)
            c.activated_t_cells += effector * CarTRoom::stimulation(c.cart_total[p],
                                                                    cp.stimulation_half_saturation_targets_per_cell,
                                                                    effector + memory + exhausted);
        const double e_eff = effector + cp.exhausted_kill_efficiency * exhausted;
        const double denom = cp.kill_saturation_targets_per_effector * c.cart_total[p] + e_eff;
        c.cart_coef[p] = denom > 0.0 ? cp.max_kill_rate_per_day * boost * (1.0 - supp) * e_eff / denom : 0.0;
    }
    // Bispecific killing through endogenous T cells and any CAR-T cells, scaled by occupancy.
    c.t_functional = nonnegative_part(x[layout_.compartment(Compartment::EndogenousFunctional)]);
    const auto& tc = params_.t_cells;
    for (std::size_t b = 0; b < slots_.bispecific.size(); ++b) {
        const auto& bp = slots_.bispecific[b].params;
        const drugs::ArmOccupancy arms = bispecific_arms(x, b, t);
        const double occupancy = arms.target;
        c.bispecific_occupancy[b] = occupancy;
        c.bispecific_cd3_occupancy[b] = arms.cd3;
        if (occupancy == 0.0 && arms.cd3 == 0.0) {  // not given yet: no bridges, no killing, no exhaustion by it
            c.bispecific_total[b] = 0.0;
            c.bispecific_coef[b] = 0.0;
            continue;
        }
        // With arm occupancy, soluble BCMA acts on the drug (a sink), not as a decoy on recognition.
        compute_recognition(x, bispecific_tables_[b], c.bispecific_r[b], c.bispecific_total[b], &t_cell_access_,
                            !mechanisms_.arm_occupancy);
        // Engaged T cells act only while bridged to a target (K_R), and a lone tumour cell meets them at a
        // rate that saturates only when they are many (K_E): together they let killing fall with the
        // tumour, so a response can plateau above zero (Beddington-DeAngelis form; K_E = K_R = 0 is the
        // ratio-dependent law of MODEL.md section 4).
        const double targets = c.bispecific_total[b];
        const double k_r = tc.engager_activation_half_saturation_cells;
        const double activated = k_r > 0.0 ? targets / (targets + k_r) : 1.0;
        const double engager_t = c.t_functional + c.car_t_in_marrow;
        const double e_eff = occupancy * activated * engager_t;
        // Bridged T cells release cytokines: each occupied T cell needs a target, so when targets are
        // fewer than T cells they limit the bridges.
        if (activation && targets > 0.0) c.activated_t_cells += occupancy * engager_t * targets / (targets + engager_t);
        const double denom =
            bp.kill_saturation_targets_per_effector * targets + e_eff + tc.engager_effector_half_saturation_cells;
        c.bispecific_coef[b] = denom > 0.0 ? bp.max_kill_rate_per_day * boost * (1.0 - supp) * e_eff / denom : 0.0;
    }
    for (std::size_t a = 0; a < slots_.antibodies.size(); ++a) {
        double unused = 0.0;
        if (effects_.antibody_on[a]) compute_recognition(x, antibody_tables_[a], c.antibody_r[a], unused, nullptr, true);
    }

    tumour_room_.rates(x, c, c.rates, c.trogocytosis_events, c.immune_kill_flux);
}

drugs::ArmOccupancy MyelomaModel::bispecific_arms(const State& x, std::size_t drug, double t) const {
    const auto& bp = slots_.bispecific[drug].params;
    const double concentration = drug_room_.concentration_ug_per_ml(x, layout_, drug, t);
    if (!mechanisms_.arm_occupancy) {
        const double occupancy = drugs::occupancy(bp, concentration);
        return {occupancy, occupancy, 1.0};
    }
    // Only drugs against BCMA meet its shed form.
    const bool shed = mechanisms_.soluble_bcma &&
                      std::find(bp.targets.begin(), bp.targets.end(), Antigen::Bcma) != bp.targets.end();
    const double sbcma_nm =
        shed ? nonnegative_part(x[layout_.compartment(Compartment::SolubleBcma)]) / params_.soluble_bcma.molecular_weight_kda
             : 0.0;
    return drugs::arm_occupancy(bp, concentration, sbcma_nm);
}

void MyelomaModel::compute_recognition(const State& x, const RecognitionTable& table, std::vector<double>& r,
                                       double& total, const std::vector<double>* access_by_clone,
                                       bool decoy_on) const {
    const double sbcma = nonnegative_part(x[layout_.compartment(Compartment::SolubleBcma)]);
    const double decoy = mechanisms_.soluble_bcma && decoy_on
                             ? 1.0 / (1.0 + sbcma / params_.soluble_bcma.decoy_half_effect_ng_per_ml)
                             : 1.0;
    const double* by_bin = table.bcma_by_bin[effects_.gsi_on ? 1 : 0].data();
    const double* cells = x.data();
    double* out = r.data();
    const bool selection = mechanisms_.antigen_density_selection;
    total = 0.0;
    for (std::size_t cl = 0; cl < layout_.clones(); ++cl) {
        const double missed_other = 1.0 - table.other_by_clone[cl];
        const std::size_t first = layout_.tumour(cl, 0);
        double clone_total = 0.0, clone_cells = 0.0;
        const std::size_t used = tumour_room_.bins_used(cl);  // the others hold no cells
        for (std::size_t k = 0; k < used; ++k) {
            const double value = 1.0 - (1.0 - by_bin[k] * decoy) * missed_other;
            const double n = nonnegative_part(cells[first + k]);
            out[first + k] = value;
            clone_total += value * n;
            clone_cells += n;
        }
        if (!selection && clone_cells > 0.0) {
            // Without selection inside a clone every cell is recognised as the clone's mean cell.
            const double mean = clone_total / clone_cells;
            for (std::size_t k = 0; k < used; ++k) out[first + k] = mean;
        }
        // T cells meet a cell of the second site at their access (1 in marrow).
        const double access = access_by_clone ? (*access_by_clone)[cl] : 1.0;
        if (access != 1.0) {
            for (std::size_t k = 0; k < used; ++k) out[first + k] *= access;
            clone_total *= access;
        }
        total += clone_total;
    }
}

}  // namespace cartsim::patient
