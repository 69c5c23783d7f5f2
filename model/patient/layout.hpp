#pragma once
// Where each compartment lives in the flat ODE state. Only this class turns names into indices.

#include <cstddef>
#include <string>

namespace cartsim::patient {

/// CAR-T cells of one product (counts).
enum class CarTPool { EffectorBlood, MemoryBlood, EffectorMarrow, MemoryMarrow, ExhaustedMarrow, Count };

/// One bispecific antibody, whose pharmacokinetics are solved exactly (model/drugs/pharmacokinetics.hpp):
/// the subcutaneous depot, central and peripheral amounts [mg] right after its last dose, the day of
/// that dose, and the clearance of the interval it opened relative to the start of treatment.
/// Their derivatives are zero; the amounts at a time t come from drugs::pk_after.
enum class BispecificPool { DepotMgAtDose, CentralMgAtDose, PeripheralMgAtDose, DoseDay, ClearanceFactor, Count };

/// Patient-level compartments.
enum class Compartment {
    EndogenousFunctional,   // cells
    EndogenousExhausted,    // cells
    MacrophageNeutral,      // cells
    MacrophageSuppressive,  // cells
    SolubleBcma,            // ng/mL
    Inflammation,           // index
    LdCytokine,             // index, 1 right after lymphodepletion
    MProtein,               // g/dL
    Desensitisation,        // share of the cytokine release refractory after exposure, 0-1
    MyeloidImprint,         // index: myeloid memory of past inflammation (mechanisms.myeloid_memory)
    Count
};

class StateLayout {
public:
    StateLayout() = default;
    StateLayout(std::size_t clones, std::size_t bins, std::size_t cart_products, std::size_t bispecifics,
                std::size_t cart_binders = 0)
        : clones_(clones), bins_(bins), cart_products_(cart_products), bispecifics_(bispecifics),
          cart_binders_(cart_binders) {}

    std::size_t clones() const { return clones_; }
    std::size_t bins() const { return bins_; }
    std::size_t cart_products() const { return cart_products_; }
    std::size_t bispecifics() const { return bispecifics_; }
    std::size_t cart_binders() const { return cart_binders_; }

    std::size_t tumour(std::size_t clone, std::size_t bin) const { return clone * bins_ + bin; }
    std::size_t tumour_end() const { return clones_ * bins_; }
    std::size_t cart(std::size_t product, CarTPool pool) const {
        return tumour_end() + product * kCarTPools + static_cast<std::size_t>(pool);
    }
    std::size_t bispecific(std::size_t drug, BispecificPool pool) const {
        return tumour_end() + cart_products_ * kCarTPools + drug * kBispecificPools + static_cast<std::size_t>(pool);
    }
    std::size_t compartment(Compartment c) const {
        return tumour_end() + cart_products_ * kCarTPools + bispecifics_ * kBispecificPools +
               static_cast<std::size_t>(c);
    }
    /// The host's response against one CAR binding domain, after the compartments: the log-odds y of its
    /// level 1 / (1 + exp(-y)) (0 unprimed .. 1 full), the one state variable that may be negative.
    std::size_t anti_car(std::size_t binder) const { return compartment(Compartment::Count) + binder; }
    /// Population doublings by division of one CAR-T product since infusion (its expansion capacity spent).
    std::size_t cart_doublings(std::size_t product) const {
        return compartment(Compartment::Count) + cart_binders_ + product;
    }
    /// The heritable shift of one clone's BCMA density (natural log of the factor its drift target is
    /// moved by; mechanisms.heritable_density), the other state variable that may be negative.
    std::size_t bcma_shift(std::size_t clone) const {
        return compartment(Compartment::Count) + cart_binders_ + cart_products_ + clone;
    }
    std::size_t size() const { return compartment(Compartment::Count) + cart_binders_ + cart_products_ + clones_; }
    /// True for a state variable that may be negative (a log-odds or a log shift); every other is an
    /// amount (>= 0).
    bool may_be_negative(std::size_t index) const {
        return (index >= compartment(Compartment::Count) && index < compartment(Compartment::Count) + cart_binders_) ||
               index >= bcma_shift(0);
    }
    /// A readable name of a state variable ("tumour_clone1_bin3", "cart0_effector_marrow", "mprotein").
    std::string name(std::size_t index) const;

    static constexpr std::size_t kCarTPools = static_cast<std::size_t>(CarTPool::Count);
    static constexpr std::size_t kBispecificPools = static_cast<std::size_t>(BispecificPool::Count);

private:
    std::size_t clones_ = 0;
    std::size_t bins_ = 0;
    std::size_t cart_products_ = 0;
    std::size_t bispecifics_ = 0;
    std::size_t cart_binders_ = 0;
};

}  // namespace cartsim::patient
