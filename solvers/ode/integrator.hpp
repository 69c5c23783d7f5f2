#pragma once
// ODE integration with events, behind one small interface. Knows nothing of myeloma.
//
// A schedule of events is data owned by the caller: the integrator asks for the next event time,
// integrates exactly to it, lets the caller apply the jump, restarts the stepper and goes on. Output
// times are served from the steppers' dense output, so daily output does not force daily steps.
// Events at a time are applied before that time's output is observed.
//
// Two further hooks see the solution between outputs. A step observer sees every accepted step with
// its dense output, so a caller can track peaks and threshold crossings whatever the output times,
// and stop the integration where a crossing lies. A coupling is called on a fixed grid of its own
// (for example to advance a stochastic layer), interleaved in time order with the outputs.

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace cartsim::ode {

using State = std::vector<double>;

/// dx/dt at time t [days]; the odeint System concept.
using Rhs = std::function<void(const State& x, State& dxdt, double t)>;

/// Optional analytic Jacobian, row-major n x n: jacobian[i * n + j] = d(dx_i/dt)/dx_j.
/// When empty, stiff methods use a difference-quotient Jacobian.
using Jacobian = std::function<void(const State& x, std::vector<double>& jacobian, double t)>;

enum class Method {
    Dopri5,  // explicit Dormand-Prince 5(4), dense output; for non-stiff systems (the main model)
    Bdf,     // variable-order (1-5) BDF, SUNDIALS CVODE; stiff systems (the Singh model)
};

struct Settings {
    Method method = Method::Dopri5;
    double rel_tol = 1e-6;
    double abs_tol = 1e-6;
    double initial_step_days = 1e-3;
    double max_step_days = 0.0;  // 0 = no limit
    std::int64_t max_steps = 10'000'000;  // per integrate() call; exceeded -> error
};

struct Stats {
    std::int64_t steps = 0;
    std::int64_t rhs_evaluations = 0;
    std::int64_t jacobian_evaluations = 0;
    std::int64_t restarts = 0;  // stepper re-initialisations after events or post-step changes
};

/// A periodic coupling: at(t, x) is called at every positive multiple t of period_days inside
/// (t0, t_final], with the solution at t, in time order with the output times (before an output at
/// the same time, after events at that time). Its times depend on neither the outputs nor the steps.
struct Coupling {
    double period_days = 0.0;  // 0 = none
    std::function<void(double t, const State& x)> at;
};

struct Problem {
    Rhs rhs;
    Jacobian jacobian;  // may be empty
    /// Called after every accepted step with the new state; may change it (for example set tiny
    /// populations to zero) and returns true when it did, which restarts the stepper. May be empty.
    std::function<bool(double t, State& x)> post_step;
    Coupling coupling;
    /// Components that are amounts and must stay >= 0 (non-zero entries; empty: none). Dopri5 rejects a
    /// step that ends with one of them below -abs_tol/2, or whose dense output dips there at 1/4, 1/2 or
    /// 3/4 of the step (looked at when an amount is within 5 abs_tol of zero) or at any time inside it
    /// where the output, the coupling or the next event reads it, and retries from the
    /// step's start with half the step (at most 30 times), after the NonNegative option of MATLAB's ode45
    /// (Shampine, Thompson, Kierzenka and Byrne, Appl Math Comput 170, 2005), so that written values
    /// (interpolated) stay above -abs_tol. An amount that starts below the floor (a restart from an
    /// interpolated point) may not fall further. The flows are not changed, so conservation holds.
    std::vector<char> non_negative;
};

/// One accepted step as a step observer sees it.
class Step {
public:
    virtual ~Step() = default;
    virtual double start() const = 0;  // [days]
    virtual double end() const = 0;    // [days]
    /// The solution at start() <= t <= end() from the stepper's dense output (at start(): the state
    /// the step began from, after any jump or post_step change there).
    virtual void state_at(double t, State& x) const = 0;
};

/// Called after every accepted step, before the outputs inside it are served and before post_step.
/// Returns +infinity to go on, or a time in (start(), end()] at which the integration stops there
/// (a terminal event the caller located inside the step, for example a crossing found by bisection):
/// the state becomes the solution at that time, and outputs up to and at that time are served.
using StepObserver = std::function<double(const Step& step)>;

struct EventHooks {
    /// Smallest event time strictly greater than t, or +infinity when none. May be empty.
    std::function<double(double t)> next_event_time;
    /// Applies every event due at time t to x (a jump). Returns true to stop the integration at t
    /// (for example at death). May be empty.
    std::function<bool(double t, State& x)> apply_events;
    StepObserver on_step;  // may be empty
};

/// Called in increasing time order at every requested output time (after events at that time).
using Observer = std::function<void(double t, const State& x)>;

struct Outcome {
    double t_end = 0.0;     // where integration stopped (t_final or the stopping event's time)
    bool stopped_by_event = false;  // by apply_events or by a step observer
    Stats stats;
};

class IntegrationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Integrates x from t0 to t_final [days]. Events due at t0 itself are applied first. Output times
/// outside [t0, t_final] are ignored. Throws IntegrationError on non-finite states or when
/// max_steps is exceeded.
Outcome integrate(const Problem& problem, State& x, double t0, double t_final, const Settings& settings,
                  const EventHooks& events, std::span<const double> output_times, const Observer& observer);

std::string method_name(Method method);

}  // namespace cartsim::ode
