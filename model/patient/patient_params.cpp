#include "model/patient/patient_params.hpp"

namespace cartsim::patient {

std::vector<std::string> validate(const PatientParams& p) {
    std::vector<std::string> problems;
    for (const auto& problem : tumour::validate(p.tumour)) problems.push_back("tumour." + problem);
    const auto& thresholds = p.inflammation.crs_grade_thresholds;
    if (thresholds.size() != 4) problems.push_back("inflammation.crs_grade_thresholds: give 4 thresholds (grades 1-4)");
    for (std::size_t i = 1; i < thresholds.size(); ++i)
        if (thresholds[i] <= thresholds[i - 1])
            problems.push_back("inflammation.crs_grade_thresholds: thresholds must increase");
    return problems;
}

}  // namespace cartsim::patient
