#pragma once
// Bispecific pharmacokinetics solved exactly: a subcutaneous depot absorbed at first order into one
// central compartment eliminated at first order (MODEL.md section 4). The system is linear and does
// not depend on the rest of the patient, so between two doses its solution is the Bateman function;
// the ODE carries the amounts at the last dose and the day of it, and every reader asks for the
// amounts at its own time. (Solved numerically, the depot's absorption at about 0.5/day set the
// solver's step for as long as a patient was dosed, even in a remission where nothing else changed.)

#include "model/drugs/bispecific_params.hpp"

namespace cartsim::drugs {

/// Drug amounts [mg]: in the subcutaneous depot (already multiplied by the bioavailability) and in the
/// central compartment.
struct PkAmounts {
    double depot_mg = 0.0;
    double central_mg = 0.0;
};

/// The amounts `days` after `start` with no dose in between (days < 0 is taken as 0).
PkAmounts pk_after(const BispecificParams& p, PkAmounts start, double days);

}  // namespace cartsim::drugs
