#include "src/study/runner.hpp"

#include <exception>
#include <thread>

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "src/simulate/patient_run.hpp"
#include "src/study/sampling_bridge.hpp"

namespace cartsim::study {
namespace {

std::string error_text(const std::vector<config::ConfigError>& errors) {
    std::string text;
    for (const auto& e : errors) text += (text.empty() ? "" : "; ") + e.format();
    return text;
}

/// This rank's units (u = group x patients + patient) not finished before, and how many were.
std::vector<std::size_t> units_of_rank(const LoadedStudy& study, const RunnerOptions& o, long& skipped) {
    const auto patients = static_cast<std::size_t>(study.patients);
    std::vector<std::size_t> units;
    skipped = 0;
    for (std::size_t u = static_cast<std::size_t>(o.rank); u < study.groups.size() * patients;
         u += static_cast<std::size_t>(o.ranks)) {
        if (o.finished && o.finished->count({study.groups[u / patients].name, static_cast<int>(u % patients)}))
            ++skipped;
        else
            units.push_back(u);
    }
    return units;
}

/// False where switching a mechanism off cannot change the run, because the patient lacks what it acts
/// on: no second tumour site, no fast subclone (neither creates its clones, so the switch is never read).
/// The knock-out then shifts progression by 0 days without being run.
bool can_act(const simulate::Scenario& s, const std::string& mechanism) {
    const auto& t = s.patient.tumour;
    if (mechanism == "extramedullary_site") return t.extramedullary.share > 0.0;
    if (mechanism == "growth_heterogeneity") return t.fast_subclone.fraction > 0.0 || t.fast_subclone.per_division > 0.0;
    return true;
}

}  // namespace

PatientRecord run_unit(const LoadedStudy& study, const RowLayout& layout, std::size_t group, int patient, bool attribute,
                       double run_time_limit_seconds) {
    PatientRecord r;
    r.group = study.groups.at(group).name;
    r.patient = patient;
    if (const auto v = patient_variant(study, group, patient)) r.variant = study.groups[group].variants[*v].name;
    r.horizon_days = study.base.horizon_days;
    const std::vector<double> drawn = study.spec.has_cohort ? draw_patient(study.spec.cohort, patient) : std::vector<double>{};
    r.parameters = row_parameters(study, group, drawn);
    auto scenario = patient_scenario(study, group, patient, drawn);
    if (!scenario) {
        r.error = error_text(scenario.errors());
        return r;
    }
    simulate::RunOptions options;
    options.wall_seconds_limit = run_time_limit_seconds;
    options.lineages = false;
    options.timeseries = false;  // patients.csv reads the first row only
    try {
        const auto run = simulate::run_patient(scenario.value(), options);
        r.summary = run.summary;
        r.horizon_days = scenario.value().horizon_days;
        r.best_mprotein_change_percent = best_mprotein_change_percent(run);
        r.readouts = patient_readouts(run);
        if (attribute) {
            const double base = run.summary.progression_day.value_or(r.horizon_days);
            for (std::size_t m = 0; m < layout.attribution.size(); ++m) {
                if (!can_act(scenario.value(), layout.attribution[m])) {
                    r.attribution_days.push_back(0.0);
                    continue;
                }
                simulate::Scenario knocked = scenario.value();
                patient::set_mechanism(knocked.mechanisms, layout.attribution[m], false);
                const auto ko = simulate::run_patient(knocked, options);
                r.attribution_days.push_back(ko.summary.progression_day.value_or(r.horizon_days) - base);
            }
        }
    } catch (const std::exception& e) {
        r.summary.reset();
        r.attribution_days.clear();
        r.error = e.what();
    }
    return r;
}

long units_to_run(const LoadedStudy& study, const RunnerOptions& options) {
    long skipped = 0;
    return static_cast<long>(units_of_rank(study, options, skipped).size());
}

RunnerStats run_study(const LoadedStudy& study, const RowLayout& layout, const RunnerOptions& options,
                      const std::function<void(const std::string&)>& write) {
    RunnerStats stats;
    const auto patients = static_cast<std::size_t>(study.patients);
    const std::vector<std::size_t> units = units_of_rank(study, options, stats.skipped);

    // Rows go through a bounded queue to one writer thread; an empty string closes it.
    tbb::concurrent_bounded_queue<std::string> queue;
    queue.set_capacity(static_cast<std::ptrdiff_t>(std::max<std::size_t>(1, options.buffer_rows)));
    std::exception_ptr write_error;
    std::atomic<bool> writer_failed{false};
    std::thread writer([&] {
        std::string row;
        for (;;) {
            queue.pop(row);
            if (row.empty()) return;
            if (writer_failed) continue;  // drain so producers never block
            try {
                write(row);
            } catch (...) {
                write_error = std::current_exception();
                writer_failed = true;
            }
        }
    });
    std::atomic<long> run{0}, failed{0};
    std::atomic<bool> interrupted{false};
    const auto stopping = [&] { return writer_failed.load() || (options.stop && options.stop->load()); };
    tbb::task_arena arena(std::max(1, options.threads));
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, units.size(), 1),
                          [&](const tbb::blocked_range<std::size_t>& range) {
                              for (std::size_t k = range.begin(); k != range.end(); ++k) {
                                  if (stopping()) {
                                      interrupted = true;
                                      return;
                                  }
                                  const std::size_t u = units[k];
                                  const auto record = run_unit(study, layout, u / patients, static_cast<int>(u % patients),
                                                               options.attribute, options.run_time_limit_seconds);
                                  if (!record.error.empty()) ++failed;
                                  queue.push(csv_line(layout, record));
                                  ++run;
                                  if (options.completed) ++*options.completed;
                              }
                          },
                          tbb::simple_partitioner{});
    });
    queue.push(std::string{});
    writer.join();
    if (write_error) std::rethrow_exception(write_error);
    stats.run = run;
    stats.failed = failed;
    stats.interrupted = interrupted || stats.run < static_cast<long>(units.size());
    return stats;
}

}  // namespace cartsim::study
