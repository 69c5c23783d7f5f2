// Rate laws of the compartment rooms (host_rooms.hpp): amounts per day for each room's flow chart.

#include "model/patient/host_rooms.hpp"

#include <algorithm>
#include <cmath>

namespace cartsim::patient {

std::array<double, EndogenousTRoom::kChart.size()> EndogenousTRoom::amounts(const State& x, const StateLayout& layout,
                                                                            const RateContext& c) const {
    const auto& tc = params_;
    const double n_total = c.tumour_total;
    // Chronic tumour antigen, bispecific engagement of tumour targets, and continuous CD3 engagement,
    // which tires T cells whatever the tumour: it recovers only when occupancy falls.
    double stimulation = tc.tumour_exhaustion_rate_per_day * n_total / (n_total + tc.tumour_half_saturation_cells);
    for (std::size_t b = 0; b < bispecifics_; ++b) {
        const double occupancy = c.bispecific_occupancy[b];
        const double targets = c.bispecific_total[b];
        stimulation += tc.bispecific_exhaustion_rate_per_day * occupancy * targets /
                       (targets + tc.tumour_half_saturation_cells);
        stimulation += tc.bispecific_attrition_rate_per_day * c.bispecific_cd3_occupancy[b];
    }
    const ActiveEffects& fx = *c.effects;
    const double exhaustion = exhaustion_on_ ? stimulation * (1.0 + tc.exhaustion_suppression_gain * c.suppression) *
                                                   (1.0 - fx.exhaustion_reduction)
                                             : 0.0;
    const double tf = nonnegative_part(x[layout.compartment(Compartment::EndogenousFunctional)]);
    const double tx = nonnegative_part(x[layout.compartment(Compartment::EndogenousExhausted)]);
    return {tc.homeostatic_rate_per_day * (tc.homeostatic_cells - tf), tc.exhausted_death_rate_per_day * tx,
            exhaustion * tf, (tc.exhaustion_reversal_rate_per_day + fx.reversal_rate_per_day) * tx};
}

double EndogenousTRoom::initial_functional_fraction(const tcells::EndogenousTParams& p, bool prior_therapy_fitness) {
    if (!prior_therapy_fitness) return p.baseline_functional_fraction;
    const double lines = std::pow(p.fitness_retention_per_prior_line, p.prior_lines - p.reference_prior_lines);
    const double redirection = 1.0 - (1.0 - p.prior_redirection_fitness_factor) * p.prior_redirection;
    return std::clamp(p.baseline_functional_fraction * lines * redirection, 0.0, 1.0);
}

std::array<double, MyeloidRoom::kChart.size()> MyeloidRoom::amounts(const State& x, const StateLayout& layout,
                                                                    const RateContext& c) const {
    const auto& mp = params_;
    const double n_total = c.tumour_total;
    const ActiveEffects& fx = *c.effects;
    const double inflammation = nonnegative_part(x[layout.compartment(Compartment::Inflammation)]);
    const double imprint = memory_on_ ? nonnegative_part(x[layout.compartment(Compartment::MyeloidImprint)]) : 0.0;
    const double recruit = (mp.basal_recruitment_cells_per_day +
                            mp.tumour_recruitment_cells_per_day * n_total / (n_total + mp.tumour_half_saturation_cells) +
                            mp.inflammation_recruitment_cells_per_day * inflammation +
                            mp.imprint_recruitment_cells_per_day * imprint) *
                           (1.0 - fx.recruitment_reduction);
    const double polarise = mp.polarisation_rate_per_day * n_total / (n_total + mp.mif_half_saturation_cells) *
                            (1.0 + mp.imprint_polarisation_gain * imprint) * (1.0 - fx.polarisation_reduction);
    const double mn = nonnegative_part(x[layout.compartment(Compartment::MacrophageNeutral)]);
    const double ms = nonnegative_part(x[layout.compartment(Compartment::MacrophageSuppressive)]);
    return {recruit,
            mp.death_rate_per_day * mn,
            mp.death_rate_per_day * ms,
            polarise * mn,
            mp.repolarisation_rate_per_day * ms,
            memory_on_ ? mp.imprint_gain_per_index_day * inflammation : 0.0,
            memory_on_ ? std::log(2.0) / mp.imprint_half_life_days * imprint : 0.0};
}

std::array<double, 2> MyeloidRoom::steady_state(double n0, const StateLayout& layout) const {
    // The flows are linear in the cells: at one neutral and one suppressive cell the amounts are the
    // per-cell rates. Then N' = R - (d + p) N + r S = 0 and S' = p N - (d + r) S = 0.
    State x(layout.size(), 0.0);
    x[layout.compartment(Compartment::MacrophageNeutral)] = 1.0;
    x[layout.compartment(Compartment::MacrophageSuppressive)] = 1.0;
    const ActiveEffects none;
    RateContext c;
    c.tumour_total = n0;
    c.effects = &none;
    x[layout.compartment(Compartment::MyeloidImprint)] = 0.0;  // no imprint before any inflammation
    const auto a = amounts(x, layout, c);
    const double recruit = a[0], d = a[1], pol = a[3], ret = a[4];
    const double neutral = recruit / ((d + pol) - ret * pol / (ret + d));
    return {neutral, pol * neutral / (ret + d)};
}

double MyeloidRoom::suppression(double ms) const {
    if (!suppression_on_) return 0.0;
    ms = nonnegative_part(ms);
    return params_.max_suppression * ms / (ms + params_.suppression_half_saturation_cells);
}

std::array<double, InflammationRoom::kChart.size()> InflammationRoom::amounts(const State& x, const StateLayout& layout,
                                                                              const RateContext& c) const {
    const double inflammation = nonnegative_part(x[layout.compartment(Compartment::Inflammation)]);
    std::array<double, kChart.size()> a{params_.production_per_kill * c.immune_kill_flux,
                                        params_.clearance_rate_per_day * inflammation,
                                        std::log(2.0) / ld_.cytokine_half_life_days *
                                            x[layout.compartment(Compartment::LdCytokine)],
                                        0.0, 0.0, 0.0};
    if (activation_) {
        const double d = std::clamp(x[layout.compartment(Compartment::Desensitisation)], 0.0, 1.0);
        a[0] *= 1.0 - d;
        a[3] = params_.production_per_activated_t_cell_day * c.activated_t_cells * (1.0 - d);
        a[4] = params_.desensitisation_per_index_day * inflammation * (1.0 - d);
        a[5] = std::log(2.0) / params_.desensitisation_recovery_half_life_days * nonnegative_part(d);
    }
    return a;
}

double InflammationRoom::cytokine_level(double lymphocytes) const {
    if (!cytokine_space_) return 1.0;
    const double c_max = ld_.cytokine_fold_without_lymphocytes;
    return c_max / (1.0 + (c_max - 1.0) * nonnegative_part(lymphocytes) / homeostatic_lymphocytes_);
}

double InflammationRoom::ld_index(const State& x, const StateLayout& layout, double lymphocytes) const {
    if (!cytokine_space_) return nonnegative_part(x[layout.compartment(Compartment::LdCytokine)]);
    return nonnegative_part((cytokine_level(lymphocytes) - 1.0) / (ld_.cytokine_fold_without_lymphocytes - 1.0));
}

std::array<double, AntiCarRoom::kChart.size()> AntiCarRoom::amounts(double log_odds, double antigen) const {
    if (!contraction_) return {expansion_rate_per_day_, 0.0};
    const double c = nonnegative_part(antigen);
    const double drive = c / (c + half_saturation_cells_);
    // (A - A_m)+ / (A (1 - A)), with A (1 - A) written with e = exp(-|y|) so that it stays finite for
    // any y (for y >= 0, A = 1 / (1 + e) and 1 - A = e / (1 + e); for y < 0 the roles swap). The
    // positive part is rounded over |A - A_m| < w, w = A_m / 4, by the parabola (A - A_m + w)^2 / 4w, so
    // that its slope is continuous: a kink at A = A_m cost the solver its order there (the example's
    // response was 2.6e-4 off at the default tolerance). It differs from (A - A_m)+ by at most w / 4 and
    // is exactly 0 below A_m - w, so a tiny response (A near 0) never contracts.
    const double a = response(log_odds, true);
    const double w = memory_fraction_ / 4.0;
    const double x = a - memory_fraction_;
    const double above = x >= w ? x : x <= -w ? 0.0 : (x + w) * (x + w) / (4.0 * w);
    if (above == 0.0) return {expansion_rate_per_day_ * drive, 0.0};  // also where A (1 - A) rounds to 0
    const double e = std::exp(-std::abs(log_odds));
    const double a_times_rest = std::max(e / ((1.0 + e) * (1.0 + e)), 1e-300);  // A (1 - A), never 0
    return {expansion_rate_per_day_ * drive, contraction_rate_per_day_ * above / a_times_rest};
}

void AntiCarRoom::flows(const State& x, const StateLayout& layout, const std::vector<bool>& primed,
                        const std::vector<std::size_t>& binder_of, State& dxdt) const {
    for (std::size_t b = 0; b < layout.cart_binders(); ++b) {
        if (!primed[b]) continue;  // unprimed: no response, and it does not grow
        double antigen = 0.0;
        if (contraction_)
            for (std::size_t p = 0; p < binder_of.size(); ++p)
                if (binder_of[p] == b) antigen += cart_cells(x, layout, p);
        apply_flows(kChart, amounts(x[layout.anti_car(b)], antigen), [&](AntiCarPool) { return layout.anti_car(b); },
                    dxdt);
    }
}

drugs::PkAmounts DrugRoom::amounts(const State& x, const StateLayout& layout, std::size_t drug, double t) const {
    const auto at = [&](BispecificPool pool) { return x[layout.bispecific(drug, pool)]; };
    const drugs::PkAmounts at_dose{at(BispecificPool::DepotMgAtDose), at(BispecificPool::CentralMgAtDose),
                                   at(BispecificPool::PeripheralMgAtDose)};
    return drugs::pk_after(drugs::pk_rates(slots_[drug].params, at(BispecificPool::ClearanceFactor)), at_dose,
                           t - at(BispecificPool::DoseDay));
}

void DrugRoom::dose(State& x, const StateLayout& layout, std::size_t drug, double t, drugs::PkAmounts added,
                    double days_on_drug) const {
    const drugs::PkAmounts now = amounts(x, layout, drug, t);
    x[layout.bispecific(drug, BispecificPool::DepotMgAtDose)] = now.depot_mg + added.depot_mg;
    x[layout.bispecific(drug, BispecificPool::CentralMgAtDose)] = now.central_mg + added.central_mg;
    x[layout.bispecific(drug, BispecificPool::PeripheralMgAtDose)] = now.peripheral_mg + added.peripheral_mg;
    x[layout.bispecific(drug, BispecificPool::DoseDay)] = t;
    x[layout.bispecific(drug, BispecificPool::ClearanceFactor)] =
        drugs::clearance_factor(slots_[drug].params, days_on_drug);
}

double DrugRoom::concentration_ug_per_ml(const State& x, const StateLayout& layout, std::size_t drug, double t) const {
    // mg / L equals ug / mL.
    return nonnegative_part(amounts(x, layout, drug, t).central_mg) / slots_[drug].params.volume_l;
}

}  // namespace cartsim::patient
