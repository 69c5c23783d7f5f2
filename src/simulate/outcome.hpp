#pragma once
// The outcome of one run, for replicate and cohort summaries. Rules, in order:
//   death_without_progression  died (any cause) before the first line progressed
//   no_response                best response of the first line worse than PR (MR, SD or PD)
//   antigen_negative_relapse   the first line progressed with relapse type antigen_negative
//   antigen_low_relapse        ... with relapse type antigen_low
//   antigen_positive_relapse   ... with any other relapse type
//   cure                       no progression and no tumour cell left at the horizon
//   ongoing_response           no progression, tumour still present at the horizon

#include <array>
#include <string_view>

#include "src/simulate/run_result.hpp"

namespace cartsim::simulate {

inline constexpr std::array<std::string_view, 7> kOutcomes{
    "cure",
    "ongoing_response",
    "antigen_positive_relapse",
    "antigen_low_relapse",
    "antigen_negative_relapse",
    "no_response",
    "death_without_progression"};

std::string_view classify_outcome(const Summary& summary);

}  // namespace cartsim::simulate
