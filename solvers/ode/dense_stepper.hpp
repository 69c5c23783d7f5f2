#pragma once
// Internal to solvers/ode: what integrate() needs from a dense-output stepper (odeint's, CVODE), so that the
// event, output and post-step logic is written once for every method.

#include <memory>
#include <span>

#include "solvers/ode/integrator.hpp"

namespace cartsim::ode::detail {

class DenseStepper {
public:
    virtual ~DenseStepper() = default;

    /// Restarts at state x and time t [days] with a first trial step dt [days].
    virtual void initialize(const State& x, double t, double dt) = 0;
    /// Takes one accepted step (retrying rejected ones inside); throws odeint_error or IntegrationError
    /// when the step size control gives up.
    virtual void do_step() = 0;
    virtual double previous_time() const = 0;
    virtual double current_time() const = 0;
    /// Step size [days] the controller proposes for the next step.
    virtual double proposed_step() const = 0;
    virtual void current_state(State& x) const = 0;
    /// Dense output inside the last step, previous_time() <= t <= current_time().
    virtual void calc_state(double t, State& x) = 0;
    /// The times ahead at which the caller will read the dense output: outputs and the coupling grid
    /// (sorted), and the end of the segment, where an event restarts from the interpolated state. A
    /// stepper that keeps amounts non-negative checks the steps it takes at these too. The span must
    /// stay valid until the next call.
    virtual void set_read_times(std::span<const double> /*times*/, double /*segment_end*/) {}
};

/// The stepper keeps references to problem and stats: both must outlive it.
std::unique_ptr<DenseStepper> make_dopri5_stepper(const Problem& problem, const Settings& settings, Stats& stats);
/// SUNDIALS CVODE's BDF.
std::unique_ptr<DenseStepper> make_bdf_stepper(const Problem& problem, const Settings& settings, Stats& stats);

}  // namespace cartsim::ode::detail
