#pragma once
// The folds of the leave-one-trial-out prediction. For each trial in turn, the targets that leave are
// the trial's own, every pooled target that includes it (its `members`), and, when the trial is itself a
// pool, the targets of its member trials. Each calibration is then refitted on the targets that stay;
// a parameter none of whose informing targets (its `informed_by`) stays goes to its documented prior,
// never to its full-fit value.

#include <set>
#include <string>
#include <vector>

#include "src/study/calibration.hpp"

namespace cartsim::study {

struct TargetInfo {
    std::string id;
    std::string trial;
    std::vector<std::string> members;
    bool counted = false;
};

/// The trials to leave out, in order of first appearance: every trial with a counted target.
std::vector<std::string> fold_trials(const std::vector<TargetInfo>& targets);

/// Target ids that leave with `trial`.
std::set<std::string> left_out_ids(const std::vector<TargetInfo>& targets, const std::string& trial);

/// The calibration restricted to a fold: its objective without the left-out ids, and each parameter
/// without a remaining informing target held at its prior. Throws std::invalid_argument naming the spec
/// and parameter when such a parameter has no prior.
LoadedCalibration restrict_to_fold(const LoadedCalibration& calibration, const std::set<std::string>& left_out);

}  // namespace cartsim::study
