// The event loop: integrate to the next event, jump, restart. Method-agnostic; the steppers live in
// dopri5_stepper.cpp, rosenbrock4_stepper.cpp and bdf_stepper.cpp.

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

/// Serves the output times, in order, from whatever state source the caller has at hand.
class OutputQueue {
public:
    OutputQueue(std::span<const double> times, double t0, double t_final, const Observer& observer)
        : observer_(observer) {
        for (double t : times) {
            if (t >= t0 && t <= t_final) times_.push_back(t);
        }
        std::sort(times_.begin(), times_.end());
    }

    /// Observes every pending time strictly before t_limit, with the state from source(t, x).
    template <class Source>
    void serve_before(double t_limit, Source&& source) {
        while (next_ < times_.size() && times_[next_] < t_limit) {
            source(times_[next_], scratch_);
            if (observer_) observer_(times_[next_], scratch_);
            ++next_;
        }
    }

    /// Observes every pending time equal to t with the state x.
    void serve_at(double t, const State& x) {
        while (next_ < times_.size() && times_[next_] <= t) {
            if (observer_) observer_(times_[next_], x);
            ++next_;
        }
    }

private:
    const Observer& observer_;
    std::vector<double> times_;
    std::size_t next_ = 0;
    State scratch_;
};

std::unique_ptr<detail::DenseStepper> make_stepper(const Problem& problem, const Settings& settings, Stats& stats) {
    switch (settings.method) {
        case Method::Rosenbrock4:
            return detail::make_rosenbrock4_stepper(problem, settings, stats);
        case Method::Bdf:
            return detail::make_bdf_stepper(problem, settings, stats);
        case Method::Dopri5:
            break;
    }
    return detail::make_dopri5_stepper(problem, settings, stats);
}

class EventLoop {
public:
    EventLoop(const Problem& problem, const Settings& settings, OutputQueue& outputs, Stats& stats)
        : problem_(problem),
          settings_(settings),
          outputs_(outputs),
          stats_(stats),
          stepper_(make_stepper(problem, settings, stats)),
          step_days_(settings.initial_step_days) {}

    /// Integrates x from t to t_end, where no event lies strictly between. Serves outputs before
    /// t_end; those at t_end are left to the caller, which applies events there first.
    void integrate_segment(State& x, double t, double t_end) {
        start(x, t);
        while (true) {
            take_step();
            const double t_new = stepper_->current_time();
            const bool reached = t_new >= t_end;
            const double t_stop = reached ? t_end : t_new;
            outputs_.serve_before(t_stop, [this](double t_out, State& y) { stepper_->calc_state(t_out, y); });
            if (reached && t_new > t_end) {
                stepper_->calc_state(t_end, x);
            } else {
                x = new_state_;
            }
            const bool changed = problem_.post_step && problem_.post_step(t_stop, x);
            if (changed) require_finite(x, t_stop);
            if (reached) return;
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
    OutputQueue outputs(output_times, t0, t_final, observer);
    EventLoop loop(problem, settings, outputs, outcome.stats);

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
        loop.integrate_segment(x, t, t_end);
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
        case Method::Rosenbrock4:
            return "rosenbrock4";
        case Method::Bdf:
            return "bdf";
    }
    return "?";
}

}  // namespace cartsim::ode
