// BDF/NDF of orders 1-5 in the quasi-constant-step form of Shampine & Reichelt (1997): the history is
// the difference array D on an equally spaced grid, re-expressed whenever the step changes; each step
// predicts by extrapolating D, corrects by simplified Newton with a reused LU of I - c J, estimates
// the error from the correction, and after order + 1 equal steps picks the order (k - 1, k, k + 1)
// that allows the longest next step. The NDF coefficients kappa are theirs (ode15s, scipy's BDF).

#include "solvers/ode/bdf_stepper.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "solvers/ode/finite_difference.hpp"

namespace cartsim::ode::detail {
namespace {

constexpr int kNewtonMaxIterations = 4;
constexpr double kMinFactor = 0.2;  // largest cut after an error-test failure
constexpr double kMaxFactor = 10.0;  // largest growth after an order/step selection
constexpr int kMaxRejections = 500;
// Up to this size the Newton iterations multiply by an explicit inverse of I - c J: n independent
// dot products instead of two triangular solves whose every entry waits for the previous one. The
// simplified Newton iteration tolerates the slightly larger rounding of the inverse (its matrix is
// approximate anyway); above this size the inverse's n^3 cost per factorisation does not pay.
constexpr std::size_t kInverseMaxStates = 16;
// NDF modifications of the BDF formulas (Shampine & Reichelt, table 1); kappa_5 = 0 keeps order 5 a
// plain BDF, whose stability is already weak.
constexpr std::array<double, kBdfMaxOrder + 1> kKappa{0.0, -0.1850, -1.0 / 9.0, -0.0823, -0.0415, 0.0};

std::string at(double t) { return " at t = " + std::to_string(t) + " days"; }

}  // namespace

BdfStepper::BdfStepper(const Problem& problem, const Settings& settings, Stats& stats)
    : problem_(problem), settings_(settings), stats_(stats) {
    for (int k = 1; k <= kBdfMaxOrder; ++k) gamma_[k] = gamma_[k - 1] + 1.0 / k;
    for (int k = 0; k <= kBdfMaxOrder; ++k) {
        alpha_[k] = (1.0 - kKappa[k]) * gamma_[k];
        error_const_[k] = kKappa[k] * gamma_[k] + 1.0 / (k + 1);
    }
    // Converging further than the error test can see is wasted work; below 10 eps/rtol it is noise.
    constexpr double kEps = std::numeric_limits<double>::epsilon();
    newton_tol_ = std::max(10.0 * kEps / settings.rel_tol, std::min(0.03, std::sqrt(settings.rel_tol)));
}

void BdfStepper::rhs(const State& x, State& dxdt, double t) {
    dxdt.resize(x.size());
    problem_.rhs(x, dxdt, t);
    ++stats_.rhs_evaluations;
}

void BdfStepper::evaluate_jacobian(const State& y, const State& f, double t) {
    ++stats_.jacobian_evaluations;
    const std::size_t n = y.size();
    if (problem_.jacobian) {
        jacobian_.assign(n * n, 0.0);
        problem_.jacobian(y, jacobian_, t);
    } else {
        scratch_ = y;
        forward_difference_jacobian(problem_.rhs, scratch_, f, t, jacobian_, stats_.rhs_evaluations);
    }
    lu_valid_ = false;
}

double BdfStepper::weighted_rms(const double* v) const {
    const std::size_t n = weights_.size();
    double sum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double e = v[i] * weights_[i];
        sum += e * e;
    }
    return n == 0 ? 0.0 : std::sqrt(sum / static_cast<double>(n));
}

void BdfStepper::set_weights(const State& y) {
    weights_.resize(y.size());
    for (std::size_t i = 0; i < y.size(); ++i) weights_[i] = 1.0 / (settings_.abs_tol + settings_.rel_tol * std::abs(y[i]));
}

/// Hairer, Norsett & Wanner, Solving ODEs I, section II.4, for an error of order h^2.
double BdfStepper::initial_step_estimate(const State& f0) {
    set_weights(y_);
    const double d0 = weighted_rms(y_.data());
    const double d1 = weighted_rms(f0.data());
    const double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    scratch_.resize(y_.size());
    for (std::size_t i = 0; i < y_.size(); ++i) scratch_[i] = y_[i] + h0 * f0[i];
    rhs(scratch_, f_predict_, t_ + h0);
    for (std::size_t i = 0; i < y_.size(); ++i) scratch_[i] = f_predict_[i] - f0[i];
    const double d2 = weighted_rms(scratch_.data()) / h0;
    const double h1 = (d1 <= 1e-15 && d2 <= 1e-15) ? std::max(1e-6, h0 * 1e-3) : std::sqrt(0.01 / std::max(d1, d2));
    const double h = std::min(100.0 * h0, h1);
    return std::isfinite(h) && h > 0.0 ? h : h0;
}

void BdfStepper::initialize(const State& x, double t, double dt) {
    y_ = x;
    t_ = t;
    t_old_ = t;
    rhs(y_, f_, t_);
    double h = dt;
    if (settings_.max_step_days > 0.0) h = std::min(h, settings_.max_step_days);
    h_ = std::min(h, initial_step_estimate(f_));
    differences_.reset(y_, f_, h_);
    order_ = 1;
    equal_steps_ = 0;
    // An event may have moved the state far from where the last Jacobian was taken.
    evaluate_jacobian(y_, f_, t_);
    jacobian_fresh_ = true;
}

bool BdfStepper::factorize(double c) {
    const std::size_t n = y_.size();
    iteration_matrix_.resize(n * n);
    for (std::size_t k = 0; k < n * n; ++k) iteration_matrix_[k] = -c * jacobian_[k];
    for (std::size_t i = 0; i < n; ++i) iteration_matrix_[i * n + i] += 1.0;
    lu_valid_ = lu_.factorize(iteration_matrix_, n);
    if (lu_valid_ && n <= kInverseMaxStates) lu_.inverse_columns(inverse_columns_);
    return lu_valid_;
}

void BdfStepper::solve_linear(State& b) {
    const std::size_t n = b.size();
    if (n > kInverseMaxStates) {
        lu_.solve(b);
        return;
    }
    scratch_.assign(n, 0.0);
    for (std::size_t j = 0; j < n; ++j) {
        const double bj = b[j];
        const double* column = inverse_columns_.data() + j * n;
        for (std::size_t i = 0; i < n; ++i) scratch_[i] += column[i] * bj;
    }
    std::swap(b, scratch_);
}

BdfStepper::Newton BdfStepper::solve_corrector(double t_new, double c) {
    const std::size_t n = y_.size();
    y_new_ = y_predict_;
    correction_.assign(n, 0.0);
    delta_.resize(n);
    Newton result;
    double norm_old = 0.0;
    for (int k = 0; k < kNewtonMaxIterations; ++k) {
        result.iterations = k + 1;
        rhs(y_new_, f_, t_new);
        if (k == 0) f_predict_ = f_;  // for a Jacobian refresh at the predictor
        if (!std::all_of(f_.begin(), f_.end(), [](double v) { return std::isfinite(v); })) break;
        for (std::size_t i = 0; i < n; ++i) delta_[i] = c * f_[i] - psi_[i] - correction_[i];
        solve_linear(delta_);
        const double norm = weighted_rms(delta_.data());
        const double rate = k > 0 ? norm / norm_old : 0.0;
        // Give up early when the contraction rate says the remaining iterations cannot reach the
        // tolerance: a fresh Jacobian or a shorter step is then cheaper.
        if (k > 0 && (rate >= 1.0 || std::pow(rate, kNewtonMaxIterations - k) / (1.0 - rate) * norm > newton_tol_)) {
            break;
        }
        for (std::size_t i = 0; i < n; ++i) {
            y_new_[i] += delta_[i];
            correction_[i] += delta_[i];
        }
        if (norm == 0.0 || (k > 0 && rate / (1.0 - rate) * norm < newton_tol_)) {
            result.converged = true;
            break;
        }
        norm_old = norm;
    }
    return result;
}

void BdfStepper::change_step(double factor) {
    h_ *= factor;
    differences_.change_step(order_, factor);
    equal_steps_ = 0;
}

void BdfStepper::do_step() {
    const double min_step = 10.0 * (std::nextafter(t_, std::numeric_limits<double>::infinity()) - t_);
    if (settings_.max_step_days > 0.0 && h_ > settings_.max_step_days) {
        change_step(settings_.max_step_days / h_);
        lu_valid_ = false;
    } else if (h_ < min_step) {
        change_step(min_step / h_);
    }

    const std::size_t n = y_.size();
    bool jacobian_fresh = jacobian_fresh_;
    double error_norm = 0.0;
    double safety = 0.0;
    for (int rejections = 0;; ++rejections) {
        if (rejections > kMaxRejections) {
            throw IntegrationError("bdf: no acceptable step size" + at(t_) + " (last trial " + std::to_string(h_) +
                                   " days)");
        }
        if (h_ < min_step) throw IntegrationError("bdf: step size underflow" + at(t_));
        const double t_new = t_ + h_;
        differences_.predict(order_, y_predict_);
        set_weights(y_predict_);
        psi_.assign(n, 0.0);
        for (int k = 1; k <= order_; ++k) {
            const double* d = differences_.row(k);
            for (std::size_t i = 0; i < n; ++i) psi_[i] += gamma_[k] * d[i];
        }
        for (double& v : psi_) v /= alpha_[order_];
        const double c = h_ / alpha_[order_];

        Newton newton;
        while (true) {
            if (!lu_valid_ && !factorize(c)) break;
            newton = solve_corrector(t_new, c);
            if (newton.converged || jacobian_fresh) break;
            // Where f itself is not finite a new Jacobian cannot help, only a shorter step.
            if (!std::all_of(f_predict_.begin(), f_predict_.end(), [](double v) { return std::isfinite(v); })) break;
            evaluate_jacobian(y_predict_, f_predict_, t_new);
            jacobian_fresh = true;
        }
        if (!newton.converged) {
            change_step(0.5);
            lu_valid_ = false;
            continue;
        }

        // Fewer Newton iterations: the step was easy, allow more growth.
        safety = 0.9 * (2.0 * kNewtonMaxIterations + 1.0) / (2.0 * kNewtonMaxIterations + newton.iterations);
        set_weights(y_new_);
        error_norm = error_const_[order_] * weighted_rms(correction_.data());
        if (error_norm <= 1.0) break;
        // The LU stays: Newton converged, so the slightly stale I - c J is still a good iteration matrix.
        change_step(std::max(kMinFactor, safety * std::pow(error_norm, -1.0 / (order_ + 1))));
    }

    ++equal_steps_;
    t_old_ = t_;
    t_ = t_old_ + h_;
    std::swap(y_, y_new_);
    differences_.accept(order_, correction_);
    jacobian_fresh_ = false;
    if (equal_steps_ >= order_ + 1) select_order_and_step(error_norm, safety);
}

void BdfStepper::select_order_and_step(double error_norm, double safety) {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    // Error estimates of orders k - 1 and k + 1 from the differences D_k and D_{k+2} just updated.
    const double error_lower =
        order_ > 1 ? error_const_[order_ - 1] * weighted_rms(differences_.row(order_)) : kInfinity;
    const double error_higher =
        order_ < kBdfMaxOrder ? error_const_[order_ + 1] * weighted_rms(differences_.row(order_ + 2)) : kInfinity;
    const std::array<double, 3> errors{error_lower, error_norm, error_higher};
    int best = 0;
    double best_factor = -1.0;
    for (int i = 0; i < 3; ++i) {
        const double factor = std::pow(errors[i], -1.0 / (order_ + i));  // 0 -> +inf, inf -> 0
        if (factor > best_factor) {
            best_factor = factor;
            best = i;
        }
    }
    order_ += best - 1;
    change_step(std::min(kMaxFactor, safety * best_factor));
    lu_valid_ = false;
}

void BdfStepper::calc_state(double t, State& x) { differences_.evaluate(order_, t_, h_, t, x); }

std::unique_ptr<DenseStepper> make_bdf_stepper(const Problem& problem, const Settings& settings, Stats& stats) {
    return std::make_unique<BdfStepper>(problem, settings, stats);
}

}  // namespace cartsim::ode::detail
