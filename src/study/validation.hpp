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

/// Contribution of one target to the calibration distance: ((model - clinical) / w)^2 times the
/// target's weight, where w is the distance from the clinical value to the band edge on the model's
/// side (so a model value on the band's edge contributes 1 x weight). A survival median not reached
/// counts as the horizon; any other undefined value contributes 9 x weight (three band widths).
double distance_term(const TargetResult& r, double horizon_days);

/// validation.csv: quantity, trial, clinical_value, source, band_low, band_high, model_value,
/// model_ci_low, model_ci_high, inside, then unit, calibrated, study and note.
std::string validation_csv(const std::vector<TargetResult>& results);

/// The column names of validation.csv.
std::vector<std::string> validation_header();

}  // namespace cartsim::study
