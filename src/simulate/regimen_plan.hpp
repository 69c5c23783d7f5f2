#pragma once
// Turns a regimen (lines of therapies) into the slots the model state needs and, for every therapy,
// the slot it uses.

#include <string>
#include <vector>

#include "model/drugs/therapy.hpp"
#include "model/patient/therapy_slots.hpp"

namespace cartsim::simulate {

struct TherapyRef {
    std::size_t line = 0;
    std::size_t therapy = 0;
    int cart_slot = -1;
    int bispecific_slot = -1;
    int antibody_slot = -1;
    int exposure = -1;  // index into RegimenPlan::exposures for on/off therapies
};

struct RegimenPlan {
    patient::TherapySlots slots;
    std::vector<TherapyRef> therapies;     // every therapy of every line
    std::vector<TherapyRef> exposures;     // therapies switched on and off by a schedule
};

RegimenPlan plan_regimen(const std::vector<drugs::Line>& regimen);

/// Antigens the therapies of a line are directed at (CAR-T, bispecifics, antibodies).
std::vector<Antigen> line_targets(const drugs::Line& line);

}  // namespace cartsim::simulate
