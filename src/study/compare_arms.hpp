#pragma once
// Comparisons between the arms of a trial: each arm against the reference arm (the comparison
// block's reference_arm, else the first arm), then the remaining pairs with the earlier arm as the
// reference. For PFS (line 1), PFS2 (when the regimens have a next line) and OS:
//   hazard_ratio          Cox, arm / reference (below 1: the arm does better), Efron ties, 95% Wald CI
//   logrank_p             two-sided
//   proportional_hazards  the Schoenfeld-residual score test of cox.zph (R survival 3.x); a small p
//                         says the hazards are not proportional, so read the RMST instead of the HR
//   rmst                  restricted mean survival time per arm up to the horizon and the difference
//                         arm - reference with its 95% CI (days)
//   paired                the same virtual patients in both arms: mean difference arm - reference

#include <vector>

#include <nlohmann/json.hpp>

#include "src/study/study_loader.hpp"
#include "src/study/summary_rows.hpp"

namespace cartsim::study {

/// The comparisons array of summary.json; rows grouped by study group, sorted by patient.
nlohmann::ordered_json compare_arms(const LoadedStudy& study, const std::vector<std::vector<const Row*>>& by_group);

/// The RMST horizon of a study [days].
double rmst_horizon_days(const LoadedStudy& study);

}  // namespace cartsim::study
