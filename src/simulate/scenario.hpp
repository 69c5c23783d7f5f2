#pragma once
// A scenario: everything one run needs, as read from YAML. The single place that lists every
// top-level key; later capabilities (hybrid, cohort, sweep, arms) add sections here.

#include <string>
#include <vector>

#include "model/drugs/therapy.hpp"
#include "model/endpoints/relapse.hpp"
#include "model/endpoints/response.hpp"
#include "model/patient/mechanisms.hpp"
#include "model/patient/patient_params.hpp"
#include "model/reference/cartmath.hpp"
#include "model/reference/singh2021.hpp"
#include "solvers/ode/integrator.hpp"
#include "src/simulate/lesson.hpp"
#include "src/simulate/reference_runner.hpp"

namespace cartsim::simulate {

enum class ModelKind { Myeloma, Singh2021, CartMath };

struct OutputSettings {
    double interval_days = 1.0;
    bool long_timeseries = false;
};

template <class V>
void describe(OutputSettings& o, V& v) {
    v.field("interval_days", o.interval_days,
            bounded("day", "", "time between rows of timeseries.csv", 1e-3, 365.0)
                .plausible(0.01, 30.0, "assumed (output from hours to a month apart)"));
    v.field("long_timeseries", o.long_timeseries,
            FieldInfo{"", "", "a single run also writes timeseries_long.csv, the time series in long (tidy) form: one "
                              "row per time and column (time_day, variable, value), the unit in the variable's name"});
}

struct SolverSettings {
    ode::Method method = ode::Method::Dopri5;
    double rel_tol = 1e-5;  // as accurate as 1e-6 against 1e-9, in 0.7 times the steps (solvers/ode/README.md)
    double abs_tol = 1e-6;
    double initial_step_days = 1e-3;
    double max_step_days = 0.0;

    ode::Settings to_ode() const;
};

template <class V>
void describe(SolverSettings& s, V& v) {
    v.field("method", s.method,
            FieldInfo{"", "",
                      "dopri5 (explicit; the main model is not stiff) or bdf (SUNDIALS CVODE, variable-order BDF "
                      "for stiff systems, the Singh model)"});
    v.field("rel_tol", s.rel_tol,
            bounded("-", "", "relative error tolerance per step", 1e-14, 0.1)
                .plausible(1e-12, 1e-3, "assumed (numerics: 1e-5 by default, 1e-10 for the reference models)"));
    v.field("abs_tol", s.abs_tol,
            bounded("state units", "", "absolute error tolerance per step (cells, g/dL, ng/mL, mg)", 1e-20, 1e6)
                .plausible(1e-12, 1e-2, "assumed (numerics: below one cell and the smallest concentrations)"));
    v.field("initial_step_days", s.initial_step_days,
            bounded("day", "", "first trial step", 1e-12, 10.0)
                .plausible(1e-8, 1.0, "assumed (numerics: the stepper adapts it at once)"));
    v.field("max_step_days", s.max_step_days,
            nonnegative("day", "", "largest step (0: no limit)")
                .plausible(0.0, 30.0, "assumed (numerics: 0, no limit, or up to a month)"));
}

/// Small populations as individual cells (MODEL.md section 5).
struct HybridSettings {
    bool enabled = true;
    // 10x below MODEL.md's example (1e4 / 1e5): see the plausibility notes below and README "Small
    // populations as cells" (outcome shares equivalent, a fifth to a tenth of the agent work).
    double to_agents_below_cells = 1e2;
    double to_ode_above_cells = 1e3;
    double max_hazard_per_leap = 0.1;
    double max_sync_days = 4.0;
    double agent_step_days = 1.0;
    double division_noise_sigma_log = 0.05;
    int max_agents = 2'000'000;
    int max_lineages = 2'000'000;
    // Not a scenario key: hand-over records kept per direction (all are counted); tests lower it.
    std::size_t kept_switch_records = 1000;
};

template <class V>
void describe(HybridSettings& h, V& v) {
    v.field("enabled", h.enabled, FieldInfo{"", "assumed", "simulate small populations as agents"});
    v.field("to_agents_below_cells", h.to_agents_below_cells,
            bounded("cells", "assumed (N_low; MODEL.md section 5 suggests about 1e4)",
                    "an ODE population below this becomes agents", 1.0, 1e9)
                .plausible(10.0, 1e6,
                           "assumed (below 1e2 cells every population is cells, and a growing one leaves them at 1e3, "
                           "where it dies out with probability (d/b)^1000; outcome shares equivalent at 1e1-1e3, "
                           "tests/e2e/chance_thresholds.sh)"));
    v.field("to_ode_above_cells", h.to_ode_above_cells,
            bounded("cells", "assumed (N_high, 10x N_low against chattering as in MODEL.md section 5)",
                    "an agent population above this returns to the ODE", 1.0, 1e10)
                .plausible(1e2, 1e7, "assumed (MODEL.md section 5: 10x N_low against chattering)"));
    v.field("max_hazard_per_leap", h.max_hazard_per_leap,
            bounded("-", "assumed (tau-leaping error control)",
                    "largest per-cell rate times leap length; smaller is more exact and slower", 1e-4, 1.0)
                .plausible(0.01, 0.5, "assumed (numerics: tau-leaping error control)"));
    v.field("max_sync_days", h.max_sync_days,
            bounded("day", "assumed", "longest ODE step: agent counts reach the ODE at least this often", 1e-3, 10.0)
                .plausible(0.1, 10.0, "assumed (numerics)"));
    v.field("agent_step_days", h.agent_step_days,
            bounded("day", "assumed",
                    "agents are advanced on a fixed grid of this step, whatever the output times and ODE steps",
                    1e-3, 10.0)
                .plausible(0.05, 10.0, "assumed (numerics)"));
    v.field("division_noise_sigma_log", h.division_noise_sigma_log,
            bounded("-", "assumed", "sd of ln(density) change from mother to daughter at division", 0.0, 2.0)
                .plausible(0.0, 0.5, "assumed (daughters close to their mother's density)"));
    v.field("max_agents", h.max_agents,
            bounded("agents", "assumed (a bound on work and memory, 48 bytes per agent)",
                    "most agents of all populations of a run together: a population that would take the total "
                    "above it stays in (or returns to) the ODE at a synchronisation, and a run whose agents grow "
                    "past twice it between synchronisations stops with an error; each is counted in "
                    "agent_bound_hits",
                    1.0, 2e9)
                .plausible(1e5, 1e8, "assumed (shipped examples, lessons and studies peak below 2e5 agents, hybrid on; README)"));
    v.field("max_lineages", h.max_lineages,
            bounded("records", "assumed (a bound on memory and on lineage.csv, 48 bytes per record)",
                    "most lineage records of a run: founding events beyond it join one pooled record per clone "
                    "(lineage.csv column founding_events), counted in lineage_bound_hits",
                    1.0, 2e9)
                .plausible(1e4, 1e8, "assumed (shipped examples, lessons and studies found below 2.1e5 lineages, hybrid on; README)"));
}

struct EndpointSettings {
    endpoints::ResponseCriteria response{};
    endpoints::RelapseRules relapse{};
    double cart_detection_limit_cells_per_ul = 0.1;
};

template <class V>
void describe(EndpointSettings& e, V& v) {
    v.section("response", e.response);
    v.section("relapse", e.relapse);
    v.field("cart_detection_limit_cells_per_ul", e.cart_detection_limit_cells_per_ul,
            bounded("cells/uL",
                    "assumed: flow cytometry of CAR+ T cells in blood; CARTITUDE-4 counted cells/uL by flow and "
                    "reported CAR-T detectable for a median 57 days (Martin et al., IMS 2023)",
                    "blood CAR-T (every product) at or above this are detectable (cart_detectable_until_day)", 1e-6,
                    1e3)
                .plausible(0.01, 10.0, "assumed (flow cytometry detects about 0.1-1 CAR+ cells/uL)"));
}

struct ReferenceParameters {
    reference::Singh2021Params singh;
    reference::CartMathParams cartmath;
};

struct Scenario {
    std::string name = "scenario";
    std::string description;
    ModelKind model = ModelKind::Myeloma;
    double horizon_days = 730.0;
    int seed = 1;
    // model: myeloma
    patient::PatientParams patient{};
    patient::Mechanisms mechanisms{};
    std::vector<drugs::Line> regimen;
    EndpointSettings endpoints{};
    HybridSettings hybrid{};
    LessonSpec lesson{};  // teaching text and sliders (scenarios/lessons); no effect on a run
    // model: singh2021 or cartmath
    double dose_cells = 450.0e6;
    ReferenceParameters parameters{};
    OutputSettings output{};
    SolverSettings solver{};
};

template <class V>
void describe(Scenario& s, V& v) {
    v.field("name", s.name, FieldInfo{"", "", "scenario name"});
    v.field("description", s.description, FieldInfo{"", "", "free text"});
    v.field("model", s.model, FieldInfo{"", "", "myeloma (the cartsim model) or a published reference model"});
    v.field("horizon_days", s.horizon_days,
            bounded("day", "", "simulated time", 1.0, 36500.0)
                .plausible(28.0, 3650.0, "assumed (a month to 10 years: trial follow-up is about 1-5 years)"));
    v.field("seed", s.seed,
            bounded("-", "", "random seed (agents, background mortality)", 0.0, 2147483647.0)
                .plausible(0.0, 2147483647.0, "any seed (the hard range)"));
    if (s.model == ModelKind::Myeloma) {
        v.section("patient", s.patient);
        v.section("mechanisms", s.mechanisms);
        v.list("regimen", s.regimen);
        v.section("endpoints", s.endpoints);
        v.section("hybrid", s.hybrid);
        v.section("lesson", s.lesson);
    } else {
        v.field("dose_cells", s.dose_cells,
                s.model == ModelKind::Singh2021
                    ? nonnegative("cells", "scenario", "CAR-T dose")
                          .plausible(2e7, 1e9, "ide-cel doses 150-450e6 CAR+ T cells (KarMMa, Munshi 2021 NEJM)")
                    : nonnegative("cells", "scenario",
                                  "CAR-T dose (the default, 450e6, is the ide-cel dose of singh2021: a cartmath "
                                  "scenario sets its own mouse dose)")
                          .plausible(1e5, 1e8,
                                     "doses given to mice, around the 1.5e6 of Barros et al. 2021 (CARTmath); "
                                     "assumed 1e5-1e8"));
        if (s.model == ModelKind::Singh2021)
            v.section("parameters", s.parameters.singh);
        else
            v.section("parameters", s.parameters.cartmath);
    }
    v.section("output", s.output);
    v.section("solver", s.solver);
}

/// Cross-field problems of a whole scenario (per-field ranges are checked while reading).
std::vector<std::string> validate(const Scenario& s);

/// The reference-model part of a scenario in the form the reference runner takes.
ReferenceScenario to_reference(const Scenario& s);

}  // namespace cartsim::simulate

namespace cartsim {
template <>
struct EnumNames<simulate::ModelKind> {
    static constexpr std::array items{std::pair{simulate::ModelKind::Myeloma, "myeloma"},
                                      std::pair{simulate::ModelKind::Singh2021, "singh2021"},
                                      std::pair{simulate::ModelKind::CartMath, "cartmath"}};
};
template <>
struct EnumNames<ode::Method> {
    static constexpr std::array items{std::pair{ode::Method::Dopri5, "dopri5"},
                                      std::pair{ode::Method::Bdf, "bdf"}};
};
}  // namespace cartsim
