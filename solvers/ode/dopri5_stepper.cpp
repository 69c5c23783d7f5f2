// Dormand-Prince 5(4) with its 4th-order continuous extension, on std::vector<double> directly.

#include <boost/numeric/odeint/stepper/generation.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta_dopri5.hpp>

#include "solvers/ode/dense_stepper.hpp"

namespace cartsim::ode::detail {
namespace {

namespace odeint = boost::numeric::odeint;

/// Counts every evaluation, including those of rejected trial steps.
struct CountingRhs {
    const Rhs* rhs;
    Stats* stats;
    void operator()(const State& x, State& dxdt, double t) const {
        ++stats->rhs_evaluations;
        (*rhs)(x, dxdt, t);
    }
};

class Dopri5Stepper final : public DenseStepper {
    using Base = odeint::runge_kutta_dopri5<State>;
    using Dense = odeint::result_of::make_dense_output<Base>::type;

public:
    Dopri5Stepper(const Problem& problem, const Settings& settings, Stats& stats)
        : rhs_{&problem.rhs, &stats}, dense_(make(settings)) {}

    void initialize(const State& x, double t, double dt) override { dense_.initialize(x, t, dt); }
    void do_step() override { dense_.do_step(rhs_); }
    double previous_time() const override { return dense_.previous_time(); }
    double current_time() const override { return dense_.current_time(); }
    double proposed_step() const override { return dense_.current_time_step(); }
    void current_state(State& x) const override { x = dense_.current_state(); }
    void calc_state(double t, State& x) override {
        x.resize(dense_.current_state().size());  // odeint writes into x without resizing it
        dense_.calc_state(t, x);
    }

private:
    static Dense make(const Settings& settings) {
        if (settings.max_step_days > 0.0) {
            return odeint::make_dense_output(settings.abs_tol, settings.rel_tol, settings.max_step_days, Base());
        }
        return odeint::make_dense_output(settings.abs_tol, settings.rel_tol, Base());
    }

    CountingRhs rhs_;
    Dense dense_;
};

}  // namespace

std::unique_ptr<DenseStepper> make_dopri5_stepper(const Problem& problem, const Settings& settings, Stats& stats) {
    return std::make_unique<Dopri5Stepper>(problem, settings, stats);
}

}  // namespace cartsim::ode::detail
