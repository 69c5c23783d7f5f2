#pragma once
// Internal to the study loader: the values a sweep, an arm or the command line gives a path the cohort
// draws (the precedence rule, study_loader.hpp).

#include <string>
#include <vector>

#include "src/config/error.hpp"
#include "src/study/arms.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::study {

/// The rule for a path that the cohort draws and a sweep or an arm also sets: the sweep or arm value
/// wins for that group (Group::sets), patients.csv keeps one column (the value used), and `check` says so.
/// A `--set` on a drawn path fixes it for every patient where no sweep or arm sets it (the same rule);
/// `--set arms[NAME].PATH=VALUE` fixes it in that arm, over the arm's own `set`.
void mark_group_values(LoadedStudy& study, const std::vector<ArmEntry>& arms, const std::vector<std::string>& command_line,
                       std::vector<config::ConfigError>& errors);

}  // namespace cartsim::study
