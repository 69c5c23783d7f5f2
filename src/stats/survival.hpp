#pragma once
// Survival analysis of right-censored data: Kaplan-Meier tables and medians, the log-rank test and Cox
// proportional hazards. One header for callers that want all of it.

#include "src/stats/cox.hpp"
#include "src/stats/kaplan_meier.hpp"
#include "src/stats/log_rank.hpp"
#include "src/stats/survival_data.hpp"
