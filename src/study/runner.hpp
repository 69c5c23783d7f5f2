#pragma once
// Runs the units of a study (patient x arm, or patient x sweep point) on oneTBB threads and streams
// one CSV row per finished unit, in order of completion, through a bounded buffer to a single writer,
// so memory stays flat however large the cohort. With MPI each rank takes the units u with
// u % ranks == rank. A stop flag (Ctrl-C, SIGTERM) lets running units finish and starts no new ones.

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "src/study/patient_row.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::study {

struct RunnerOptions {
    int threads = 1;
    bool attribute = false;  // re-run each unit with each mechanism switched off
    int rank = 0;
    int ranks = 1;
    const std::set<std::pair<std::string, int>>* finished = nullptr;  // (group, patient) already done
    std::atomic<int>* completed = nullptr;  // counts units of this rank as they finish
    const std::atomic<bool>* stop = nullptr;
    std::size_t buffer_rows = 256;
    double run_time_limit_seconds = 0.0;  // wall-clock limit per run (0: none); a run over it is an error row
};

struct RunnerStats {
    long run = 0;      // units run now
    long skipped = 0;  // finished before (resume)
    long failed = 0;   // units recorded with an error
    bool interrupted = false;
};

/// Units of this rank still to run (for progress): all of the rank's units minus the finished ones.
long units_to_run(const LoadedStudy& study, const RunnerOptions& options);

/// The record of one unit (also used by tests): draws, builds the scenario, runs it (and the
/// knock-outs). Never throws for a bad draw or a solver failure: the record carries the error.
PatientRecord run_unit(const LoadedStudy& study, const RowLayout& layout, std::size_t group, int patient, bool attribute,
                       double run_time_limit_seconds = 0.0);

/// Runs the units and hands each CSV row (no line break) to `write`, always from one thread.
/// Rethrows an exception thrown by `write` after the running units have finished.
RunnerStats run_study(const LoadedStudy& study, const RowLayout& layout, const RunnerOptions& options,
                      const std::function<void(const std::string&)>& write);

}  // namespace cartsim::study
