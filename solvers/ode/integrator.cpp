// The event loop: integrate to the next event, jump, restart. Method-agnostic; the steppers live in
// dopri5_stepper.cpp and cvode_stepper.cpp.

#include "solvers/ode/integrator.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <boost/numeric/odeint/util/odeint_error.hpp>

#include "solvers/ode/dense_stepper.hpp"

namespace cartsim::ode {
namespace {

std::string at_time(double t) { return " at t = " + std::to_string(t) + " days"; }

void require_finite(const State& x, double t) {
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!std::isfinite(x[i])) {
            throw IntegrationError("non-finite state component " + std::to_string(i) + at_time(t));
        }
    }
}

void check_arguments(const Problem& problem, const State& x, double t0, double t_final, const Settings& settings) {
    if (!problem.rhs) throw IntegrationError("no right-hand side");
    if (!std::isfinite(t0) || !std::isfinite(t_final) || t_final < t0) {
        throw IntegrationError("need finite t0 <= t_final, got " + std::to_string(t0) + ", " + std::to_string(t_final));
    }
    if (!(settings.rel_tol > 0.0) || !(settings.abs_tol > 0.0) || !(settings.initial_step_days > 0.0) ||
        !(settings.max_step_days >= 0.0)) {
        throw IntegrationError("tolerances and the initial step must be positive, max_step_days >= 0");
    }
    require_finite(x, t0);
}

/// Serves the output times and the coupling grid, merged in time order (a coupling before an output
/// at the same time), from whatever state source the caller has at hand.
class OutputQueue {
public:
    OutputQueue(std::span<const double> times, double t0, double t_final, const Observer& observer,
                const Coupling& coupling)
        : observer_(observer), coupling_(coupling) {
        for (double t : times) {
            if (t >= t0 && t <= t_final) entries_.push_back({t, false});
        }
        if (coupling.period_days > 0.0 && coupling.at) {
            for (std::int64_t k = 1; static_cast<double>(k) * coupling.period_days <= t_final; ++k) {
                const double t = static_cast<double>(k) * coupling.period_days;
                if (t > t0) entries_.push_back({t, true});
            }
        }
        std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
            return a.t < b.t || (a.t == b.t && a.coupling && !b.coupling);
        });
        for (const Entry& e : entries_) times_.push_back(e.t);
    }

    /// The pending times (sorted), where the dense output will be read.
    std::span<const double> pending_times() const {
        return std::span<const double>(times_).subspan(std::min(next_, times_.size()));
    }

    /// Serves every pending time strictly before t_limit, with the state from source(t, x).
    template <class Source>
    void serve_before(double t_limit, Source&& source) {
        while (next_ < entries_.size() && entries_[next_].t < t_limit) {
            source(entries_[next_].t, scratch_);
            serve(entries_[next_], scratch_);
            ++next_;
        }
    }

    /// Serves every pending time up to t with the state x.
    void serve_at(double t, const State& x) {
        while (next_ < entries_.size() && entries_[next_].t <= t) {
            serve(entries_[next_], x);
            ++next_;
        }
    }

private:
    struct Entry {
        double t;
        bool coupling;
    };
    void serve(const Entry& e, const State& x) {
        if (e.coupling)
            coupling_.at(e.t, x);
        else if (observer_)
            observer_(e.t, x);
    }

    const Observer& observer_;
    const Coupling& coupling_;
    std::vector<Entry> entries_;
    std::size_t next_ = 0;
    State scratch_;
    std::vector<double> times_;  // of entries_, in their order
};

/// The last accepted step as a step observer sees it.
class StepView final : public Step {
public:
    StepView(detail::DenseStepper& stepper, double start, double end) : stepper_(stepper), start_(start), end_(end) {}
    double start() const override { return start_; }
    double end() const override { return end_; }
    void state_at(double t, State& x) const override { stepper_.calc_state(std::clamp(t, start_, end_), x); }

private:
    detail::DenseStepper& stepper_;
    double start_, end_;
};

std::unique_ptr<detail::DenseStepper> make_stepper(const Problem& problem, const Settings& settings, Stats& stats) {
    switch (settings.method) {
        case Method::Bdf:
            return detail::make_bdf_stepper(problem, settings, stats);
        case Method::Dopri5:
            break;
    }
    return detail::make_dopri5_stepper(problem, settings, stats);
}

class EventLoop {
public:
    EventLoop(const Problem& problem, const Settings& settings, const StepObserver& on_step, OutputQueue& outputs,
              Stats& stats)
        : problem_(problem),
          on_step_(on_step),
          settings_(settings),
          outputs_(outputs),
          stats_(stats),
          stepper_(make_stepper(problem, settings, stats)),
          step_days_(settings.initial_step_days) {}

    /// Integrates x from t to t_end, where no event lies strictly between. Serves outputs before
    /// t_end; those at t_end are left to the caller, which applies events there first. Returns the
    /// time a step observer stopped the integration at (its outputs served), or +infinity.
    double integrate_segment(State& x, double t, double t_end) {
        start(x, t);
        while (true) {
            const double t_old = stepper_->current_time();
            stepper_->set_read_times(outputs_.pending_times(), t_end);
            take_step();
            const double t_new = stepper_->current_time();
            const bool reached = t_new >= t_end;
            const double t_stop = reached ? t_end : t_new;
            if (on_step_) {
                const double t_terminal = on_step_(StepView(*stepper_, t_old, t_stop));
                if (t_terminal <= t_stop) {
                    if (!(t_terminal > t_old)) {
                        throw IntegrationError("a step observer stopped at " + std::to_string(t_terminal) +
                                               ", outside its step" + at_time(t_old));
                    }
                    outputs_.serve_before(t_terminal, [this](double t_out, State& y) { stepper_->calc_state(t_out, y); });
                    stepper_->calc_state(t_terminal, x);
                    outputs_.serve_at(t_terminal, x);
                    return t_terminal;
                }
            }
            outputs_.serve_before(t_stop, [this](double t_out, State& y) { stepper_->calc_state(t_out, y); });
            if (reached && t_new > t_end) {
                stepper_->calc_state(t_end, x);
            } else {
                x = new_state_;
            }
            const bool changed = problem_.post_step && problem_.post_step(t_stop, x);
            if (changed) require_finite(x, t_stop);
            if (reached) return std::numeric_limits<double>::infinity();
            if (changed) start(x, t_stop);
            outputs_.serve_at(t_stop, x);
        }
    }

private:
    void start(const State& x, double t) {
        if (started_) ++stats_.restarts;
        started_ = true;
        stepper_->initialize(x, t, step_days_);
    }

    void take_step() {
        try {
            stepper_->do_step();
        } catch (const boost::numeric::odeint::odeint_error& error) {
            throw IntegrationError(std::string("step size control failed") + at_time(stepper_->current_time()) + ": " +
                                   error.what());
        }
        if (++stats_.steps > settings_.max_steps) {
            throw IntegrationError("more than " + std::to_string(settings_.max_steps) + " steps" +
                                   at_time(stepper_->current_time()));
        }
        if (!(stepper_->current_time() > stepper_->previous_time())) {
            throw IntegrationError("step size underflow" + at_time(stepper_->current_time()));
        }
        stepper_->current_state(new_state_);
        require_finite(new_state_, stepper_->current_time());
        remember_step_size();
    }

    /// After a restart the controller's last proposal is a better first guess than the initial step.
    void remember_step_size() {
        const double proposed = std::abs(stepper_->proposed_step());
        if (std::isfinite(proposed) && proposed > 0.0) step_days_ = proposed;
        if (settings_.max_step_days > 0.0) step_days_ = std::min(step_days_, settings_.max_step_days);
    }

    const Problem& problem_;
    const StepObserver& on_step_;
    const Settings& settings_;
    OutputQueue& outputs_;
    Stats& stats_;
    std::unique_ptr<detail::DenseStepper> stepper_;
    double step_days_;
    bool started_ = false;
    State new_state_;
};

}  // namespace

Outcome integrate(const Problem& problem, State& x, double t0, double t_final, const Settings& settings,
                  const EventHooks& events, std::span<const double> output_times, const Observer& observer) {
    check_arguments(problem, x, t0, t_final, settings);
    Outcome outcome;
    OutputQueue outputs(output_times, t0, t_final, observer, problem.coupling);
    EventLoop loop(problem, settings, events.on_step, outputs, outcome.stats);

    auto apply_events_at = [&](double t) {
        const bool stop = events.apply_events && events.apply_events(t, x);
        require_finite(x, t);
        outputs.serve_at(t, x);
        return stop;
    };

    double t = t0;
    if (apply_events_at(t0)) {
        outcome.t_end = t0;
        outcome.stopped_by_event = true;
        return outcome;
    }
    while (t < t_final) {
        const double t_event =
            events.next_event_time ? events.next_event_time(t) : std::numeric_limits<double>::infinity();
        if (!(t_event > t)) {
            throw IntegrationError("next_event_time returned " + std::to_string(t_event) + at_time(t));
        }
        const double t_end = std::min(t_event, t_final);
        const double t_terminal = loop.integrate_segment(x, t, t_end);
        if (t_terminal <= t_end) {
            t = t_terminal;
            outcome.stopped_by_event = true;
            break;
        }
        t = t_end;
        const bool stop = t_event <= t_final ? apply_events_at(t) : (outputs.serve_at(t, x), false);
        if (stop) {
            outcome.stopped_by_event = true;
            break;
        }
    }
    outcome.t_end = t;
    return outcome;
}

std::string method_name(Method method) {
    switch (method) {
        case Method::Dopri5:
            return "dopri5";
        case Method::Bdf:
            return "bdf";
    }
    return "?";
}

}  // namespace cartsim::ode
