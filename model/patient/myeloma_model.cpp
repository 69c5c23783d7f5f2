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
            const double median = e.allele_median_molecules_per_cell();
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

/// Per CAR-T product: does it target BCMA (trogocytosis strips only the antigen it binds)?
/// Per CAR-T product, its binder's index among the distinct binders, in order of first appearance.
static std::vector<std::size_t> group_binders(const TherapySlots& slots, std::vector<std::string>& names) {
    std::vector<std::size_t> of;
    for (const auto& p : slots.cart) {
        const std::string id = p.params.binder_id.empty() ? p.name : p.params.binder_id;
        const auto it = std::find(names.begin(), names.end(), id);
        of.push_back(static_cast<std::size_t>(it - names.begin()));
        if (it == names.end()) names.push_back(id);
    }
    return of;
}

static std::vector<bool> cart_targets_bcma(const TherapySlots& slots) {
    std::vector<bool> out;
    for (const auto& p : slots.cart)
        out.push_back(std::find(p.params.targets.begin(), p.params.targets.end(), Antigen::Bcma) != p.params.targets.end());
    return out;
}

MyelomaModel::MyelomaModel(const PatientParams& params, const Mechanisms& mechanisms, const TherapySlots& slots)
    : params_(params),
      mechanisms_(mechanisms),
      slots_(slots),
      grid_(params.tumour.bcma_bins, params.tumour.bcma_bin_min_molecules_per_cell,
            params.tumour.bcma_bin_max_molecules_per_cell),
      clones_(tumour::build_clone_set(params.tumour, grid_, losable_antigens(mechanisms, slots))),
      binder_of_(group_binders(slots, binder_names_)),
      layout_(clones_.clones.size(), grid_.size(), slots.cart.size(), slots.bispecific.size(), binder_names_.size()),
      tumour_room_(params, mechanisms, slots, grid_, clones_, layout_, cart_targets_bcma(slots)),
      cart_room_(slots, mechanisms, params.t_cells.anti_car_immunity_factor, params.car_design, layout_, binder_of_),
      t_room_(params.t_cells, mechanisms, slots),
      myeloid_room_(params.macrophages, mechanisms),
      inflammation_room_(params.inflammation, params.lymphodepletion, params.t_cells.homeostatic_cells, mechanisms),
      drug_room_(slots),
      anti_car_room_(params.t_cells, mechanisms.anti_car_contraction),
      cart_runtime_(slots.cart.size()) {
    const double fold = slots.gsi_bcma_density_fold;
    for (const auto& p : slots_.cart)
        cart_tables_.push_back(build_table(p.params.targets, p.params.binder, clones_, grid_, fold));
    for (const auto& b : slots_.bispecific)
        bispecific_tables_.push_back(build_table(b.params.targets, b.params.binder, clones_, grid_, fold));
    for (const auto& a : slots_.antibodies)
        antibody_tables_.push_back(build_table({a.target}, a.binder, clones_, grid_, fold));
    effects_.antibody_on.assign(slots_.antibodies.size(), false);

    auto& c = context_;
    c.cart_r.assign(slots_.cart.size(), std::vector<double>(layout_.tumour_end()));
    c.bispecific_r.assign(slots_.bispecific.size(), std::vector<double>(layout_.tumour_end()));
    c.antibody_r.assign(slots_.antibodies.size(), std::vector<double>(layout_.tumour_end()));
    c.cart_total.assign(slots_.cart.size(), 0.0);
    c.cart_coef.assign(slots_.cart.size(), 0.0);
    c.trogocytosis_events.assign(slots_.cart.size(), 0.0);
    c.bispecific_total.assign(slots_.bispecific.size(), 0.0);
    c.bispecific_occupancy.assign(slots_.bispecific.size(), 0.0);
    c.bispecific_cd3_occupancy.assign(slots_.bispecific.size(), 0.0);
    c.bispecific_coef.assign(slots_.bispecific.size(), 0.0);
    for (auto* v : {&c.rates.division, &c.rates.death, &c.rates.immune, &c.rates.strip, &c.rates.drift_up,
                    &c.rates.drift_down})
        v->assign(layout_.tumour_end(), 0.0);
    tumour_room_.fill_drift(c.rates);
    t_cell_access_.assign(clones_.clones.size(), 1.0);
    cart_access_.assign(clones_.clones.size(), 1.0);
    for (std::size_t i = 0; i < clones_.clones.size(); ++i)
        if (clones_.clones[i].site == 1 && mechanisms_.extramedullary_site) {
            t_cell_access_[i] = params_.tumour.extramedullary.effector_access;
            cart_access_[i] = params_.tumour.extramedullary.cart_access;
            second_site_ = true;
        }
    frozen_.assign(clones_.clones.size(), false);
    cart_frozen_.assign(slots_.cart.size(), false);
    anti_car_primed_.assign(binder_names_.size(), false);
    boundary_flow_.assign(grid_.size(), 0.0);
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
    const double functional = EndogenousTRoom::initial_functional_fraction(tc, mechanisms_.prior_therapy_fitness);
    x[layout_.compartment(Compartment::EndogenousFunctional)] = tc.homeostatic_cells * functional;
    x[layout_.compartment(Compartment::EndogenousExhausted)] = tc.homeostatic_cells * (1.0 - functional);

    // Macrophages and soluble BCMA start at their steady state for the initial tumour.
    const auto macrophages = myeloid_room_.steady_state(tp.initial_cells, layout_);
    x[layout_.compartment(Compartment::MacrophageNeutral)] = macrophages[0];
    x[layout_.compartment(Compartment::MacrophageSuppressive)] = macrophages[1];

    double surface = 0.0;
    for (std::size_t c = 0; c < clones_.clones.size(); ++c)
        for (std::size_t k = 0; k < grid_.size(); ++k) surface += x[layout_.tumour(c, k)] * grid_.centre(k);
    x[layout_.compartment(Compartment::SolubleBcma)] =
        params_.soluble_bcma.shedding_ng_per_ml_per_molecule_day * surface / params_.soluble_bcma.clearance_rate_per_day;
    x[layout_.compartment(Compartment::MProtein)] = params_.mprotein.initial_g_per_dl;
    for (std::size_t b = 0; b < slots_.bispecific.size(); ++b)
        x[layout_.bispecific(b, BispecificPool::ClearanceFactor)] = 1.0;  // clearance before any dose
    return x;
}

double MyelomaModel::extramedullary_cells(const State& x) const {
    if (!second_site_) return 0.0;
    double n = 0.0;
    for (std::size_t c = 0; c < layout_.clones(); ++c)
        if (clones_.clones[c].site == 1)
            for (std::size_t k = 0; k < layout_.bins(); ++k) n += pos(x[layout_.tumour(c, k)]);
    return n;
}

double MyelomaModel::marrow_tumour_cells(const State& x) const {
    return second_site_ ? tumour_cells(x) - extramedullary_cells(x) : tumour_cells(x);
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
    return myeloid_room_.suppression(x[layout_.compartment(Compartment::MacrophageSuppressive)]);
}

double MyelomaModel::functional_t_fraction(const State& x) const {
    const double f = pos(x[layout_.compartment(Compartment::EndogenousFunctional)]);
    const double e = pos(x[layout_.compartment(Compartment::EndogenousExhausted)]);
    return f + e > 0.0 ? f / (f + e) : 0.0;
}

double MyelomaModel::bispecific_concentration_ug_per_ml(const State& x, std::size_t drug, double t) const {
    return drug_room_.concentration_ug_per_ml(x, layout_, drug, t);
}

void MyelomaModel::dose_bispecific(State& x, std::size_t drug, double t, drugs::PkAmounts added,
                                   double days_on_drug) const {
    drug_room_.dose(x, layout_, drug, t, added, days_on_drug);
}

double MyelomaModel::effective_bcma_fold() const { return effects_.gsi_on ? slots_.gsi_bcma_density_fold : 1.0; }

void MyelomaModel::operator()(const State& x, State& dxdt, double t) const {
    std::fill(dxdt.begin(), dxdt.end(), 0.0);
    build_context(x, t);
    const RateContext& c = context_;
    const auto compartment = [&](Compartment k) { return layout_.compartment(k); };
    tumour_room_.flows(x, c, frozen_, boundary_flow_, dxdt);
    cart_room_.flows(x, c, cart_frozen_, dxdt);
    apply_flows(EndogenousTRoom::kChart, t_room_.amounts(x, layout_, c), compartment, dxdt);
    apply_flows(MyeloidRoom::kChart, myeloid_room_.amounts(x, layout_, c), compartment, dxdt);
    apply_flows(InflammationRoom::kChart, inflammation_room_.amounts(x, layout_, c), compartment, dxdt);
    anti_car_room_.flows(x, layout_, anti_car_primed_, binder_of_, dxdt);
}

void MyelomaModel::prime_anti_car(State& x, std::size_t product) {
    const std::size_t b = binder_of_[product];
    const double primed = anti_car_room_.primed_log_odds(slots_.cart[product].params.immunogenicity_onset_days);
    double& y = x[layout_.anti_car(b)];
    y = mechanisms_.anti_car_memory && anti_car_primed_[b] ? std::max(y, primed) : primed;
    anti_car_primed_[b] = true;
}

void MyelomaModel::add_cart_doublings_share(State& x, std::size_t product, double added_cells) const {
    const double cells = cart_cells(x, layout_, product);
    double& doublings = x[layout_.cart_doublings(product)];
    doublings = cells + added_cells > 0.0 ? doublings * cells / (cells + added_cells) : 0.0;
}

void MyelomaModel::deplete_anti_car(State& x, double keep) {
    if (keep >= 1.0) return;  // nothing removed (and a response rounded to 1 would give infinite log-odds)
    for (std::size_t b = 0; b < layout_.cart_binders(); ++b) {
        if (!anti_car_primed_[b]) continue;
        const double a = anti_car_response(x, b) * keep;
        if (a > 0.0) {
            x[layout_.anti_car(b)] = std::log(a / (1.0 - a));
        } else {  // every responding cell removed: the host must be primed again
            x[layout_.anti_car(b)] = 0.0;
            anti_car_primed_[b] = false;
        }
    }
}

const TumourRates& MyelomaModel::tumour_rates(const State& x, double t) const {
    build_context(x, t);
    return context_.rates;
}

CarTRates MyelomaModel::cart_rates(const State& x, std::size_t product, double /*t*/) const {
    return cart_room_.rates(x, context_, product);
}

const RateContext& MyelomaModel::context(const State& x, double t) const {
    build_context(x, t);
    return context_;
}

}  // namespace cartsim::patient
