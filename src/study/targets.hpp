#pragma once
// The `targets:` block of a validation study: clinical figures (scenarios/validation/SOURCES.md) that a
// virtual trial must reproduce, each with its source, its band and the metric that computes the model's
// value from patients.csv. A study with targets writes validation.csv; `cartsim validate` runs every
// validation study; `cartsim calibrate` fits parameters to the targets a calibration spec names.
//
// Every target says how a pass was earned (`status`): `calibrated` when any fit or hand setting looked
// at it, `independent` when nothing was tuned against it, `input_check` when it compares a drawn input
// with its own source (reported apart, never counted as validation). A band that no source gives is
// `assumed_band: true`: reported, never counted inside, never in a calibration objective.

#include <optional>
#include <string>
#include <vector>

#include "model/common/describe.hpp"

namespace cartsim::study {

/// How the model's value of a target is computed from the rows of one or more arms. Units: rates in
/// percent of the arm's patients, survival medians in months (30.4375 days), days, or the column's unit.
enum class Metric {
    Orr,                     // best response of line 1 >= PR, percent
    CrOrBetter,              // >= CR, percent
    Scr,                     // sCR, percent
    VgprOrBetter,            // >= VGPR, percent
    MrdNegative,             // MRD-negative during line 1, percent of all treated
    MrdNegativeAmongCr,      // MRD-negative among patients with >= CR (the MRD-evaluable), percent
    NoResponse,              // best response below PR (primary resistance), percent
    MedianPfsMonths,         // Kaplan-Meier median of line-1 PFS, months
    MedianOsMonths,          // Kaplan-Meier median of OS, months
    PfsAtMonths,             // Kaplan-Meier PFS at `at_months`, percent
    OsAtMonths,              // Kaplan-Meier OS at `at_months`, percent
    PfsHazardRatio,          // Cox hazard ratio of line-1 PFS, arm vs reference
    OsHazardRatio,           // Cox hazard ratio of OS, arm vs reference
    CrsAnyGrade,             // CRS grade >= 1, percent
    CrsGrade3,               // CRS grade >= 3, percent
    ProgressionsWithinMonths,  // of the patients who progressed, the share within `at_months`, percent
    AntigenNegativeRelapses,   // of the patients who progressed within `at_months`, the share antigen-negative, percent
    Median,                  // median of `column` over patients with a value (its unit)
    ShareAbove,              // percent of patients with a value whose `column` exceeds `threshold`
    ShareBelow,              // percent of patients with a value whose `column` is below `threshold`
    Spearman,                // Spearman rank correlation of `column` and `column2`
};

/// How a target's pass was earned.
enum class TargetStatus { Unset, Calibrated, Independent, InputCheck };

/// A subgroup of the arms' patients, by a patients.csv column or a drawn parameter's key path: those
/// whose value is above `above` and/or at most `at_most` (for example the patients with extramedullary
/// disease: patient.tumour.extramedullary.share above 0). Empty column: every patient.
struct Subgroup {
    std::string column;
    std::optional<double> above;
    std::optional<double> at_most;
};

template <class V>
void describe(Subgroup& g, V& v) {
    v.field("column", g.column, FieldInfo{"", "", "patients.csv column or parameter key path that defines the subgroup"});
    v.field("above", g.above, any_value("column unit", "", "keep patients whose value is above this"));
    v.field("at_most", g.at_most, any_value("column unit", "", "keep patients whose value is at most this"));
}

struct TargetSpec {
    std::string id;        // short and unique across the validation studies ("karmma-orr"): calibration specs name it
    TargetStatus status = TargetStatus::Unset;
    std::string quantity;  // what is compared, as shown in the table ("ORR", "median PFS (months)")
    std::string trial;     // "KarMMa"
    std::string source;    // "Munshi, NEJM 2021 (n=128)"
    double clinical_value = 0.0;
    std::vector<double> band;  // [low, high] in the metric's unit
    Metric metric = Metric::Orr;
    std::vector<std::string> arms;  // the arm (or arms, pooled) whose patients count
    std::string reference;          // hazard ratios: the comparator arm
    double at_months = 12.0;        // pfs_at_months, os_at_months, progressions_within_months, antigen_negative_relapses
    std::string column;             // median, share_above, share_below, spearman: a patients.csv column
    std::string column2;            // spearman
    double threshold = 0.0;         // share_above, share_below
    std::string band_source;        // where the band comes from (a citation, the trial's own 95% CI, ...)
    bool assumed_band = false;      // no source gives the band: reported, never counted, never fitted
    int n = 0;                      // the trial's denominator for a percentage (0: not given)
    std::vector<double> ci;         // the published 95% confidence interval of the figure ([low, high]; empty: none)
    std::vector<std::string> members;  // a pooled figure: the trials it pools (they leave a fold together)
    std::string known_miss;         // a calibrated target the fit cannot reach, and why (reported, not failed)
    Subgroup subgroup;              // only these patients of the arms count (empty column: all)

    bool calibrated() const { return status == TargetStatus::Calibrated; }
    /// Counted as validation: not an input check, and its band comes from a source.
    bool counted() const { return status != TargetStatus::InputCheck && status != TargetStatus::Unset && !assumed_band; }
};

template <class V>
void describe(TargetSpec& t, V& v) {
    v.field("id", t.id, FieldInfo{"", "", "short unique name of the target, used by calibration specs"});
    v.field("status", t.status, FieldInfo{"", "", "calibrated, independent or input_check: how a pass was earned"});
    v.field("quantity", t.quantity, FieldInfo{"", "", "the quantity, as shown in validation.csv"});
    v.field("trial", t.trial, FieldInfo{"", "", "trial or study the clinical figure comes from"});
    v.field("source", t.source, FieldInfo{"", "", "publication of the clinical figure"});
    v.field("clinical_value", t.clinical_value, any_value("metric unit", "", "the clinical figure, in the metric's unit"));
    v.field("band", t.band, any_value("metric unit", "", "[low, high]: the model value must land inside"));
    v.field("metric", t.metric, FieldInfo{"", "", "how the model value is computed (see scenarios/validation/README.md)"});
    v.field("arms", t.arms, FieldInfo{"", "", "arm(s) whose patients count (pooled when several)"});
    v.field("reference", t.reference, FieldInfo{"", "", "hazard ratios: the comparator arm"});
    v.field("at_months", t.at_months, bounded("months", "", "landmark of pfs_at_months, os_at_months, progressions_within_months, antigen_negative_relapses",
                    0.0, 1200.0));
    v.field("column", t.column, FieldInfo{"", "", "median, share_above, share_below, spearman: a patients.csv column"});
    v.field("column2", t.column2, FieldInfo{"", "", "spearman: the second column"});
    v.field("threshold", t.threshold, any_value("column unit", "", "share_above, share_below: the threshold"));
    v.field("band_source", t.band_source, FieldInfo{"", "", "where the band comes from"});
    v.field("assumed_band", t.assumed_band, FieldInfo{"", "", "true when no source gives the band: reported, not counted, not fitted"});
    v.field("n", t.n, bounded("patients", "", "the trial's denominator of a percentage (binomial likelihood)", 0.0, 1e7));
    v.field("ci", t.ci, any_value("metric unit", "", "published 95% confidence interval [low, high] (normal likelihood)"));
    v.field("members", t.members, FieldInfo{"", "", "a pooled figure: the trials it pools"});
    v.field("known_miss", t.known_miss,
            FieldInfo{"", "", "a calibrated target the fit cannot reach, and why: still fitted and reported, not failed"});
    v.section("subgroup", t.subgroup);
}

/// The `targets:` block (a list) read through a wrapper map.
struct TargetsSpec {
    std::vector<TargetSpec> targets;
};

template <class V>
void describe(TargetsSpec& s, V& v) {
    v.list("targets", s.targets);
}

/// Cross-field problems ("targets[i].key: message"); `arm_names` are the study's arms.
std::vector<std::string> validate(const TargetsSpec& s, const std::vector<std::string>& arm_names);

bool metric_needs_reference(Metric m);
bool metric_needs_column(Metric m);
/// Percentages of patients (rates, shares, landmarks): a binomial likelihood applies.
bool metric_is_percent(Metric m);
/// Medians of survival or of a column, and hazard ratios: compared on the log scale.
bool metric_is_ratio_scale(Metric m);

}  // namespace cartsim::study

namespace cartsim {
template <>
struct EnumNames<study::TargetStatus> {
    static constexpr std::array items{std::pair{study::TargetStatus::Unset, "unset"},
                                      std::pair{study::TargetStatus::Calibrated, "calibrated"},
                                      std::pair{study::TargetStatus::Independent, "independent"},
                                      std::pair{study::TargetStatus::InputCheck, "input_check"}};
};
template <>
struct EnumNames<study::Metric> {
    static constexpr std::array items{
        std::pair{study::Metric::Orr, "orr"},
        std::pair{study::Metric::CrOrBetter, "cr_or_better"},
        std::pair{study::Metric::Scr, "scr"},
        std::pair{study::Metric::VgprOrBetter, "vgpr_or_better"},
        std::pair{study::Metric::MrdNegative, "mrd_negative"},
        std::pair{study::Metric::MrdNegativeAmongCr, "mrd_negative_among_cr"},
        std::pair{study::Metric::NoResponse, "no_response"},
        std::pair{study::Metric::MedianPfsMonths, "median_pfs_months"},
        std::pair{study::Metric::MedianOsMonths, "median_os_months"},
        std::pair{study::Metric::PfsAtMonths, "pfs_at_months"},
        std::pair{study::Metric::OsAtMonths, "os_at_months"},
        std::pair{study::Metric::PfsHazardRatio, "pfs_hazard_ratio"},
        std::pair{study::Metric::OsHazardRatio, "os_hazard_ratio"},
        std::pair{study::Metric::CrsAnyGrade, "crs_any_grade"},
        std::pair{study::Metric::CrsGrade3, "crs_grade3"},
        std::pair{study::Metric::ProgressionsWithinMonths, "progressions_within_months"},
        std::pair{study::Metric::AntigenNegativeRelapses, "antigen_negative_relapses"},
        std::pair{study::Metric::Median, "median"},
        std::pair{study::Metric::ShareAbove, "share_above"},
        std::pair{study::Metric::ShareBelow, "share_below"},
        std::pair{study::Metric::Spearman, "spearman"}};
};
}  // namespace cartsim
