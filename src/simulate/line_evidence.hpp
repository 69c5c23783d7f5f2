#pragma once
// What the relapse rules look at for one line of therapy: its targets, its effectors, the density of
// its targets at the start of the line and at progression.

#include <vector>

#include "model/drugs/therapy.hpp"
#include "model/endpoints/relapse.hpp"
#include "model/patient/myeloma_model.hpp"
#include "src/simulate/regimen_plan.hpp"

namespace cartsim::simulate {

struct LineBaseline {
    double median_bcma_molecules = 0.0;
};

struct LineContext {
    const patient::MyelomaModel& model;
    const RegimenPlan& plan;
    const std::vector<drugs::Line>& regimen;
    std::size_t line;
};

LineBaseline line_baseline(const LineContext& context, const patient::State& x);

/// Functional effectors of the line: its CAR-T cells (effector + memory, blood and marrow) plus, for
/// bispecifics, functional endogenous T cells weighted by occupancy [cells].
double line_effector(const LineContext& context, const patient::State& x);

endpoints::RelapseEvidence relapse_evidence(const LineContext& context, const patient::State& x,
                                            const LineBaseline& baseline, double peak_effector);

}  // namespace cartsim::simulate
