#include "src/simulate/line_evidence.hpp"

#include <algorithm>
#include <cmath>

#include "model/drugs/bispecific_params.hpp"
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

double bispecific_occupancy(const LineContext& c, const patient::State& x, double t) {
    double occupancy = 0.0;
    for (const auto& ref : c.plan.therapies) {
        if (ref.line != c.line || ref.bispecific_slot < 0) continue;
        const auto b = static_cast<std::size_t>(ref.bispecific_slot);
        occupancy = std::max(occupancy, c.model.bispecific_arms(x, b, t).target);
    }
    return occupancy;
}

/// Cells of each clone, and its antigen density's log-median and spread (a lost clone: no density).
struct CloneDensity {
    double cells = 0.0;
    bool lost = false;
    double log_median = 0.0, sigma_log = 0.0;
};

std::vector<CloneDensity> clone_densities(const patient::MyelomaModel& model, const patient::State& x, Antigen a) {
    std::vector<CloneDensity> out;
    for (std::size_t clone = 0; clone < model.layout().clones(); ++clone) {
        const auto& ae = model.clone_set().clones[clone].expression.expression(a);
        const double median = ae.allele_median_molecules_per_cell();
        out.push_back({std::max(0.0, model.clone_cells(x, clone)), !(median > 0.0),
                       median > 0.0 ? std::log(median) : 0.0, ae.sigma_log});
    }
    return out;
}

/// Share of a clone's cells at or below `level` molecules/cell.
double share_at_or_below(const CloneDensity& d, double level) {
    if (d.lost) return 1.0;
    if (!(level > 0.0)) return 0.0;
    if (d.sigma_log <= 0.0) return std::log(level) >= d.log_median ? 1.0 : 0.0;
    return 0.5 * std::erfc(-(std::log(level) - d.log_median) / (d.sigma_log * std::sqrt(2.0)));
}

}  // namespace

double antigen_median(const patient::MyelomaModel& model, const patient::State& x, Antigen a) {
    if (a == Antigen::Bcma) return patient::median_bcma_molecules(model, x);
    const auto clones = clone_densities(model, x, a);
    double total = 0.0, lost = 0.0, lo = 0.0, hi = 0.0;
    bool any = false;
    for (const auto& d : clones) {
        total += d.cells;
        if (d.lost) {
            lost += d.cells;
            continue;
        }
        if (!(d.cells > 0.0)) continue;
        const double spread = 8.0 * std::max(d.sigma_log, 1e-3);
        lo = any ? std::min(lo, d.log_median - spread) : d.log_median - spread;
        hi = any ? std::max(hi, d.log_median + spread) : d.log_median + spread;
        any = true;
    }
    if (!(total > 0.0) || !any || lost >= 0.5 * total) return 0.0;
    const auto below = [&](double log_level) {
        double cells = 0.0;
        for (const auto& d : clones) cells += d.cells * share_at_or_below(d, std::exp(log_level));
        return cells / total;
    };
    for (int i = 0; i < 100 && hi - lo > 1e-10; ++i) {  // bisection on ln(density)
        const double mid = 0.5 * (lo + hi);
        (below(mid) >= 0.5 ? hi : lo) = mid;
    }
    return std::exp(hi);
}

std::vector<AntigenAtProgression> antigens_at_progression(const LineContext& c, const patient::State& x,
                                                          const LineBaseline& baseline,
                                                          const endpoints::RelapseRules& rules) {
    std::vector<AntigenAtProgression> out;
    const auto& layout = c.model.layout();
    for (Antigen a : line_targets(c.regimen[c.line])) {
        const double floor = floor_for(c, a);
        double below = 0.0, lost = 0.0, total = 0.0;
        const auto clones = clone_densities(c.model, x, a);
        for (std::size_t clone = 0; clone < clones.size(); ++clone) {
            total += clones[clone].cells;
            if (clones[clone].lost) lost += clones[clone].cells;
            if (a != Antigen::Bcma) {
                below += clones[clone].cells * share_at_or_below(clones[clone], floor);
                continue;
            }
            for (std::size_t k = 0; k < layout.bins(); ++k)  // BCMA: the density bins themselves
                if (c.model.grid().centre(k) * c.model.effective_bcma_fold() <= floor)
                    below += std::max(0.0, x[layout.tumour(clone, k)]);
        }
        AntigenAtProgression state;
        state.antigen = std::string(enum_name(a));
        state.median_molecules_per_cell = antigen_median(c.model, x, a);
        state.share_below_floor = total > 0.0 ? below / total : 0.0;
        const double start = baseline.median_molecules[index(a)];
        const double ratio = start > 0.0 ? state.median_molecules_per_cell / start : 1.0;
        state.status = endpoints::antigen_status(state.share_below_floor, total > 0.0 ? lost / total : 0.0, ratio, rules);
        out.push_back(std::move(state));
    }
    return out;
}

ProgressionState progression_state(const LineContext& c, const patient::State& x, const LineBaseline& baseline,
                                   const endpoints::RelapseRules& rules) {
    const auto& layout = c.model.layout();
    const auto at = [&](Compartment k) { return x[layout.compartment(k)]; };
    ProgressionState p;
    p.median_bcma_molecules_per_cell = patient::median_bcma_molecules(c.model, x);
    p.macrophages_suppressive_cells = at(Compartment::MacrophageSuppressive);
    p.macrophages_total_cells = at(Compartment::MacrophageNeutral) + at(Compartment::MacrophageSuppressive);
    for (std::size_t k = 0; k < layout.cart_products(); ++k)
        p.cart_blood_cells_per_ul += patient::cart_blood_cells_per_ul(c.model, x, k);
    p.t_functional_fraction = c.model.functional_t_fraction(x);
    p.sbcma_ng_per_ml = at(Compartment::SolubleBcma);
    p.mprotein_g_per_dl = at(Compartment::MProtein);
    p.antigens = antigens_at_progression(c, x, baseline, rules);
    return p;
}

LineBaseline line_baseline(const LineContext& c, const patient::State& x) {
    LineBaseline b{patient::median_bcma_molecules(c.model, x), {}};
    for (Antigen a : line_targets(c.regimen[c.line])) b.median_molecules[index(a)] = antigen_median(c.model, x, a);
    return b;
}

double line_effector(const LineContext& c, const patient::State& x, double t) {
    double effectors = 0.0;
    for (const auto& ref : c.plan.therapies)
        if (ref.line == c.line && ref.cart_slot >= 0)
            effectors += patient::cart_functional_cells(c.model, x, static_cast<std::size_t>(ref.cart_slot));
    if (uses_bispecific(c))
        effectors += bispecific_occupancy(c, x, t) *
                     x[c.model.layout().compartment(Compartment::EndogenousFunctional)];
    return effectors;
}

endpoints::RelapseEvidence relapse_evidence(const LineContext& c, const patient::State& x, double t,
                                            const LineBaseline& baseline, double peak_effector) {
    endpoints::RelapseEvidence e;
    const auto targets = line_targets(c.regimen[c.line]);
    e.line_targets_antigen = !targets.empty();
    e.suppression = c.model.suppression(x);
    const double tumour = c.model.tumour_cells(x);
    e.share_poorly_reached = tumour > 0.0 ? c.model.extramedullary_cells(x) / tumour : 0.0;
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
            const double median = ae.allele_median_molecules_per_cell();
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

    e.effector_ratio = peak_effector > 0.0 ? line_effector(c, x, t) / peak_effector : 0.0;
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
