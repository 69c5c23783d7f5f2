#pragma once
// The model's value of each validation target, computed from the rows of patients.csv, and the
// validation table (validation.csv) that sets it beside the clinical figure and its band.

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "src/study/targets.hpp"

namespace cartsim::study {

/// patients.csv as text cells, addressed by column name.
struct PatientTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    /// Index of `name`, or nullopt.
    std::optional<std::size_t> column(const std::string& name) const;
};

/// Reads a CSV with a header line. Throws std::runtime_error on a row with the wrong cell count.
PatientTable read_patient_table(std::istream& in);

struct TargetResult {
    TargetSpec target;
    std::string study;                 // the validation study's name
    std::optional<double> model_value; // absent when undefined (no patients, median not reached ...)
    std::optional<double> ci_low;      // 95% interval of the model value
    std::optional<double> ci_high;
    bool inside = false;
    std::string note;  // why the value is absent, or how it was computed when that matters
};

/// The unit of a metric's values ("percent", "months", "ratio", or "column unit").
std::string metric_unit(Metric m);

/// Evaluates every target on the table. Throws std::runtime_error when a column a target needs is
/// missing.
std::vector<TargetResult> evaluate_targets(const std::vector<TargetSpec>& targets, const PatientTable& table,
                                           const std::string& study);

/// validation.csv: quantity, trial, clinical_value, source, band_low, band_high, model_value,
/// model_ci_low, model_ci_high, inside, then unit, status, counted, assumed_band, band_source, id,
/// study and note. `inside` is never true for an assumed band.
std::string validation_csv(const std::vector<TargetResult>& results);

/// The column names of validation.csv.
std::vector<std::string> validation_header();

/// Targets by how a pass was earned. Only targets with a source-backed band count; input checks are
/// never validation.
struct StatusCounts {
    int calibrated = 0, calibrated_inside = 0;
    int independent = 0, independent_inside = 0;
    int assumed_band = 0;  // reported, not counted (calibrated or independent)
    int input_checks = 0, input_checks_inside = 0;
};
StatusCounts count_statuses(const std::vector<TargetResult>& results);
/// "calibrated 20 of 21 inside; independent 4 of 11 inside; assumed band 10 (not counted); input checks 2 of 3
/// (not validation)": the line `cartsim validate` prints and the documentation quotes.
std::string counts_line(const StatusCounts& counts);

/// validation.csv (every target but the input checks) and input_checks.csv (the input checks, same columns)
/// into `folder`, each written to a temporary name and renamed.
void write_validation_tables(const std::string& folder, const std::vector<TargetResult>& results);

}  // namespace cartsim::study
