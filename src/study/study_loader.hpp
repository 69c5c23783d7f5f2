#pragma once
// Loads a study: a scenario file with `cohort:`, `sweep:` and/or `arms:` blocks. The scenario part is
// loaded the usual strict way; each arm (or sweep point) is the scenario with its regimen or values
// put in, and each virtual patient that scenario with the drawn values put in. Every path is checked
// at load time, so a misspelt path fails before anything runs (file, line, key, did-you-mean).

#include <optional>
#include <string>
#include <vector>

#include "src/config/node.hpp"
#include "src/config/override.hpp"
#include "src/scenario/loader.hpp"
#include "src/simulate/scenario.hpp"
#include "src/study/study_spec.hpp"

namespace cartsim::study {

enum class StudyKind { Trial, Cohort, Sweep };

/// Most memory the scenario trees of a study may take together (config::tree_bytes of one tree times
/// the arms, variants or points): each holds a copy, built and checked when the study loads. Without it
/// 600 arms over a 10 kB file whose aliases expand to 82,000 values took 61 s and 6.6 GB. Fuzz builds
/// lower it so that a large legal study is not reported as a hang (the check stays the same).
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
inline constexpr double kMaxStudyBytes = 64e6;
#else
inline constexpr double kMaxStudyBytes = 2e9;
#endif

/// A named share of an arm's patients with a regimen or values of its own (for example the prior
/// therapy a patient had).
struct GroupVariant {
    std::string name;
    double share = 0.0;
    config::Node root;  // the arm's scenario with the variant's changes
};

/// One group of runs: a trial arm, the cohort, or one sweep point.
struct Group {
    std::string name;
    config::Node root;  // the scenario of this group, presets expanded
    std::vector<double> point;  // sweep values, in the order of spec.sweep.parameters
    /// Per cohort parameter: the value this group sets itself (a sweep point or an arm's `set:`), which
    /// wins over the patient's draw; nullopt where the draw applies.
    std::vector<std::optional<double>> sets;
    std::vector<GroupVariant> variants;  // empty: every patient runs `root`
};

struct LoadedStudy {
    std::string path;
    std::string name;
    StudyKind kind = StudyKind::Cohort;
    StudySpec spec;
    simulate::Scenario base;  // the first group's scenario (horizon, seed, settings)
    std::vector<Group> groups;
    int patients = 1;  // per group: the cohort size, or 1 (the scenario's own patient)
    int lines = 1;     // most regimen lines of any group
    std::vector<Antigen> antigens;  // targeted by some line of some group, in enum order
    bool any_variants = false;      // some arm has variants (patients.csv gets a variant column)
    std::vector<config::Override> cohort_paths;  // value nodes filled per patient
    std::vector<std::size_t> sweep_columns;      // sweep parameters with a patients.csv column of their own
    std::vector<std::string> precedence;         // "a sweep or arm value wins over a draw" notes, for `check`
    std::string resolved_yaml;                   // what was run, for scenario.yaml
};

/// True when the file (after overrides) has a cohort, sweep or arms block.
bool has_study_blocks(const config::Node& root);

config::Result<LoadedStudy> load_study(const std::string& path, const scenario::LoadOptions& options);

/// The scenario of patient `patient` of group `group`, with the drawn values (in the order of
/// spec.cohort.parameters; empty without a cohort) except those the group sets itself (Group::sets: a
/// sweep or arm value wins over the population's draw). Errors come back as text (the patient's error).
config::Result<simulate::Scenario> patient_scenario(const LoadedStudy& study, std::size_t group, int patient,
                                                    const std::vector<double>& drawn);

/// The parameter values of a patients.csv row: the draws (the group's own values where it sets them),
/// then the sweep values that have a column of their own.
std::vector<double> row_parameters(const LoadedStudy& study, std::size_t group, const std::vector<double>& drawn);

/// The variant of an arm a patient gets (null when the arm has none): drawn from the patient's own
/// uniform on the cohort seed, by the variants' shares in their order.
std::optional<std::size_t> patient_variant(const LoadedStudy& study, std::size_t group, int patient);

/// Seed of a patient's own random parts (agents, background mortality): scenario seed + patient.
int patient_seed(const LoadedStudy& study, int patient);

}  // namespace cartsim::study
