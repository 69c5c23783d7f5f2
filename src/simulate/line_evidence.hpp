#pragma once
// What the relapse rules look at for one line of therapy: its targets, its effectors, the density of
// its targets at the start of the line and at progression.

#include <array>
#include <vector>

#include "model/drugs/therapy.hpp"
#include "model/endpoints/relapse.hpp"
#include "model/patient/myeloma_model.hpp"
#include "src/simulate/regimen_plan.hpp"
#include "src/simulate/run_result.hpp"

namespace cartsim::simulate {

struct LineBaseline {
    double median_bcma_molecules = 0.0;
    std::array<double, kAntigenCount> median_molecules{};  // each antigen's median over tumour cells
};

struct LineContext {
    const patient::MyelomaModel& model;
    const RegimenPlan& plan;
    const std::vector<drugs::Line>& regimen;
    std::size_t line;
};

LineBaseline line_baseline(const LineContext& context, const patient::State& x);

/// Functional effectors of the line: its CAR-T cells (effector + memory, blood and marrow) plus, for
/// bispecifics, functional endogenous T cells weighted by occupancy at time t [cells].
double line_effector(const LineContext& context, const patient::State& x, double t);

/// What the relapse rules see in state x at time t [days].
endpoints::RelapseEvidence relapse_evidence(const LineContext& context, const patient::State& x, double t,
                                            const LineBaseline& baseline, double peak_effector);

/// Median density of an antigen over all tumour cells [molecules/cell]: BCMA from its density bins;
/// another antigen from the mixture of the clones' lognormal densities (a lost clone counts as 0).
double antigen_median(const patient::MyelomaModel& model, const patient::State& x, Antigen antigen);

/// The patient at the line's progression (share_below_floor and dominant_clone are left to the
/// caller, which has the relapse evidence and the clone names at hand).
ProgressionState progression_state(const LineContext& context, const patient::State& x, const LineBaseline& baseline,
                                   const endpoints::RelapseRules& rules);

/// Each antigen the line targets at progression: median density, share below the line's functional
/// floor for it, and its status by the relapse rules for that antigen alone.
std::vector<AntigenAtProgression> antigens_at_progression(const LineContext& context, const patient::State& x,
                                                          const LineBaseline& baseline,
                                                          const endpoints::RelapseRules& rules);

}  // namespace cartsim::simulate
