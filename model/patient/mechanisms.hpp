#pragma once
// Every mechanism of the model can be switched off for in-silico knock-out experiments. Each switch is
// declared beside the parameters its mechanism uses (TumourMechanisms in tumour/tumour_params.hpp, and so
// on); this struct gathers them under the YAML key `mechanisms:`, in the order of the bases.

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "model/common/describe.hpp"
#include "model/drugs/bispecific_params.hpp"
#include "model/myeloid/macrophage_params.hpp"
#include "model/patient/patient_params.hpp"
#include "model/tcells/cart_params.hpp"
#include "model/tcells/endogenous_params.hpp"
#include "model/tumour/tumour_params.hpp"

namespace cartsim::patient {

struct Mechanisms : tumour::TumourMechanisms,
                    tcells::CarTMechanisms,
                    tcells::HostTCellMechanisms,
                    myeloid::MyeloidMechanisms,
                    drugs::DrugMechanisms,
                    PatientMechanisms {};

template <class V>
void describe(Mechanisms& m, V& v) {
    describe(static_cast<tumour::TumourMechanisms&>(m), v);
    describe(static_cast<tcells::CarTMechanisms&>(m), v);
    describe(static_cast<tcells::HostTCellMechanisms&>(m), v);
    describe(static_cast<myeloid::MyeloidMechanisms&>(m), v);
    describe(static_cast<drugs::DrugMechanisms&>(m), v);
    describe(static_cast<PatientMechanisms&>(m), v);
}

namespace detail {
/// Visits the switches: lists their names (all, or those on), sets one by name, or sets all.
struct SwitchVisitor {
    std::vector<std::string>* names = nullptr;
    bool only_on = false;
    std::string_view target;  // the switch to set; empty: every switch
    bool set = false;
    bool value = false;
    int matched = 0;
    template <class T>
    void field(std::string_view key, T& flag, const FieldInfo&) {
        if constexpr (std::is_same_v<T, bool>) {
            if (names && (flag || !only_on)) names->emplace_back(key);
            if (set && (target.empty() || key == target)) {
                flag = value;
                ++matched;
            }
        }
    }
};
}  // namespace detail

/// The switches' YAML keys in their order: every one, or only those that are on.
inline std::vector<std::string> mechanism_names(const Mechanisms& mechanisms, bool only_on = false) {
    std::vector<std::string> names;
    Mechanisms m = mechanisms;
    detail::SwitchVisitor v;
    v.names = &names;
    v.only_on = only_on;
    describe(m, v);
    return names;
}

/// Sets the switch named `name` (its YAML key); false when no switch has that name.
inline bool set_mechanism(Mechanisms& m, std::string_view name, bool on) {
    detail::SwitchVisitor v;
    v.target = name;
    v.set = true;
    v.value = on;
    describe(m, v);
    return v.matched == 1;
}

/// Every switch off except the named ones: a baseline that isolates mechanisms, which a mechanism added
/// later does not join unless named. Throws std::invalid_argument on a name that is no switch.
inline Mechanisms only_mechanisms(std::initializer_list<std::string_view> on) {
    Mechanisms m;
    detail::SwitchVisitor off;
    off.set = true;
    describe(m, off);
    for (const auto name : on)
        if (!set_mechanism(m, name, true)) throw std::invalid_argument("no mechanism switch '" + std::string(name) + "'");
    return m;
}

}  // namespace cartsim::patient
