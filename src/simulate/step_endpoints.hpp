#pragma once
// Endpoints that must not depend on how often results are written: the CAR-T blood peak and its day,
// the last day blood CAR-T are at or above the detection limit, the peak inflammation index (CRS
// grade), the peak effector of the active line (relapse typing),
// the day the tumour reaches the lethal burden, and the day each clone first holds one whole cell;
// and every state variable that falls below minus the solver's absolute tolerance (a numerical
// failure: every state variable is a non-negative amount).
// Tracked at every accepted solver step: each step is sampled at its ends and three inner points of
// its dense output; a peak inside a step is refined by golden-section search, a crossing by bisection.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "model/patient/myeloma_model.hpp"
#include "solvers/ode/integrator.hpp"
#include "src/simulate/line_evidence.hpp"
#include "src/simulate/run_result.hpp"

namespace cartsim::simulate {

struct TrackedPeak {
    double value = 0.0;
    std::optional<double> day;  // [days]; null while nothing above zero was seen
};

/// Inflammation of one therapy line: its peak and the first day it reached the CRS grade-1 threshold.
struct LineCrs {
    double peak = 0.0;
    std::optional<double> onset_day;
};

class StepEndpoints {
public:
    StepEndpoints(const patient::MyelomaModel& model, double lethal_burden_cells, double detection_limit_cells_per_ul,
                  double crs_onset_threshold, double absolute_tolerance);

    /// The line whose effector peak and inflammation are tracked from now on (null: none), and where
    /// they live.
    void set_line(std::optional<LineContext> line, double* peak_effector, LineCrs* crs);

    /// Looks at one state (the start, after events). Returns true when the tumour is at or above the
    /// lethal burden there (the lethal day is then t).
    bool at_point(double t, const patient::State& x);

    /// Looks at one accepted step. Returns the day the tumour reaches the lethal burden inside it, or
    /// +infinity.
    double on_step(const ode::Step& step);

    /// Writes the CAR-T peaks, detection, peak inflammation and CRS onset into a run's summary.
    void fill(Summary& summary) const;

    const TrackedPeak& cart_blood() const { return cart_blood_; }  // [CAR-T cells/uL]
    const TrackedPeak& cart_copies() const { return cart_copies_; }  // [transgene copies/ug DNA]
    double peak_inflammation() const { return inflammation_.value; }
    /// Last day blood CAR-T (every product) were at or above the detection limit (null: never).
    std::optional<double> cart_detectable_until() const { return detectable_until_; }
    std::optional<double> lethal_day() const { return lethal_day_; }
    /// Counts x when an amount in it is below minus the absolute tolerance (called at every step end
    /// and event point, and for every state written).
    void check_negative(const patient::State& x);
    /// Points (step ends, event points, written states) at which some amount was below minus the
    /// absolute tolerance.
    std::int64_t negative_points() const { return negative_points_; }
    /// First day the clone held at least one cell (null: never) [days].
    std::optional<double> first_whole_cell_day(std::size_t clone) const { return first_whole_cell_[clone]; }

private:
    struct Sample {
        double blood = 0.0, copies = 0.0, inflammation = 0.0, effector = 0.0, tumour = 0.0;
    };
    Sample measure(const patient::State& x, double t) const;
    void offer(double t, const Sample& s);
    void refine_peaks(const ode::Step& step, const std::vector<double>& t, const std::vector<Sample>& s);
    void clone_crossings(const ode::Step& step);
    void detection_crossings(const ode::Step& step);
    void crs_onset(const ode::Step& step);

    const patient::MyelomaModel& model_;
    double lethal_burden_cells_;
    double detection_limit_;  // [cells/uL]
    double crs_threshold_;    // [index] grade 1 begins here
    double negative_floor_;   // minus the absolute tolerance
    std::int64_t negative_points_ = 0;
    double most_negative_ = 0.0;
    std::size_t most_negative_index_ = 0;
    std::optional<double> crs_onset_;
    LineCrs* line_crs_ = nullptr;
    std::optional<double> detectable_until_;
    std::optional<LineContext> line_;
    double* peak_effector_ = nullptr;
    TrackedPeak cart_blood_, cart_copies_, inflammation_;
    std::optional<double> lethal_day_;
    std::vector<std::optional<double>> first_whole_cell_;
    std::vector<double> clone_cells_[2];  // each clone's cells at the start and the end of the step
    patient::State scratch_;
    std::vector<double> times_;
    std::vector<Sample> samples_;
};

}  // namespace cartsim::simulate
