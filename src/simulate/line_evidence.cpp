#include "src/simulate/line_evidence.hpp"

#include <algorithm>
#include <cmath>

#include "model/patient/readouts.hpp"

namespace cartsim::simulate {
namespace {

using patient::Compartment;

/// Lowest functional floor among the line's binders for one antigen (0 when none recognises it).
double floor_for(const LineContext& c, Antigen antigen) {
    double floor = -1.0;
    const auto consider = [&](const std::vector<Antigen>& targets, const BinderAffinity& binder) {
        for (Antigen a : targets)
            if (a == antigen && (floor < 0.0 || binder.functional_floor_molecules_per_cell < floor))
                floor = binder.functional_floor_molecules_per_cell;
    };
    for (const auto& t : c.regimen[c.line].therapies) {
        if (t.kind == drugs::TherapyKind::CarT) consider(t.cart.targets, t.cart.binder);
        if (t.kind == drugs::TherapyKind::Bispecific) consider(t.bispecific.targets, t.bispecific.binder);
        if (t.kind == drugs::TherapyKind::AntibodyDrugConjugate) consider({t.effect.target}, t.effect.binder);
    }
    return floor < 0.0 ? 0.0 : floor;
}

bool uses_bispecific(const LineContext& c) {
    for (const auto& ref : c.plan.therapies)
        if (ref.line == c.line && ref.bispecific_slot >= 0) return true;
    return false;
}

double bispecific_occupancy(const LineContext& c, const patient::State& x) {
    double occupancy = 0.0;
    for (const auto& ref : c.plan.therapies) {
        if (ref.line != c.line || ref.bispecific_slot < 0) continue;
        const auto b = static_cast<std::size_t>(ref.bispecific_slot);
        const double conc = c.model.bispecific_concentration_ug_per_ml(x, b);
        occupancy = std::max(occupancy, conc / (conc + c.plan.slots.bispecific[b].params.ec50_ug_per_ml));
    }
    return occupancy;
}

}  // namespace

LineBaseline line_baseline(const LineContext& c, const patient::State& x) {
    return LineBaseline{patient::median_bcma_molecules(c.model, x)};
}

double line_effector(const LineContext& c, const patient::State& x) {
    double effectors = 0.0;
    for (const auto& ref : c.plan.therapies)
        if (ref.line == c.line && ref.cart_slot >= 0)
            effectors += patient::cart_functional_cells(c.model, x, static_cast<std::size_t>(ref.cart_slot));
    if (uses_bispecific(c))
        effectors += bispecific_occupancy(c, x) *
                     x[c.model.layout().compartment(Compartment::EndogenousFunctional)];
    return effectors;
}

endpoints::RelapseEvidence relapse_evidence(const LineContext& c, const patient::State& x,
                                            const LineBaseline& baseline, double peak_effector) {
    endpoints::RelapseEvidence e;
    const auto targets = line_targets(c.regimen[c.line]);
    e.line_targets_antigen = !targets.empty();
    e.suppression = c.model.suppression(x);
    if (!e.line_targets_antigen) return e;

    // Share of tumour cells that escape every target of the line (below its functional floor).
    const auto& layout = c.model.layout();
    const auto& grid = c.model.grid();
    const double fold = c.model.effective_bcma_fold();
    double escaped = 0.0, lost = 0.0, total = 0.0;
    for (std::size_t clone = 0; clone < layout.clones(); ++clone) {
        const auto& expr = c.model.clone_set().clones[clone].expression;
        double other_below = 1.0;
        bool bcma_target = false;
        bool lost_all = true;  // the clone expresses none of the line's targets (no allele or no expression)
        for (Antigen a : targets) {
            const auto& ae = expr.expression(a);
            lost_all = lost_all && !(ae.median_molecules_per_cell * ae.alleles > 0.0);
            if (a == Antigen::Bcma) {
                bcma_target = true;
                continue;
            }
            const double median = ae.median_molecules_per_cell * ae.alleles / 2.0;
            double below = 1.0;
            if (median > 0.0) {
                const double floor = floor_for(c, a);
                below = floor <= 0.0 ? 0.0
                        : ae.sigma_log <= 0.0
                            ? (median < floor ? 1.0 : 0.0)
                            : 0.5 * std::erfc(-(std::log(floor) - std::log(median)) / (ae.sigma_log * std::sqrt(2.0)));
            }
            other_below *= below;
        }
        const double bcma_floor = floor_for(c, Antigen::Bcma);
        for (std::size_t k = 0; k < layout.bins(); ++k) {
            const double n = std::max(0.0, x[layout.tumour(clone, k)]);
            const double bcma_below = !bcma_target ? 1.0 : (grid.centre(k) * fold <= bcma_floor ? 1.0 : 0.0);
            escaped += n * bcma_below * other_below;
            if (lost_all) lost += n;
            total += n;
        }
    }
    e.share_below_floor = total > 0.0 ? escaped / total : 0.0;
    e.share_lost = total > 0.0 ? lost / total : 0.0;
    if (std::find(targets.begin(), targets.end(), Antigen::Bcma) != targets.end() &&
        baseline.median_bcma_molecules > 0.0)
        e.density_ratio = patient::median_bcma_molecules(c.model, x) / baseline.median_bcma_molecules;

    e.effector_ratio = peak_effector > 0.0 ? line_effector(c, x) / peak_effector : 0.0;
    double exhausted = 0.0, all = 0.0;
    for (const auto& ref : c.plan.therapies) {
        if (ref.line != c.line || ref.cart_slot < 0) continue;
        const auto p = static_cast<std::size_t>(ref.cart_slot);
        exhausted += patient::cart_exhausted_cells(c.model, x, p);
        all += patient::cart_exhausted_cells(c.model, x, p) + patient::cart_functional_cells(c.model, x, p);
    }
    if (uses_bispecific(c)) {
        exhausted += x[layout.compartment(Compartment::EndogenousExhausted)];
        all += x[layout.compartment(Compartment::EndogenousExhausted)] +
               x[layout.compartment(Compartment::EndogenousFunctional)];
    }
    e.exhausted_fraction = all > 0.0 ? exhausted / all : 0.0;
    return e;
}

}  // namespace cartsim::simulate
