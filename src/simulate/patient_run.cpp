#include "src/simulate/patient_run.hpp"

#include <sstream>

#include "src/simulate/patient_run_internal.hpp"

namespace cartsim::simulate {
namespace run_detail {

RunResult PatientRun::run() {
    result_.timeseries.columns = {"time_day"};
    for (auto& c : patient::readout_columns(model_)) result_.timeseries.columns.push_back(std::move(c));
    result_.timeseries.columns.push_back("therapy_line");
    for (const auto& line : scenario_.regimen) {
        LineRecord record;
        record.name = line.name;
        for (const auto& t : line.therapies) record.therapies.push_back(t.name);
        result_.summary.lines.push_back(std::move(record));
    }

    patient::State x = model_.initial_state();
    if (hybrid_) hybrid_->initialise(0.0, x);
    for (std::size_t l = 0; l < scenario_.regimen.size(); ++l)
        if (!scenario_.regimen[l].start.at_progression)
            schedule(scenario_.regimen[l].start.day, EventKind::LineStart, static_cast<int>(l));
    schedule(scenario_.endpoints.response.assessment_interval_days, EventKind::Assessment, -1, -1,
             assessment_generation_);
    if (scenario_.mechanisms.background_mortality && scenario_.patient.background_mortality_per_year > 0.0) {
        const double u = uniform_open01(static_cast<std::uint64_t>(scenario_.seed), 0,
                                        RandomStream::BackgroundMortality, 0);
        schedule(-std::log(u) / scenario_.patient.background_mortality_per_year * 365.25, EventKind::BackgroundDeath);
    }

    std::vector<double> output_times;
    const double interval = scenario_.output.interval_days;
    for (std::size_t i = 0; static_cast<double>(i) * interval <= scenario_.horizon_days + kSameTime; ++i) {
        output_times.push_back(std::min(static_cast<double>(i) * interval, scenario_.horizon_days));
        if (!options_.timeseries) break;  // the first row only
    }

    ode::Problem problem;
    problem.rhs = [this](const ode::State& s, ode::State& ds, double t) { model_(s, ds, t); };
    problem.non_negative.resize(x.size());  // every amount; the anti-CAR log-odds may be negative
    for (std::size_t i = 0; i < x.size(); ++i) problem.non_negative[i] = !model_.layout().may_be_negative(i);
    ode::Settings solver = scenario_.solver.to_ode();
    if (hybrid_) {
        // The agents advance on their own grid (hybrid.agent_step_days) and to each event (apply_events),
        // neither of which depends on the output times or the solver's steps, so a run's random path is
        // the same whatever is written.
        problem.coupling.period_days = scenario_.hybrid.agent_step_days;
        problem.coupling.at = [this](double t, const ode::State& s) {
            check_wall_time(t);
            hybrid_->advance_to(t, s);
        };
        problem.post_step = [this](double t, ode::State& s) { return hybrid_->synchronise(t, s); };
        const double cap = scenario_.hybrid.max_sync_days;
        solver.max_step_days = solver.max_step_days > 0.0 ? std::min(solver.max_step_days, cap) : cap;
    }
    ode::EventHooks hooks;
    hooks.next_event_time = [this](double t) {
        while (!queue_.empty() && queue_.top().day <= t) queue_.pop();  // stale: cannot happen in the past
        return queue_.empty() ? kInfinity : queue_.top().day;
    };
    hooks.apply_events = [this](double t, ode::State& s) { return apply_events(t, s); };
    hooks.on_step = [this](const ode::Step& step) {
        check_wall_time(step.end());
        return dead_ ? std::numeric_limits<double>::infinity() : endpoints_.on_step(step);
    };
    const auto outcome = ode::integrate(problem, x, 0.0, scenario_.horizon_days, solver, hooks,
                                        output_times, [this](double t, const ode::State& s) { observe(t, s); });
    result_.stats = outcome.stats;
    result_.method = ode::method_name(scenario_.solver.method);

    auto& summary = result_.summary;
    const auto lethal_day = endpoints_.lethal_day();
    if (lethal_day && (!summary.death_day || *lethal_day < *summary.death_day)) {
        summary.death_day = lethal_day;
        summary.death_cause = "tumour_burden";
    }
    if (summary.death_day) {
        auto& rows = result_.timeseries.rows;
        // The series ends at death: a last row at its day when that is no output time.
        if (options_.timeseries && !rows.empty() && rows.back()[0] < *summary.death_day - kSameTime &&
            outcome.t_end >= *summary.death_day)
            observe(*summary.death_day, x);
        rows.erase(std::remove_if(rows.begin(), rows.end(),
                                  [&](const auto& row) { return row[0] > *summary.death_day + kSameTime; }),
                   rows.end());
        for (std::size_t l = 0; l < lines_.size(); ++l)
            if (lines_[l].status == LineStatus::Active) summary.lines[l].stop_day = summary.death_day;
    }
    if (!summary.lines.empty()) {
        const LineRecord& first = summary.lines.front();
        summary.best_response = first.best_response;
        summary.mrd_negative = first.mrd_negative;
        summary.progression_day = first.progression_day;
        summary.relapse_type = first.relapse_type;
    }
    endpoints_.fill(summary);
    const auto& thresholds = scenario_.patient.inflammation.crs_grade_thresholds;
    summary.crs_grade = endpoints::crs_grade(summary.peak_inflammation_index, thresholds);
    for (std::size_t l = 0; l < lines_.size(); ++l) {
        if (lines_[l].status == LineStatus::Pending) continue;
        auto& record = summary.lines[l];
        record.peak_inflammation_index = lines_[l].crs.peak;
        record.crs_grade = endpoints::crs_grade(lines_[l].crs.peak, thresholds);
        record.crs_onset_day = lines_[l].crs.onset_day;
    }
    summary.cure = model_.tumour_cells(x) < 0.5;  // not one whole cell left
    if (hybrid_) {
        if (options_.lineages) result_.lineages = hybrid_->lineages();
        for (const auto& clone : model_.clone_set().clones) result_.clone_names.push_back(clone.name);
        const auto& st = hybrid_->stats();
        result_.agent_stats = {st.leaps,
                               st.deaths,
                               st.moves,
                               st.divisions,
                               hybrid_->to_agents_count(),
                               hybrid_->to_ode_count()};
        const HybridBounds bounds = hybrid_->bounds();
        summary.agent_bound_hits = bounds.agent_bound_hits;
        summary.lineage_bound_hits = bounds.lineage_bound_hits;
        summary.peak_agents = bounds.peak_agents;
        summary.lineage_records = bounds.lineage_records;
    }
    return std::move(result_);
}

void PatientRun::check_wall_time(double t) const {
    const double limit = options_.wall_seconds_limit;
    if (!(limit > 0.0)) return;
    const std::chrono::duration<double> taken = std::chrono::steady_clock::now() - started_;
    if (taken.count() <= limit) return;
    std::ostringstream text;
    text.precision(4);
    text << "run stopped at day " << t << " of " << scenario_.horizon_days
         << ": it took longer than the wall-time limit of " << limit << " s (--run-time-limit)";
    throw RunTimeLimitExceeded(text.str());
}

void PatientRun::assess(double t, const patient::State& x) {
    const double interval = scenario_.endpoints.response.assessment_interval_days;
    schedule(t + interval, EventKind::Assessment, -1, -1, assessment_generation_);
    const auto& layout = model_.layout();
    endpoints::Assessment a;
    a.day = t;
    a.mprotein_g_per_dl = x[layout.compartment(Compartment::MProtein)];
    a.marrow_plasma_cell_percent = patient::marrow_plasma_cell_percent(model_, x);
    a.tumour_fraction = patient::tumour_marrow_fraction(model_, x);
    a.extramedullary_cells = model_.extramedullary_cells(x);
    AssessmentRecord record{t, current_line_, endpoints::Response::Stable, a.mprotein_g_per_dl,
                            a.marrow_plasma_cell_percent, false};
    if (current_line_ < 0 || !lines_[current_line_].tracker || lines_[current_line_].tracker->progressed()) {
        record.line = current_line_ >= 0 && line_active(current_line_) ? current_line_ : -1;
        record.response = endpoints::Response::Progressive;
        if (current_line_ < 0) record.response = endpoints::Response::Stable;
        result_.summary.assessments.push_back(record);
        return;
    }
    LineState& line = lines_[current_line_];
    const auto r = line.tracker->assess(a);
    record.response = r.response;
    record.mrd_negative = r.mrd_negative;
    if (r.relapse_from_cr) result_.summary.lines[current_line_].relapse_from_cr_day = t;
    result_.summary.assessments.push_back(record);
    LineRecord& summary = result_.summary.lines[current_line_];
    summary.best_response = line.tracker->best_response();
    summary.mrd_negative = line.tracker->ever_mrd_negative();
    if (!r.progression && endpoints::at_least(r.response, endpoints::Response::Partial)) {
        if (!line.responding_since) line.responding_since = t;
        if (!summary.response_day) summary.response_day = t;
    } else {
        line.responding_since.reset();
    }
    if (r.progression) on_progression(current_line_, t, x);
}

void PatientRun::on_progression(int line, double t, const patient::State& x) {
    std::size_t dominant = 0;
    for (std::size_t c = 1; c < model_.layout().clones(); ++c)
        if (model_.clone_cells(x, c) > model_.clone_cells(x, dominant)) dominant = c;
    if (!result_.summary.dominant_clone_at_progression) {
        result_.summary.dominant_clone_at_progression = model_.clone_set().clones[dominant].name;
        result_.summary.dominant_clone_founding_day = founding_day(dominant);
        for (std::size_t c = 0; c < model_.layout().clones(); ++c)
            result_.summary.representation_at_progression.push_back(
                {model_.clone_set().clones[c].name, representation(c)});
        for (std::size_t p = 0; p < model_.layout().cart_products(); ++p)
            result_.summary.representation_at_progression.push_back(
                {"cart:" + plan_.slots.cart[p].name,
                 hybrid_ && hybrid_->cart_representation(p) == hybrid::Representation::Agents ? "agents" : "ode"});
    }
    LineRecord& summary = result_.summary.lines[line];
    summary.progression_day = t;
    const LineState& state = lines_[line];
    const auto evidence = relapse_evidence(context(line), x, t, state.baseline, state.peak_effector);
    summary.relapse_type = endpoints::classify_relapse(evidence, scenario_.endpoints.relapse);
    summary.at_progression = progression_state(context(line), x, state.baseline, scenario_.endpoints.relapse);
    summary.at_progression->share_below_floor = evidence.share_below_floor;
    summary.at_progression->dominant_clone = model_.clone_set().clones[dominant].name;
    log(t, "progression on line " + scenario_.regimen[line].name + " (" +
               std::string(enum_name(*summary.relapse_type)) + ")");
    if (scenario_.regimen[line].stop_at_progression) stop_line(line, t);
    const auto next = static_cast<std::size_t>(line) + 1;
    if (next < scenario_.regimen.size() && scenario_.regimen[next].start.at_progression &&
        lines_[next].status == LineStatus::Pending)
        schedule(t + scenario_.regimen[next].start_delay_days, EventKind::LineStart, static_cast<int>(next));
}

void PatientRun::refresh_effects(double t) {
    model_.set_effects(active_effects(ExposureView{plan_, scenario_.regimen, exposure_on_, exposure_first_on_}, t));
}

void PatientRun::observe(double t, const patient::State& interpolated) {
    // A row shows the agents as they are at its time (advanced on their grid up to it).
    const patient::State* state = &interpolated;
    if (hybrid_) {
        observed_ = interpolated;
        hybrid_->write_agent_counts(observed_);
        state = &observed_;
    }
    // A value a little below zero is the solver's rounding within its absolute tolerance: it is
    // written as 0 (the state itself is kept as computed, so nothing is created from nothing). A
    // larger negative is written as it is and counted as a failure (StepEndpoints).
    const double tolerance = scenario_.solver.abs_tol;
    const auto& layout = model_.layout();
    const auto rounding = [&](const patient::State& x, std::size_t i) {
        return x[i] < 0.0 && x[i] >= -tolerance && !layout.may_be_negative(i);
    };
    for (std::size_t i = 0; i < state->size(); ++i) {
        if (!rounding(*state, i)) continue;
        if (state != &observed_) observed_ = interpolated;
        state = &observed_;
        for (std::size_t j = i; j < observed_.size(); ++j)
            if (rounding(observed_, j)) observed_[j] = 0.0;
        break;
    }
    endpoints_.check_negative(*state);
    std::vector<double> row;
    row.reserve(result_.timeseries.columns.size());
    row.push_back(t);
    patient::readout_row(model_, *state, t, row);
    row.push_back(current_line_ >= 0 && line_active(current_line_) ? current_line_ + 1 : 0);
    result_.timeseries.rows.push_back(std::move(row));
}

}  // namespace run_detail

RunResult run_patient(const Scenario& scenario, const RunOptions& options) {
    if (scenario.model != ModelKind::Myeloma) throw std::invalid_argument("run_patient needs model: myeloma");
    run_detail::PatientRun run(scenario, options);
    return run.run();
}

}  // namespace cartsim::simulate
