// Rosenbrock 4(3) with dense output: odeint's rosenbrock4, rosenbrock4_controller and
// rosenbrock4_dense_output ported to std::vector. odeint's own classes keep their states in
// ublas::vector, whose storage calls std::allocator::construct, removed in C++20, so Boost 1.74
// (Debian 12) cannot compile them here. Stages, error norm, step-size control and interpolation follow
// odeint line by line; the coefficients are odeint's with one sign corrected (rosenbrock4_coefficients.hpp).

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>
#include <utility>

#include "solvers/ode/dense_lu.hpp"
#include "solvers/ode/dense_stepper.hpp"
#include "solvers/ode/finite_difference.hpp"
#include "solvers/ode/rosenbrock4_coefficients.hpp"

namespace cartsim::ode::detail {
namespace {

namespace c = rodas;

/// y = x + sum_k a_k g_k over the given stage increments.
void combine(const State& x, std::initializer_list<std::pair<double, const State*>> terms, State& y) {
    y = x;
    for (const auto& [a, g] : terms) {
        for (std::size_t i = 0; i < y.size(); ++i) y[i] += a * (*g)[i];
    }
}

class Rosenbrock4Stepper final : public DenseStepper {
public:
    Rosenbrock4Stepper(const Problem& problem, const Settings& settings, Stats& stats)
        : problem_(problem), settings_(settings), stats_(stats) {}

    void initialize(const State& x, double t, double dt) override {
        x_ = x;
        t_ = t;
        t_old_ = t;
        dt_ = dt;
        linearised_ = false;
        // A jump breaks the error history the step-size predictor relies on.
        first_step_ = true;
        last_rejected_ = false;
    }

    void do_step() override {
        for (int rejections = 0; !try_step(); ++rejections) {
            if (rejections >= kMaxRejections) {
                throw IntegrationError("rosenbrock4: no acceptable step size at t = " + std::to_string(t_) +
                                       " days (last trial " + std::to_string(dt_) + ")");
            }
        }
    }

    double previous_time() const override { return t_old_; }
    double current_time() const override { return t_; }
    double proposed_step() const override { return dt_; }
    void current_state(State& x) const override { x = x_; }

    void calc_state(double t, State& x) override {
        const double s = (t - t_old_) / (t_ - t_old_);
        const double s1 = 1.0 - s;
        x.resize(x_.size());
        for (std::size_t i = 0; i < x.size(); ++i) {
            x[i] = x_old_[i] * s1 + s * (x_[i] + s1 * (cont3_[i] + s * cont4_[i]));
        }
    }

private:
    static constexpr int kMaxRejections = 500;  // as odeint's failed_step_checker

    void rhs(const State& x, State& dxdt, double t) {
        dxdt.resize(x.size());
        problem_.rhs(x, dxdt, t);
        ++stats_.rhs_evaluations;
    }

    /// f, the Jacobian and df/dt at the step's start; a rejected step retries from the same point,
    /// so they are computed once per accepted step.
    void linearise() {
        const std::size_t n = x_.size();
        rhs(x_, f0_, t_);
        ++stats_.jacobian_evaluations;
        if (problem_.jacobian) {
            jacobian_.assign(n * n, 0.0);
            problem_.jacobian(x_, jacobian_, t_);
        } else {
            scratch_ = x_;
            forward_difference_jacobian(problem_.rhs, scratch_, f0_, t_, jacobian_, stats_.rhs_evaluations);
        }
        forward_difference_dfdt(problem_.rhs, x_, f0_, t_, dfdt_, stats_.rhs_evaluations);
        linearised_ = true;
    }

    /// Solves (I / (gamma dt) - J) g = f + dt d dfdt + sum_k c_k g_k / dt, odeint's stage equation.
    void stage(double dt, double d, std::initializer_list<std::pair<double, const State*>> previous, State& g) {
        g.resize(x_.size());
        for (std::size_t i = 0; i < g.size(); ++i) {
            double sum = 0.0;
            for (const auto& [c, gk] : previous) sum += c * (*gk)[i];
            g[i] = f_stage_[i] + dt * d * dfdt_[i] + sum / dt;
        }
        lu_.solve(g);
    }

    bool try_step() {
        if (settings_.max_step_days > 0.0) dt_ = std::min(dt_, settings_.max_step_days);
        if (!linearised_) linearise();
        const double dt = dt_;
        const std::size_t n = x_.size();

        iteration_matrix_.resize(n * n);
        for (std::size_t k = 0; k < n * n; ++k) iteration_matrix_[k] = -jacobian_[k];
        for (std::size_t i = 0; i < n; ++i) iteration_matrix_[i * n + i] += 1.0 / (c::gamma * dt);
        if (!lu_.factorize(iteration_matrix_, n)) return reject(0.5);

        f_stage_ = f0_;
        stage(dt, c::d1, {}, g1_);
        combine(x_, {{c::a21, &g1_}}, x_stage_);
        rhs(x_stage_, f_stage_, t_ + c::c2 * dt);
        stage(dt, c::d2, {{c::c21, &g1_}}, g2_);
        combine(x_, {{c::a31, &g1_}, {c::a32, &g2_}}, x_stage_);
        rhs(x_stage_, f_stage_, t_ + c::c3 * dt);
        stage(dt, c::d3, {{c::c31, &g1_}, {c::c32, &g2_}}, g3_);
        combine(x_, {{c::a41, &g1_}, {c::a42, &g2_}, {c::a43, &g3_}}, x_stage_);
        rhs(x_stage_, f_stage_, t_ + c::c4 * dt);
        stage(dt, c::d4, {{c::c41, &g1_}, {c::c42, &g2_}, {c::c43, &g3_}}, g4_);
        combine(x_, {{c::a51, &g1_}, {c::a52, &g2_}, {c::a53, &g3_}, {c::a54, &g4_}}, x_stage_);
        rhs(x_stage_, f_stage_, t_ + dt);
        stage(dt, 0.0, {{c::c51, &g1_}, {c::c52, &g2_}, {c::c53, &g3_}, {c::c54, &g4_}}, g5_);
        for (std::size_t i = 0; i < n; ++i) x_stage_[i] += g5_[i];
        rhs(x_stage_, f_stage_, t_ + dt);
        stage(dt, 0.0, {{c::c61, &g1_}, {c::c62, &g2_}, {c::c63, &g3_}, {c::c64, &g4_}, {c::c65, &g5_}}, error_);
        x_new_.resize(n);
        for (std::size_t i = 0; i < n; ++i) x_new_[i] = x_stage_[i] + error_[i];
        return control(error_norm());
    }

    /// Root mean square of the error scaled by abs_tol + rel_tol * max(|x_old|, |x_new|).
    double error_norm() const {
        double sum = 0.0;
        for (std::size_t i = 0; i < x_.size(); ++i) {
            const double scale = settings_.abs_tol + settings_.rel_tol * std::max(std::abs(x_[i]), std::abs(x_new_[i]));
            sum += (error_[i] / scale) * (error_[i] / scale);
        }
        return std::sqrt(sum / static_cast<double>(x_.size()));
    }

    /// odeint's rosenbrock4_controller: step-size factor err^(1/4) / 0.9 in [1/6, 5], with
    /// Gustafsson's predictor after accepted steps and no growth right after a rejection.
    bool control(double err) {
        constexpr double kSafety = 0.9;
        constexpr double kMaxShrink = 5.0;
        constexpr double kMaxGrowth = 1.0 / 6.0;
        const double dt = dt_;
        double fac = std::max(kMaxGrowth, std::min(kMaxShrink, std::pow(err, 0.25) / kSafety));
        if (!(err <= 1.0)) return reject(1.0 / fac);
        if (!first_step_) {
            double fac_pred = (dt_old_ / dt) * std::pow(err * err / err_old_, 0.25) / kSafety;
            fac_pred = std::max(kMaxGrowth, std::min(kMaxShrink, fac_pred));
            fac = std::max(fac, fac_pred);
        }
        first_step_ = false;
        double dt_new = dt / fac;
        dt_old_ = dt;
        err_old_ = std::max(0.01, err);
        if (last_rejected_) dt_new = std::min(dt_new, dt);
        last_rejected_ = false;
        accept(dt, dt_new);
        return true;
    }

    bool reject(double factor) {
        dt_ *= factor;
        last_rejected_ = true;
        return false;
    }

    void accept(double dt, double dt_new) {
        const std::size_t n = x_.size();
        cont3_.resize(n);
        cont4_.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            cont3_[i] = c::d21 * g1_[i] + c::d22 * g2_[i] + c::d23 * g3_[i] + c::d24 * g4_[i] + c::d25 * g5_[i];
            cont4_[i] = c::d31 * g1_[i] + c::d32 * g2_[i] + c::d33 * g3_[i] + c::d34 * g4_[i] + c::d35 * g5_[i];
        }
        std::swap(x_old_, x_);
        std::swap(x_, x_new_);
        t_old_ = t_;
        t_ += dt;
        dt_ = dt_new;
        linearised_ = false;
    }

    const Problem& problem_;
    const Settings& settings_;
    Stats& stats_;
    DenseLu lu_;

    State x_, x_old_, x_new_;
    double t_ = 0.0;
    double t_old_ = 0.0;
    double dt_ = 0.0;
    bool linearised_ = false;
    bool first_step_ = true;
    bool last_rejected_ = false;
    double err_old_ = 0.0;
    double dt_old_ = 0.0;

    State f0_, dfdt_, f_stage_, x_stage_, scratch_, error_;
    State g1_, g2_, g3_, g4_, g5_, cont3_, cont4_;
    std::vector<double> jacobian_, iteration_matrix_;
};

}  // namespace

std::unique_ptr<DenseStepper> make_rosenbrock4_stepper(const Problem& problem, const Settings& settings, Stats& stats) {
    return std::make_unique<Rosenbrock4Stepper>(problem, settings, stats);
}

}  // namespace cartsim::ode::detail
