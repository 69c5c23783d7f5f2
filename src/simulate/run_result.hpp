#pragma once
// What one simulated patient produced: the time series and the endpoints of summary.json.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/endpoints/relapse.hpp"
#include "model/endpoints/response.hpp"
#include "solvers/ode/integrator.hpp"
#include "src/simulate/table.hpp"

namespace cartsim::simulate {

struct AssessmentRecord {
    double day = 0.0;
    int line = -1;  // index into lines; -1 when no line is active
    endpoints::Response response = endpoints::Response::Stable;
    double mprotein_g_per_dl = 0.0;
    double marrow_plasma_cell_percent = 0.0;
    bool mrd_negative = false;
};

/// One targeted antigen of a line at its progression.
struct AntigenAtProgression {
    std::string antigen;                    // BCMA, GPRC5D, FcRH5 or CD38
    double median_molecules_per_cell = 0.0;  // of all tumour cells
    double share_below_floor = 0.0;          // tumour cells below the line's functional floor for it
    endpoints::AntigenStatus status = endpoints::AntigenStatus::Positive;
};

/// The patient at a line's progression, so relapse biology can be studied over a cohort.
struct ProgressionState {
    double median_bcma_molecules_per_cell = 0.0;  // of all tumour cells
    double share_below_floor = 0.0;  // tumour cells below the floor of every target of the line
    std::string dominant_clone;
    double macrophages_suppressive_cells = 0.0, macrophages_total_cells = 0.0;  // marrow [cells]
    double cart_blood_cells_per_ul = 0.0;                                      // every product
    double t_functional_fraction = 0.0;  // endogenous T-cell fitness: functional / all endogenous
    double sbcma_ng_per_ml = 0.0;
    double mprotein_g_per_dl = 0.0;
    std::vector<AntigenAtProgression> antigens;  // each antigen the line targets
};

struct LineRecord {
    std::string name;
    std::vector<std::string> therapies;
    std::optional<double> start_day;  // null: never started
    std::optional<double> stop_day;
    std::optional<endpoints::Response> best_response;
    bool mrd_negative = false;
    std::optional<double> response_day;  // first assessment at PR or better [days]
    std::optional<double> relapse_from_cr_day;  // IMWG relapse from CR (progression only if so configured)
    double peak_inflammation_index = 0.0;  // from the line's start to its end
    int crs_grade = 0;                     // CRS-risk grade of that peak
    std::optional<double> crs_onset_day;   // first day at or above the grade-1 threshold during the line
    std::optional<double> progression_day;
    std::optional<endpoints::RelapseType> relapse_type;
    std::optional<ProgressionState> at_progression;
};

struct EventRecord {
    double day = 0.0;
    std::string what;
};

/// A founding event: a declared clone at day 0, or one mutant cell (hybrid mode). Clones are given by
/// their index into RunResult::clone_names.
struct LineageRecord {
    std::uint32_t id = 0;
    std::uint32_t clone = 0;
    std::int32_t parent_clone = -1;              // -1 for declared clones
    double founding_day = 0.0;
    std::optional<std::uint64_t> founding_cell;  // agent id of the founding cell
    double peak_cells = 0.0;
    std::optional<double> extinction_day;
    double cells = 0.0;  // size at the last synchronisation (agents counted; an ODE clone's share estimated)
    /// Founding events in this record: 1, or for the pooled record of a clone, every founding event
    /// of it beyond hybrid.max_lineages (then founding_day is that of the first, founding_cell empty).
    std::int64_t founding_events = 1;
};

/// Which representation a population was in (hybrid mode; always "ode" without it).
struct PopulationRepresentation {
    std::string population;
    std::string mode;  // "ode" or "agents"
};

struct Summary {
    std::optional<endpoints::Response> best_response;  // of the first line
    bool mrd_negative = false;                         // during the first line
    std::optional<double> progression_day;             // of the first line
    std::optional<endpoints::RelapseType> relapse_type;
    std::optional<double> death_day;
    std::string death_cause;  // "tumour_burden", "background" or empty
    double cart_peak_blood_cells_per_ul = 0.0;
    std::optional<double> cart_peak_day;
    double cart_peak_copies_per_ug_dna = 0.0;  // blood transgene copies per ug of DNA (qPCR units)
    std::optional<double> cart_detectable_until_day;  // last day blood CAR-T >= the detection limit
    double peak_inflammation_index = 0.0;
    int crs_grade = 0;
    std::optional<double> crs_onset_day;  // first day the inflammation reached the grade-1 threshold
    bool cure = false;                                 // no tumour cell left at the horizon (or at death)
    // Solver points at which a state variable was below minus the absolute tolerance (a numerical
    // failure; 0 in a sound run), the most negative value and its variable.
    std::int64_t negative_state_points = 0;
    std::optional<double> most_negative_state;
    std::optional<std::string> most_negative_state_name;
    // Hybrid bounds (0 without the hybrid layer): populations kept in the ODE by hybrid.max_agents,
    // founding events pooled beyond hybrid.max_lineages, and the run's peak agents and lineage records.
    std::int64_t agent_bound_hits = 0;
    std::int64_t lineage_bound_hits = 0;
    std::int64_t peak_agents = 0;
    std::int64_t lineage_records = 0;
    std::optional<std::string> dominant_clone_at_progression;
    std::optional<double> dominant_clone_founding_day;  // day its founding cell was born (0: declared)
    std::vector<PopulationRepresentation> representation_at_progression;
    std::vector<AssessmentRecord> assessments;
    std::vector<LineRecord> lines;
    std::vector<EventRecord> events;
};

struct RunResult {
    Table timeseries;
    Summary summary;
    std::vector<LineageRecord> lineages;  // empty without the hybrid layer
    std::vector<std::string> clone_names;  // every clone, declared and derived, by index
    struct AgentStats {
        std::int64_t leaps = 0, deaths = 0, moves = 0, divisions = 0;
        std::int64_t to_agents = 0, to_ode = 0;  // representation switches
    } agent_stats;
    ode::Stats stats;
    std::string method;
};

}  // namespace cartsim::simulate
