#pragma once
// Survival analysis of right-censored data: Kaplan-Meier tables and medians, restricted mean survival times, the
// log-rank test, Cox proportional hazards and the test of its proportional-hazards assumption. One header for
// callers that want all of it.

#include "src/stats/cox.hpp"
#include "src/stats/cox_zph.hpp"
#include "src/stats/kaplan_meier.hpp"
#include "src/stats/log_rank.hpp"
#include "src/stats/rmst.hpp"
#include "src/stats/survival_data.hpp"
