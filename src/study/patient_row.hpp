#pragma once
// One row of patients.csv: who the patient is (group, index, drawn values), every endpoint of
// summary.json, the trial endpoints (PFS, PFS2, time to next treatment, OS) and per line its
// response, PFS, duration of response, relapse type and the patient's state at its progression.
// Column names follow the output contract of src/io/column_names.hpp. Rows are written as runs finish and read back to
// build the study summary, so the summary of an interrupted and resumed study equals a straight one.

#include <optional>
#include <string>
#include <vector>

#include "src/simulate/run_result.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::study {

struct RowLayout {
    StudyKind kind = StudyKind::Cohort;
    std::vector<std::string> parameters;   // cohort paths, then sweep paths (columns: io::parameter_column)
    int lines = 1;
    std::vector<Antigen> antigens;         // per line, state-at-progression columns for each
    bool variants = false;                 // a variant column after the arm
    std::vector<std::string> attribution;  // mechanism names (with --attribute)

    std::vector<std::string> header() const;
};

RowLayout row_layout(const LoadedStudy& study, const std::vector<std::string>& attribution);

struct PatientRecord {
    std::string group;
    int patient = 0;
    std::string variant;  // the arm's variant this patient got (empty: the arm has none)
    std::vector<double> parameters;  // in the layout's order
    std::optional<simulate::Summary> summary;  // empty when the run failed
    std::optional<double> best_mprotein_change_percent;
    std::vector<std::optional<double>> readouts;  // in the order of readout_columns()
    std::vector<std::optional<double>> attribution_days;  // shift of progression per knock-out
    std::string error;
    double horizon_days = 0.0;
};

/// Best (lowest) M-protein at an assessment relative to day 0 [%]; empty without M-protein at day 0.
std::optional<double> best_mprotein_change_percent(const simulate::RunResult& run);

/// Biology readouts of a run, for validation against baseline and relapse figures (scenarios/validation/SOURCES.md):
///   baseline_plasma_cell_percent             marrow plasma cells at day 0 [%]
///   baseline_sbcma_ng_per_ml                 soluble BCMA at day 0 [ng/mL]
///   baseline_bcma_median_molecules_per_cell  median BCMA density of tumour cells at day 0
///   macrophage_fold_at_progression           marrow macrophages at progression / at day 0
///   mprotein_doubling_days_at_progression    M-protein doubling time from the assessment at progression
///                                            to the first one at least 56 days later [days]; empty when
///                                            it does not rise or the run ends first
/// All of line 1's progression. None depends on the output interval.
const std::vector<std::string>& readout_columns();
std::vector<std::optional<double>> patient_readouts(const simulate::RunResult& run);

/// PFS of line `line` (0-based) [days] and whether it ended by progression or death; empty when the
/// line never started. Censored at the horizon.
std::optional<std::pair<double, bool>> line_pfs(const simulate::Summary& s, std::size_t line, double horizon_days);
/// Duration of response of a line: from its first response (PR or better) to its progression or
/// death [days]; censored at the horizon; empty when the line had no response.
std::optional<std::pair<double, bool>> duration_of_response(const simulate::Summary& s, std::size_t line,
                                                            double horizon_days);
/// PFS2 (EMA): from the start of the first line to progression on the next line or death [days];
/// censored at the horizon; empty when the patient's regimen has one line.
std::optional<std::pair<double, bool>> pfs2_time(const simulate::Summary& s, double horizon_days);
/// Time to next treatment: from the start of the first line to the start of the next or death
/// [days]; censored at the horizon; empty when the patient's regimen has one line.
std::optional<std::pair<double, bool>> time_to_next_treatment(const simulate::Summary& s, double horizon_days);
/// Overall survival from day 0 [days] and whether it ended by death; censored at the horizon.
std::pair<double, bool> overall_survival(const simulate::Summary& s, double horizon_days);

/// The CSV line (no line break) of a record.
std::string csv_line(const RowLayout& layout, const PatientRecord& record);

}  // namespace cartsim::study
