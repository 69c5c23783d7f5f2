#pragma once
// The `seeds:` block of a validation study: which virtual patients calibration and validation draw.
//
//     seeds:
//       calibration: 201            # cartsim calibrate fits on the patients of this cohort seed
//       validation: [101, 111, 121] # cartsim validate scores these (the first unless --seeds N)
//
// A seed sets both `cohort.seed` (the draw of patient i comes from the stream (seed, i)) and `seed`
// (each patient's own random parts), so a seed names one set of virtual patients completely. Rules:
// the calibration seed is never a validation seed; a study with `seeds:` writes neither `seed` nor
// `cohort.seed` itself; `--set seed=...` or `--set cohort.seed=...` on `cartsim run` wins over the
// block (said in `cartsim check`), while `cartsim calibrate` and `cartsim validate` refuse them.

#include <optional>
#include <string>
#include <vector>

#include "src/config/error.hpp"
#include "src/config/node.hpp"
#include "src/scenario/loader.hpp"
#include "src/study/study_spec.hpp"

namespace cartsim::study {

struct LoadedStudy;

/// Reads and takes out the `seeds:` block of a prepared study tree, then writes the chosen seed
/// (`options.cohort_seed`, else the first validation seed) into `seed` and `cohort.seed` unless a
/// --set override names them. `file` is the study file (checked for its own `seed` lines).
std::vector<config::ConfigError> apply_seeds(config::Node& root, const std::string& file,
                                             const scenario::LoadOptions& options, StudySpec& spec,
                                             std::optional<config::MapEntry>& entry);

/// The validation cohort seeds of a study: its `seeds.validation`, or its cohort seed without a block.
std::vector<int> validation_seeds(const LoadedStudy& study);

/// True when an override sets `seed` or `cohort.seed`.
bool overrides_seed(const std::vector<std::string>& overrides);

}  // namespace cartsim::study
