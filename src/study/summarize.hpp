#pragma once
// The study's summary files, built from the rows of patients.csv (in any order: rows are sorted by
// group and patient first, so the result does not depend on completion order, threads or ranks):
//   summary.json  per arm (or sweep point): n, errors, ORR, CR or better, MRD negativity (Wilson 95%
//                 CIs), median PFS (line 1), PFS2 and time to next treatment (multi-line regimens) and
//                 OS (Kaplan-Meier, Brookmeyer-Crowley 95% CI), RMST of PFS and OS, relapse types, and
//                 per line its response rates, median PFS and duration of response, relapse types and
//                 targeted antigens at progression; between arms (compare_arms.hpp): hazard ratios
//                 with the proportional-hazards test, log-rank p, RMST differences, paired
//                 differences; Sobol indices; knock-out attribution
//   km.csv        Kaplan-Meier tables per arm for PFS and OS with the number at risk
//   sweep.csv     one row per sweep point: its values and endpoints
//   sobol.csv     first- and total-order indices with bootstrap 95% CIs

#include <istream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/study/patient_row.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::study {

/// Endpoints of a group that sweep.csv lists and a Sobol analysis may use.
const std::vector<std::string>& group_endpoints();

struct StudyTables {
    nlohmann::ordered_json summary;
    std::string km_csv;
    std::string sweep_csv;  // empty unless a sweep
    std::string sobol_csv;  // empty unless a Sobol design
};

/// Reads patients.csv (header line first) and builds the tables. Throws std::runtime_error when the
/// header does not match the study or a row is malformed.
StudyTables summarize(const LoadedStudy& study, const RowLayout& layout, std::istream& patients_csv);

}  // namespace cartsim::study
