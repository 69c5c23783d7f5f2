#include "src/simulate/patient_run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/patient/readouts.hpp"
#include "src/simulate/active_effects.hpp"
#include "src/simulate/event_queue.hpp"
#include "src/simulate/hybrid_tumour.hpp"
#include "src/simulate/line_evidence.hpp"
#include "src/simulate/random_stream.hpp"
#include "src/simulate/regimen_plan.hpp"
#include "src/simulate/step_endpoints.hpp"

namespace cartsim::simulate {
namespace {

using drugs::TherapyKind;
using patient::CarTPool;
using patient::Compartment;

enum class LineStatus { Pending, Active, Done };

struct LineState {
    LineStatus status = LineStatus::Pending;
    double start_day = 0.0;
    std::optional<endpoints::ResponseTracker> tracker;
    LineBaseline baseline;
    double peak_effector = 0.0;
    std::optional<double> responding_since;
};

class PatientRun {
public:
    explicit PatientRun(const Scenario& scenario)
        : scenario_(scenario),
          plan_(plan_regimen(scenario.regimen)),
          model_(scenario.patient, scenario.mechanisms, plan_.slots),
          endpoints_(model_, scenario.patient.tumour.lethal_burden_cells,
                     scenario.endpoints.cart_detection_limit_cells_per_ul),
          lines_(scenario.regimen.size()),
          exposure_on_(plan_.exposures.size(), false),
          exposure_first_on_(plan_.exposures.size(), kInfinity),
          exposure_end_(plan_.exposures.size(), kInfinity) {
        if (scenario.hybrid.enabled)
            hybrid_.emplace(model_, scenario.hybrid, static_cast<std::uint64_t>(scenario.seed), 0);
    }

    RunResult run();

private:
    void schedule(double day, EventKind kind, int line = -1, int therapy = -1, double value = 0.0) {
        queue_.push(Event{day, kind, line, therapy, value, next_sequence_++});
    }
    bool apply_events(double t, patient::State& x);
    void handle(const Event& e, patient::State& x);
    void start_line(int line, double t, const patient::State& x);
    void stop_line(int line, double t);
    void schedule_therapy(int line, const TherapyRef& ref, double t);
    void assess(double t, const patient::State& x);
    void on_progression(int line, double t, const patient::State& x);
    void refresh_effects(double t);
    void observe(double t, const patient::State& x);
    LineContext context(int line) const {
        return LineContext{model_, plan_, scenario_.regimen, static_cast<std::size_t>(line)};
    }
    bool line_active(int line) const { return line >= 0 && lines_[line].status == LineStatus::Active; }
    const drugs::Therapy& therapy(const TherapyRef& ref) const {
        return scenario_.regimen[ref.line].therapies[ref.therapy];
    }
    void log(double t, std::string what) { result_.summary.events.push_back({t, std::move(what)}); }
    /// Day the clone's first cell appeared: 0 for declared clones; for derived clones the first day
    /// the ODE holds at least one cell of it (the hybrid layer records the founding cell itself).
    std::optional<double> founding_day(std::size_t clone) const {
        if (hybrid_) {
            const auto lineage = hybrid_->largest_lineage(clone);
            if (lineage) return hybrid_->lineage_founding_day(*lineage);
        }
        if (model_.clone_set().clones[clone].parent < 0) return 0.0;
        return endpoints_.first_whole_cell_day(clone);
    }
    std::string representation(std::size_t clone) const {
        return hybrid_ && hybrid_->representation(clone) == hybrid::Representation::Agents ? "agents" : "ode";
    }
    /// Kills a share of all tumour cells at once: ODE clones deterministically, agents one by one.
    void kill_tumour_share(double t, patient::State& x, double share) {
        const auto& layout = model_.layout();
        for (std::size_t c = 0; c < layout.clones(); ++c)
            if (!model_.frozen(c))
                for (std::size_t k = 0; k < layout.bins(); ++k) x[layout.tumour(c, k)] *= 1.0 - share;
        if (hybrid_) hybrid_->kill_share(t, x, share);
    }

    const Scenario& scenario_;
    RegimenPlan plan_;
    patient::MyelomaModel model_;
    StepEndpoints endpoints_;
    std::vector<LineState> lines_;
    std::vector<bool> exposure_on_;
    std::vector<double> exposure_first_on_;  // day each exposure first switched on (acquired resistance)
    std::vector<double> exposure_end_;
    EventQueue queue_;
    long next_sequence_ = 0;
    int current_line_ = -1;
    double assessment_generation_ = 0.0;
    std::optional<HybridTumour> hybrid_;
    patient::State observed_;  // interpolated state with the agents at the output or coupling time
    bool dead_ = false;
    RunResult result_;
};

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
    for (std::size_t i = 0; static_cast<double>(i) * interval <= scenario_.horizon_days + kSameTime; ++i)
        output_times.push_back(std::min(static_cast<double>(i) * interval, scenario_.horizon_days));

    ode::Problem problem;
    problem.rhs = [this](const ode::State& s, ode::State& ds, double t) { model_(s, ds, t); };
    ode::Settings solver = scenario_.solver.to_ode();
    if (hybrid_) {
        // The agents advance on their own grid (hybrid.agent_step_days), which depends on neither the
        // output times nor the solver's steps, so a run's random path is the same whatever is written.
        problem.coupling.period_days = scenario_.hybrid.agent_step_days;
        problem.coupling.at = [this](double t, const ode::State& s) {
            observed_ = s;
            hybrid_->advance_to(t, observed_);
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
        if (!rows.empty() && rows.back()[0] < *summary.death_day - kSameTime && outcome.t_end >= *summary.death_day)
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
    summary.crs_grade =
        endpoints::crs_grade(summary.peak_inflammation_index, scenario_.patient.inflammation.crs_grade_thresholds);
    summary.cure = model_.tumour_cells(x) < 0.5;  // not one whole cell left
    if (hybrid_) {
        result_.lineages = hybrid_->lineages();
        for (const auto& clone : model_.clone_set().clones) result_.clone_names.push_back(clone.name);
        const auto& st = hybrid_->stats();
        result_.agent_stats = {st.leaps,
                               st.deaths,
                               st.moves,
                               st.divisions,
                               static_cast<std::int64_t>(hybrid_->to_agents_records().size()),
                               static_cast<std::int64_t>(hybrid_->to_ode_records().size())};
    }
    return std::move(result_);
}

bool PatientRun::apply_events(double t, patient::State& x) {
    while (!queue_.empty() && queue_.top().day <= t + kSameTime) {
        const Event e = queue_.top();
        queue_.pop();
        if (dead_) return true;
        handle(e, x);
    }
    // The state after the jumps counts for peaks and the lethal burden, as every step's does.
    return dead_ || endpoints_.at_point(t, x);
}

void PatientRun::handle(const Event& e, patient::State& x) {
    const auto& layout = model_.layout();
    const double t = e.day;
    const TherapyRef* ref = e.therapy >= 0 ? &plan_.therapies[static_cast<std::size_t>(e.therapy)] : nullptr;
    // Therapy events of a line that has stopped are cancelled.
    if (ref && !line_active(e.line) && e.kind != EventKind::ExposureOff) return;
    switch (e.kind) {
        case EventKind::LineStart:
            if (lines_[e.line].status == LineStatus::Pending) start_line(e.line, t, x);
            break;
        case EventKind::LineStop:
            if (line_active(e.line)) stop_line(e.line, t);
            break;
        case EventKind::Assessment:
            if (e.value == assessment_generation_) assess(t, x);
            break;
        case EventKind::Apheresis: {
            auto& run = model_.cart_runtime(static_cast<std::size_t>(ref->cart_slot));
            const double ratio = model_.functional_t_fraction(x) / scenario_.patient.t_cells.fitness_reference_fraction;
            run.fitness_ratio = std::clamp(ratio, 0.0, 1.5);
            log(t, "apheresis for " + therapy(*ref).name);
            break;
        }
        case EventKind::Lymphodepletion: {
            const auto& ld = scenario_.patient.lymphodepletion;
            const double keep = 1.0 - ld.t_cell_depletion_fraction;
            x[layout.compartment(Compartment::EndogenousFunctional)] *= keep;
            x[layout.compartment(Compartment::EndogenousExhausted)] *= keep;
            for (std::size_t p = 0; p < layout.cart_products(); ++p) {
                if (hybrid_) {
                    hybrid_->keep_cart_share(p, keep, t, x);
                } else {
                    for (std::size_t pool = 0; pool < patient::StateLayout::kCarTPools; ++pool)
                        x[layout.cart(p, static_cast<CarTPool>(pool))] *= keep;
                }
            }
            kill_tumour_share(t, x, ld.tumour_kill_fraction);
            model_.deplete_anti_car(x, keep);
            x[layout.compartment(Compartment::LdCytokine)] = 1.0;
            log(t, "lymphodepletion");
            break;
        }
        case EventKind::Infusion: {
            const auto p = static_cast<std::size_t>(ref->cart_slot);
            const auto& cp = plan_.slots.cart[p].params;
            auto& run = model_.cart_runtime(p);
            const double memory = std::clamp(
                cp.memory_fraction_at_infusion * (scenario_.mechanisms.manufacturing_fitness ? run.fitness_ratio : 1.0),
                0.0, 1.0);
            model_.add_cart_doublings_share(x, p, cp.dose_cells);
            if (hybrid_) {
                hybrid_->add_cart_cells(p, CarTPool::EffectorBlood, cp.dose_cells * (1.0 - memory), t, x);
                hybrid_->add_cart_cells(p, CarTPool::MemoryBlood, cp.dose_cells * memory, t, x);
            } else {
                x[layout.cart(p, CarTPool::EffectorBlood)] += cp.dose_cells * (1.0 - memory);
                x[layout.cart(p, CarTPool::MemoryBlood)] += cp.dose_cells * memory;
            }
            run.infused = true;
            run.infusion_day = t;
            model_.prime_anti_car(x, p);
            log(t, "infusion of " + therapy(*ref).name);
            break;
        }
        case EventKind::BispecificDose: {
            const auto b = static_cast<std::size_t>(ref->bispecific_slot);
            const auto& bp = plan_.slots.bispecific[b].params;
            const double mg = e.value * (bp.dose_unit == drugs::DoseUnit::MgPerKg ? scenario_.patient.weight_kg : 1.0);
            if (bp.route == drugs::Route::Intravenous)
                x[layout.bispecific(b, patient::BispecificPool::CentralMg)] += mg;
            else
                x[layout.bispecific(b, patient::BispecificPool::DepotMg)] += bp.bioavailability * mg;
            const bool full = e.value == bp.dose;
            if (full) {
                const auto& line = lines_[e.line];
                const bool reduce = line.responding_since && t - *line.responding_since >= bp.reduce_after_days;
                schedule(t + (reduce ? bp.reduced_interval_days : bp.interval_days), EventKind::BispecificDose, e.line,
                         e.therapy, bp.dose);
            }
            break;
        }
        case EventKind::ExposureOn: {
            const auto i = static_cast<std::size_t>(ref->exposure);
            exposure_on_[i] = true;
            exposure_first_on_[i] = std::min(exposure_first_on_[i], t);
            const auto& s = therapy(*ref).schedule;
            const double off = s.cycle_days ? std::min(t + s.days_on, exposure_end_[i]) : exposure_end_[i];
            if (std::isfinite(off)) schedule(off, EventKind::ExposureOff, e.line, e.therapy, t);
            refresh_effects(t);
            break;
        }
        case EventKind::ExposureOff: {
            const auto i = static_cast<std::size_t>(ref->exposure);
            if (!exposure_on_[i]) break;
            exposure_on_[i] = false;
            const auto& s = therapy(*ref).schedule;
            if (line_active(e.line) && s.cycle_days && e.value + *s.cycle_days < exposure_end_[i] - kSameTime)
                schedule(e.value + *s.cycle_days, EventKind::ExposureOn, e.line, e.therapy);
            refresh_effects(t);
            break;
        }
        case EventKind::Radiotherapy: {
            kill_tumour_share(t, x, therapy(*ref).effect.kill_fraction);
            log(t, "radiotherapy");
            break;
        }
        case EventKind::BackgroundDeath:
            dead_ = true;
            result_.summary.death_day = t;
            result_.summary.death_cause = "background";
            log(t, "death (background mortality)");
            break;
    }
}

void PatientRun::start_line(int line, double t, const patient::State& x) {
    if (current_line_ >= 0 && line_active(current_line_)) stop_line(current_line_, t);
    LineState& state = lines_[line];
    state.status = LineStatus::Active;
    state.start_day = t;
    state.tracker.emplace(scenario_.endpoints.response, scenario_.patient.mprotein.detection_limit_g_per_dl,
                          x[model_.layout().compartment(Compartment::MProtein)]);
    state.baseline = line_baseline(context(line), x);
    current_line_ = line;
    endpoints_.set_line(context(line), &state.peak_effector);
    result_.summary.lines[line].start_day = t;
    log(t, "start of line " + scenario_.regimen[line].name);
    for (const TherapyRef& ref : plan_.therapies)
        if (static_cast<int>(ref.line) == line) schedule_therapy(line, ref, t);
    if (const auto& d = scenario_.regimen[line].duration_days) schedule(t + *d, EventKind::LineStop, line);
    // Assessments restart with the line, as trials count cycles from the first dose.
    assessment_generation_ += 1.0;
    schedule(t + scenario_.endpoints.response.assessment_interval_days, EventKind::Assessment, -1, -1,
             assessment_generation_);
}

void PatientRun::schedule_therapy(int line, const TherapyRef& ref, double t) {
    const auto index = static_cast<int>(&ref - plan_.therapies.data());
    const drugs::Therapy& th = therapy(ref);
    switch (th.kind) {
        case TherapyKind::CarT: {
            const double infusion = t + th.cart.infusion_day;
            schedule(std::max(t, infusion - th.cart.apheresis_days_before_infusion), EventKind::Apheresis, line, index);
            if (th.cart.lymphodepletion)
                schedule(std::max(t, infusion - scenario_.patient.lymphodepletion.days_before_infusion),
                         EventKind::Lymphodepletion, line, index);
            schedule(infusion, EventKind::Infusion, line, index);
            break;
        }
        case TherapyKind::Bispecific: {
            const auto& bp = th.bispecific;
            for (std::size_t i = 0; i < bp.step_up_doses.size(); ++i)
                schedule(t + bp.step_up_days[i], EventKind::BispecificDose, line, index, bp.step_up_doses[i]);
            schedule(t + bp.first_full_dose_day, EventKind::BispecificDose, line, index, bp.dose);
            break;
        }
        case TherapyKind::Radiotherapy: schedule(t + th.schedule.start_day, EventKind::Radiotherapy, line, index); break;
        case TherapyKind::Unset: break;
        default: {
            const auto i = static_cast<std::size_t>(ref.exposure);
            const double on = t + th.schedule.start_day;
            exposure_end_[i] = th.schedule.duration_days ? on + *th.schedule.duration_days : kInfinity;
            schedule(on, EventKind::ExposureOn, line, index);
            break;
        }
    }
}

void PatientRun::stop_line(int line, double t) {
    lines_[line].status = LineStatus::Done;
    if (line == current_line_) endpoints_.set_line(std::nullopt, nullptr);
    result_.summary.lines[line].stop_day = t;
    for (std::size_t i = 0; i < plan_.exposures.size(); ++i) {
        if (static_cast<int>(plan_.exposures[i].line) != line) continue;
        exposure_end_[i] = std::min(exposure_end_[i], t);
        exposure_on_[i] = false;
    }
    refresh_effects(t);
    log(t, "end of line " + scenario_.regimen[line].name);
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
    const auto evidence = relapse_evidence(context(line), x, state.baseline, state.peak_effector);
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
    std::vector<double> row{t};
    row.reserve(result_.timeseries.columns.size());
    patient::readout_row(model_, *state, row);
    row.push_back(current_line_ >= 0 && line_active(current_line_) ? current_line_ + 1 : 0);
    result_.timeseries.rows.push_back(std::move(row));
}

}  // namespace

RunResult run_patient(const Scenario& scenario) {
    if (scenario.model != ModelKind::Myeloma) throw std::invalid_argument("run_patient needs model: myeloma");
    PatientRun run(scenario);
    return run.run();
}

}  // namespace cartsim::simulate
