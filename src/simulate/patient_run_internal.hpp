#pragma once
// The run of one patient (patient_run.hpp) as a class: its declaration, shared by patient_run.cpp
// (the integration, assessments, progression and readouts) and patient_events.cpp (what each
// scheduled event does to the state and the lines).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "model/patient/readouts.hpp"
#include "src/simulate/active_effects.hpp"
#include "src/simulate/event_queue.hpp"
#include "src/simulate/hybrid_tumour.hpp"
#include "src/simulate/line_evidence.hpp"
#include "src/simulate/patient_run.hpp"
#include "src/simulate/random_stream.hpp"
#include "src/simulate/regimen_plan.hpp"
#include "src/simulate/step_endpoints.hpp"

namespace cartsim::simulate::run_detail {

using drugs::TherapyKind;
using patient::CarTPool;
using patient::Compartment;

enum class LineStatus { Pending, Active, Done };

struct LineState {
    LineStatus status = LineStatus::Pending;
    double start_day = 0.0;
    std::optional<endpoints::ResponseTracker> tracker;
    LineBaseline baseline;
    double peak_effector = 0.0;
    LineCrs crs;
    std::optional<double> responding_since;
};

class PatientRun {
public:
    PatientRun(const Scenario& scenario, const RunOptions& options)
        : scenario_(scenario),
          options_(options),
          started_(std::chrono::steady_clock::now()),
          plan_(plan_regimen(scenario.regimen)),
          model_(scenario.patient, scenario.mechanisms, plan_.slots),
          endpoints_(model_, scenario.patient.tumour.lethal_burden_cells,
                     scenario.endpoints.cart_detection_limit_cells_per_ul,
                     scenario.patient.inflammation.crs_grade_thresholds.at(0), scenario.solver.abs_tol),
          lines_(scenario.regimen.size()),
          exposure_on_(plan_.exposures.size(), false),
          exposure_first_on_(plan_.exposures.size(), kInfinity),
          exposure_end_(plan_.exposures.size(), kInfinity) {
        if (scenario.hybrid.enabled)
            hybrid_.emplace(model_, scenario.hybrid, static_cast<std::uint64_t>(scenario.seed), 0);
    }

    RunResult run();

private:
    void schedule(double day, EventKind kind, int line = -1, int therapy = -1, double value = 0.0) {
        queue_.push(Event{day, kind, line, therapy, value, next_sequence_++});
    }
    bool apply_events(double t, patient::State& x);
    void handle(const Event& e, patient::State& x);
    void start_line(int line, double t, const patient::State& x);
    void stop_line(int line, double t);
    void schedule_therapy(int line, const TherapyRef& ref, double t);
    void assess(double t, const patient::State& x);
    void on_progression(int line, double t, const patient::State& x);
    void refresh_effects(double t);
    void observe(double t, const patient::State& x);
    /// Throws RunTimeLimitExceeded once the run has taken longer than options_.wall_seconds_limit.
    void check_wall_time(double t) const;
    LineContext context(int line) const {
        return LineContext{model_, plan_, scenario_.regimen, static_cast<std::size_t>(line)};
    }
    bool line_active(int line) const { return line >= 0 && lines_[line].status == LineStatus::Active; }
    const drugs::Therapy& therapy(const TherapyRef& ref) const {
        return scenario_.regimen[ref.line].therapies[ref.therapy];
    }
    void log(double t, std::string what) { result_.summary.events.push_back({t, std::move(what)}); }
    /// Day the clone's first cell appeared: 0 for declared clones; for derived clones the first day
    /// the ODE holds at least one cell of it (the hybrid layer records the founding cell itself).
    std::optional<double> founding_day(std::size_t clone) const {
        if (hybrid_) {
            const auto lineage = hybrid_->largest_lineage(clone);
            if (lineage) return hybrid_->lineage_founding_day(*lineage);
        }
        if (model_.clone_set().clones[clone].parent < 0) return 0.0;
        return endpoints_.first_whole_cell_day(clone);
    }
    std::string representation(std::size_t clone) const {
        return hybrid_ && hybrid_->representation(clone) == hybrid::Representation::Agents ? "agents" : "ode";
    }
    /// Kills a share of all tumour cells at once: ODE clones deterministically, agents one by one.
    void kill_tumour_share(double t, patient::State& x, double share) {
        kill_tumour_shares(t, x, std::vector<double>(model_.layout().clones(), share));
    }
    /// Kills shares[c] of clone c's cells at once.
    void kill_tumour_shares(double t, patient::State& x, const std::vector<double>& shares) {
        const auto& layout = model_.layout();
        for (std::size_t c = 0; c < layout.clones(); ++c)
            if (!model_.frozen(c))
                for (std::size_t k = 0; k < layout.bins(); ++k) x[layout.tumour(c, k)] *= 1.0 - shares[c];
        if (hybrid_) hybrid_->kill_share(t, x, shares);
    }

    const Scenario& scenario_;
    RunOptions options_;
    std::chrono::steady_clock::time_point started_;
    RegimenPlan plan_;
    patient::MyelomaModel model_;
    StepEndpoints endpoints_;
    std::vector<LineState> lines_;
    std::vector<bool> exposure_on_;
    std::vector<double> exposure_first_on_;  // day each exposure first switched on (acquired resistance)
    std::vector<double> exposure_end_;
    EventQueue queue_;
    long next_sequence_ = 0;
    int current_line_ = -1;
    double assessment_generation_ = 0.0;
    std::optional<HybridTumour> hybrid_;
    patient::State observed_;  // interpolated state with the agents written in, at an output time
    bool dead_ = false;
    RunResult result_;
};

}  // namespace cartsim::simulate::run_detail
