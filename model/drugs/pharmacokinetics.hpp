#pragma once
// Bispecific pharmacokinetics solved exactly: a subcutaneous depot absorbed at first order into a
// central compartment, which exchanges with a peripheral compartment and is cleared at first order
// (MODEL.md section 4; the two-compartment form of the population-PK models of teclistamab,
// talquetamab and elranatamab). The system is linear and does not depend on the rest of the patient,
// so between two doses its solution is a sum of exponentials; the ODE state carries the amounts at the
// last dose, its day and the elimination rate of the interval, and every reader asks for the amounts
// at its own time. (Solved numerically, the depot's absorption at about 0.5/day set the solver's step
// for as long as a patient was dosed, even in a remission where nothing else changed.)
//
// Time-varying clearance (CL falls over the first weeks of treatment in all three population-PK
// models) is held constant over each dosing interval at its value on the day of the dose that opened
// it: the solution stays exact for that piecewise-constant clearance. Its departure from a clearance
// that changes continuously is bounded in tests/model/drugs/test_pharmacokinetics.cpp.

#include "model/drugs/bispecific_params.hpp"

namespace cartsim::drugs {

/// Drug amounts [mg]: in the subcutaneous depot (already multiplied by the bioavailability), in the
/// central compartment and in the peripheral compartment.
struct PkAmounts {
    double depot_mg = 0.0;
    double central_mg = 0.0;
    double peripheral_mg = 0.0;
};

/// First-order rate constants [1/day] of one dosing interval: absorption ka, elimination from the
/// central compartment k10 = CL / V1, and the exchanges k12 = Q / V1, k21 = Q / V2.
struct PkRates {
    double ka = 0.0;
    double k10 = 0.0;
    double k12 = 0.0;
    double k21 = 0.0;
};

/// Clearance relative to its value at the start of treatment, `days_on_drug` days after the first
/// dose of the line: 1 - Imax t^h / (T50^h + t^h) (1 with no time-varying part).
double clearance_factor(const BispecificParams& p, double days_on_drug);

/// The rate constants of an interval whose clearance is `clearance_factor` times that at the start.
PkRates pk_rates(const BispecificParams& p, double clearance_factor);

/// The amounts `days` after `start` with no dose in between and constant rates (days < 0 is taken as 0).
PkAmounts pk_after(const PkRates& r, PkAmounts start, double days);

}  // namespace cartsim::drugs
