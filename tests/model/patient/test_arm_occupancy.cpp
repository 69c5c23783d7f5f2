// mechanisms.arm_occupancy (model/README.md, "Bispecific exposure"): the soluble-BCMA sink solved by
// equilibrium, target engagement by the free drug, CD3 occupancy by all drug driving T-cell attrition;
// what the switch changes in the right-hand side and what it leaves alone.

#include <doctest/doctest.h>

#include <cmath>

#include "model/drugs/bispecific_params.hpp"
#include "model/patient/myeloma_model.hpp"
#include "tests/model/patient/fixtures.hpp"

namespace cartsim::patient {
using testing::legacy_mechanisms;
namespace {

TherapySlots one_bispecific(Antigen target) {
    TherapySlots slots;
    drugs::BispecificParams p;
    p.targets = {target};
    slots.bispecific.push_back({"bsab", p});
    return slots;
}

/// A state in which the drug is at `ug_per_ml` in its default 5 L central volume at time 10.
State dosed(const MyelomaModel& model, double ug_per_ml) {
    State x = model.initial_state();
    const auto& l = model.layout();
    x[l.bispecific(0, BispecificPool::CentralMgAtDose)] = ug_per_ml * 5.0;
    x[l.bispecific(0, BispecificPool::DoseDay)] = 10.0;
    return x;
}

}  // namespace

TEST_CASE("arm occupancy: without a soluble target each arm follows its own hyperbola") {
    drugs::BispecificParams p;  // 148 kDa: 1 ug/mL = 1000 / 148 nM
    const drugs::ArmOccupancy a = drugs::arm_occupancy(p, 2.0, 0.0);
    const double nm = 2.0 * 1000.0 / 148.0;
    CHECK(a.free_fraction == 1.0);
    CHECK(a.target == doctest::Approx(2.0 / (2.0 + p.ec50_ug_per_ml)).epsilon(1e-15));
    CHECK(a.cd3 == doctest::Approx(nm / (nm + p.cd3_kd_nm)).epsilon(1e-15));
    const drugs::ArmOccupancy none = drugs::arm_occupancy(p, 0.0, 30.0);
    CHECK(none.target == 0.0);
    CHECK(none.cd3 == 0.0);
}

TEST_CASE("arm occupancy: the soluble-target complex satisfies the binding equilibrium and its limits") {
    drugs::BispecificParams p;
    p.soluble_target_kd_nm = 3.0;
    for (const double ug : {0.01, 0.3, 5.0, 80.0}) {
        for (const double s : {0.5, 8.0, 200.0}) {
            CAPTURE(ug);
            CAPTURE(s);
            const drugs::ArmOccupancy a = drugs::arm_occupancy(p, ug, s);
            const double drug = ug * 1000.0 / 148.0, complex = drug * (1.0 - a.free_fraction);
            // Kd X = (D - X)(S - X), the mass-action equilibrium, to rounding.
            CHECK(p.soluble_target_kd_nm * complex ==
                  doctest::Approx((drug - complex) * (s - complex)).epsilon(1e-9).scale(drug * s));
            CHECK(complex <= std::min(drug, s));
            // CD3 is bound by all drug, whatever its other arm holds.
            CHECK(a.cd3 == doctest::Approx(drug / (drug + p.cd3_kd_nm)).epsilon(1e-15));
        }
    }
    // Little drug in a sea of target: the free share is Kd / (Kd + S); much drug: almost all free.
    CHECK(drugs::arm_occupancy(p, 1e-6, 200.0).free_fraction == doctest::Approx(3.0 / 203.0).epsilon(1e-5));
    CHECK(drugs::arm_occupancy(p, 1e4, 8.0).free_fraction == doctest::Approx(1.0).epsilon(1e-4));
}

TEST_CASE("arm occupancy: the switch leaves a patient without bispecifics unchanged, and a GPRC5D drug's killing") {
    // No soluble form of GPRC5D: the free drug is all drug, so target engagement equals the one occupancy
    // of the switch off, and the tumour's derivatives are identical. Only attrition changes, through CD3.
    Mechanisms on = legacy_mechanisms(), off = legacy_mechanisms();
    on.arm_occupancy = true;
    PatientParams patient;
    patient.t_cells.bispecific_attrition_rate_per_day = 0.02;  // 0 by default (not adopted)
    for (const auto& slots : {TherapySlots{}, one_bispecific(Antigen::Gprc5d)}) {
        MyelomaModel with(patient, on, slots), without(patient, off, slots);
        const State x = slots.bispecific.empty() ? with.initial_state() : dosed(with, 3.0);
        State a(x.size()), b(x.size());
        with(x, a, 12.0);
        without(x, b, 12.0);
        const auto& l = with.layout();
        for (std::size_t i = 0; i < l.tumour_end(); ++i) CHECK(a[i] == b[i]);
        const std::size_t functional = l.compartment(Compartment::EndogenousFunctional);
        if (slots.bispecific.empty()) {
            CHECK(a == b);
        } else {
            CHECK(a[functional] != b[functional]);
        }
    }
}

TEST_CASE("arm occupancy: soluble BCMA lowers a BCMA drug's engagement at step-up exposure, hardly at full dose") {
    Mechanisms on;
    on.arm_occupancy = true;
    MyelomaModel model(PatientParams{}, on, one_bispecific(Antigen::Bcma));
    const auto& l = model.layout();
    const auto engagement = [&](double ug, double sbcma_ng_per_ml) {
        State x = dosed(model, ug);
        x[l.compartment(Compartment::SolubleBcma)] = sbcma_ng_per_ml;
        return model.bispecific_arms(x, 0, 12.0).target;
    };
    // 100 ng/mL of soluble BCMA is 18.5 nM; 0.2 ug/mL of drug is 1.35 nM, 30 ug/mL is 203 nM.
    CHECK(engagement(0.2, 100.0) < 0.5 * engagement(0.2, 0.0));
    CHECK(engagement(30.0, 100.0) > 0.99 * engagement(30.0, 0.0));
    // Off, soluble BCMA does not touch the drug (it is a decoy on recognition instead).
    MyelomaModel legacy(PatientParams{}, legacy_mechanisms(), one_bispecific(Antigen::Bcma));
    State x = dosed(legacy, 0.2);
    x[l.compartment(Compartment::SolubleBcma)] = 100.0;
    CHECK(legacy.bispecific_arms(x, 0, 12.0).target ==
          drugs::occupancy(drugs::BispecificParams{}, legacy.bispecific_concentration_ug_per_ml(x, 0, 12.0)));
}

}  // namespace cartsim::patient
