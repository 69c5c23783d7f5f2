#pragma once
// What the state must hold for a regimen: one slot per CAR-T product, per bispecific and per
// antigen-directed antibody, and the effects of drugs that are currently on.

#include <string>
#include <vector>

#include "model/common/antigen.hpp"
#include "model/common/recognition.hpp"
#include "model/drugs/bispecific_params.hpp"
#include "model/tcells/cart_params.hpp"

namespace cartsim::patient {

struct CarTSlot {
    std::string name;
    tcells::CarTParams params;
};

struct BispecificSlot {
    std::string name;
    drugs::BispecificParams params;
};

/// An antibody or antibody-drug conjugate killing by antigen recognition without T cells.
struct AntibodySlot {
    std::string name;
    Antigen target = Antigen::Cd38;
    BinderAffinity binder{};
    double kill_rate_per_day = 0.0;
};

struct TherapySlots {
    std::vector<CarTSlot> cart;
    std::vector<BispecificSlot> bispecific;
    std::vector<AntibodySlot> antibodies;
    double gsi_bcma_density_fold = 1.0;  // largest fold of any gamma-secretase inhibitor in the regimen
};

/// The combined effect of exposure therapies that are on now; changed only by events.
struct ActiveEffects {
    double direct_kill_rate_per_day = 0.0;
    bool gsi_on = false;
    double shedding_block = 0.0;
    double exhaustion_reduction = 0.0;
    double killing_boost = 0.0;
    double reversal_rate_per_day = 0.0;
    double recruitment_reduction = 0.0;
    double polarisation_reduction = 0.0;
    std::vector<bool> antibody_on;  // per antibody slot
};

/// Per CAR-T product: set by the apheresis and infusion events.
struct CarTRuntime {
    bool infused = false;
    double infusion_day = 0.0;
    double fitness_ratio = 1.0;  // functional T-cell share at apheresis / reference share
};

}  // namespace cartsim::patient
