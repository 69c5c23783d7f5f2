#include "model/patient/layout.hpp"

#include <array>

namespace cartsim::patient {
namespace {

constexpr std::array<const char*, StateLayout::kCarTPools> kCarTPoolNames = {
    "effector_blood", "memory_blood", "effector_marrow", "memory_marrow", "exhausted_marrow"};
constexpr std::array<const char*, StateLayout::kBispecificPools> kBispecificPoolNames = {
    "depot_mg_at_dose", "central_mg_at_dose", "peripheral_mg_at_dose", "dose_day", "clearance_factor"};
constexpr std::array<const char*, static_cast<std::size_t>(Compartment::Count)> kCompartmentNames = {
    "endogenous_functional", "endogenous_exhausted", "macrophage_neutral", "macrophage_suppressive",
    "soluble_bcma",          "inflammation",         "ld_cytokine",        "mprotein",
    "desensitisation",       "myeloid_imprint"};

}  // namespace

std::string StateLayout::name(std::size_t index) const {
    if (index < tumour_end())
        return "tumour_clone" + std::to_string(index / bins_) + "_bin" + std::to_string(index % bins_);
    std::size_t i = index - tumour_end();
    if (i < cart_products_ * kCarTPools) return "cart" + std::to_string(i / kCarTPools) + "_" + kCarTPoolNames[i % kCarTPools];
    i -= cart_products_ * kCarTPools;
    if (i < bispecifics_ * kBispecificPools)
        return "bispecific" + std::to_string(i / kBispecificPools) + "_" + kBispecificPoolNames[i % kBispecificPools];
    i -= bispecifics_ * kBispecificPools;
    if (i < kCompartmentNames.size()) return kCompartmentNames[i];
    i -= kCompartmentNames.size();
    if (i < cart_binders_) return "anti_car_log_odds" + std::to_string(i);
    i -= cart_binders_;
    if (i < cart_products_) return "cart" + std::to_string(i) + "_doublings";
    i -= cart_products_;
    if (i < clones_) return "tumour_clone" + std::to_string(i) + "_bcma_shift";
    return "state" + std::to_string(index);
}

}  // namespace cartsim::patient
