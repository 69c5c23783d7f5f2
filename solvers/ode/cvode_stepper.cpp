// Variable-order (1-5) BDF from SUNDIALS CVODE (Hindmarsh et al., ACM TOMS 31, 2005), one step per
// call (CV_ONE_STEP) with dense output from its Nordsieck history (CVodeGetDky). Newton iterations
// solve with SUNDIALS' dense LU; the Jacobian is Problem::jacobian when given, else CVODE's internal
// difference quotient (n RHS evaluations, counted like any other).

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <cvode/cvode.h>
#include <cvode/cvode_ls.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include "solvers/ode/dense_stepper.hpp"
#include "solvers/ode/sundials_handles.hpp"

namespace cartsim::ode::detail {
namespace {

std::string at(double t) { return " at t = " + std::to_string(t) + " days"; }

std::string flag_name(int flag) {
    char* name = CVodeGetReturnFlagName(flag);  // malloc'd by SUNDIALS
    std::string text = name ? name : "CV_UNKNOWN";
    std::free(name);
    return text;
}

class CvodeStepper final : public DenseStepper {
public:
    CvodeStepper(const Problem& problem, const Settings& settings, Stats& stats)
        : problem_(problem), settings_(settings), stats_(stats) {}
    CvodeStepper(const CvodeStepper&) = delete;  // CVODE holds `this` as its user data
    CvodeStepper& operator=(const CvodeStepper&) = delete;

    /// Restarts at order 1 with the first step min(dt, max_step_days, starting_step()): a step tuned for
    /// order 5 before an event is far too long for order 1 after it.
    void initialize(const State& x, double t, double dt) override {
        if (!cvode_ || x.size() != size_) {
            create(x, t);
        } else {
            std::copy(x.begin(), x.end(), N_VGetArrayPointer(y_.get()));
            check(CVodeReInit(cvode_.get(), t, y_.get()), "CVodeReInit", t);
        }
        t_ = t;
        t_previous_ = t;
        jacobians_counted_ = 0;  // CVODE resets its counters at the first step after CVodeReInit
        double h = dt;
        if (settings_.max_step_days > 0.0) h = std::min(h, settings_.max_step_days);
        h = std::min(h, starting_step(x, t));
        check(CVodeSetInitStep(cvode_.get(), h), "CVodeSetInitStep", t);
        tout_ = t + h;  // only its direction matters once the first step is set
    }

    void do_step() override {
        t_previous_ = t_;
        double t_reached = t_;
        const int flag = CVode(cvode_.get(), tout_, y_.get(), &t_reached, CV_ONE_STEP);
        if (callback_error_) std::rethrow_exception(std::exchange(callback_error_, nullptr));
        if (flag < 0) {
            double t_failed = t_;
            CVodeGetCurrentTime(cvode_.get(), &t_failed);
            throw IntegrationError("bdf (CVODE): " + flag_name(flag) + at(t_failed) + ": " + last_error_);
        }
        t_ = t_reached;
        long jacobians = 0;
        CVodeGetNumJacEvals(cvode_.get(), &jacobians);
        stats_.jacobian_evaluations += jacobians - jacobians_counted_;
        jacobians_counted_ = jacobians;
    }

    double previous_time() const override { return t_previous_; }
    double current_time() const override { return t_; }

    double proposed_step() const override {
        double h = 0.0;
        CVodeGetCurrentStep(cvode_.get(), &h);
        return h;
    }

    void current_state(State& x) const override { copy(y_.get(), x); }

    void calc_state(double t, State& x) override {
        check(CVodeGetDky(cvode_.get(), t, 0, dky_.get()), "CVodeGetDky", t);
        copy(dky_.get(), x);
    }

private:
    void create(const State& x, double t) {
        if (x.empty()) throw IntegrationError("bdf (CVODE): no state variables to integrate");
        size_ = x.size();
        const auto n = static_cast<sunindextype>(size_);
        SUNContext context = nullptr;
        if (SUNContext_Create(nullptr, &context) != 0) throw IntegrationError("bdf (CVODE): no SUNDIALS context");
        cvode_.reset();  // in reverse order of creation, should the size change
        solver_.reset();
        matrix_.reset();
        y_.reset();
        dky_.reset();
        context_.reset(context);
        y_.reset(N_VNew_Serial(n, context));
        dky_.reset(N_VNew_Serial(n, context));
        matrix_.reset(SUNDenseMatrix(n, n, context));
        if (!y_ || !dky_ || !matrix_) throw IntegrationError("bdf (CVODE): out of memory");
        solver_.reset(SUNLinSol_Dense(y_.get(), matrix_.get(), context));
        cvode_.reset(CVodeCreate(CV_BDF, context));
        if (!solver_ || !cvode_) throw IntegrationError("bdf (CVODE): out of memory");
        std::copy(x.begin(), x.end(), N_VGetArrayPointer(y_.get()));
        x_.resize(size_);
        f_.resize(size_);

        void* mem = cvode_.get();
        check(CVodeSetErrHandlerFn(mem, &CvodeStepper::record_error, this), "CVodeSetErrHandlerFn", t);
        check(CVodeInit(mem, &CvodeStepper::rhs, t, y_.get()), "CVodeInit", t);
        check(CVodeSetUserData(mem, this), "CVodeSetUserData", t);
        check(CVodeSStolerances(mem, settings_.rel_tol, settings_.abs_tol), "CVodeSStolerances", t);
        check(CVodeSetLinearSolver(mem, solver_.get(), matrix_.get()), "CVodeSetLinearSolver", t);
        if (problem_.jacobian) check(CVodeSetJacFn(mem, &CvodeStepper::jacobian), "CVodeSetJacFn", t);
        if (settings_.max_step_days > 0.0) check(CVodeSetMaxStep(mem, settings_.max_step_days), "CVodeSetMaxStep", t);
    }

    /// Hairer, Norsett & Wanner, Solving ODEs I, section II.4, for an error of order h^2 (the order-1
    /// start); two RHS evaluations. CVODE's own estimate (CVodeSetInitStep(0)) lets no component move
    /// by more than its tolerance in the first step: a population at exactly zero with an inflow of
    /// 1e3 cells/day gets 1e-13 day at abs_tol 1e-10, and where a post-step hook clips that population
    /// after every step (CARTmath's extinction rule) every restart took the same step and the
    /// integration stalled at the dose. This estimate weighs all components together (RMS norm).
    double starting_step(const State& x, double t) {
        const std::size_t n = x.size();
        if (n == 0) return std::numeric_limits<double>::infinity();
        auto weighted_rms = [&](const State& v) {
            double sum = 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                const double e = v[i] / (settings_.abs_tol + settings_.rel_tol * std::abs(x[i]));
                sum += e * e;
            }
            return std::sqrt(sum / static_cast<double>(n));
        };
        State f0(n), x1(n), f1(n);
        ++stats_.rhs_evaluations;
        problem_.rhs(x, f0, t);
        const double d0 = weighted_rms(x);
        const double d1 = weighted_rms(f0);
        const double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        for (std::size_t i = 0; i < n; ++i) x1[i] = x[i] + h0 * f0[i];
        ++stats_.rhs_evaluations;
        problem_.rhs(x1, f1, t + h0);
        for (std::size_t i = 0; i < n; ++i) f1[i] -= f0[i];
        const double d2 = weighted_rms(f1) / h0;
        const double h1 =
            (d1 <= 1e-15 && d2 <= 1e-15) ? std::max(1e-6, h0 * 1e-3) : std::sqrt(0.01 / std::max(d1, d2));
        const double h = std::min(100.0 * h0, h1);
        // Where f is not finite CVODE's own error handling names the failure.
        return std::isfinite(h) && h > 0.0 ? h : std::numeric_limits<double>::infinity();
    }

    void check(int flag, const char* call, double t) const {
        if (flag < 0) {
            throw IntegrationError("bdf (CVODE): " + std::string(call) + " " + flag_name(flag) + at(t) + ": " +
                                   last_error_);
        }
    }

    void copy(N_Vector from, State& to) const {
        const double* data = N_VGetArrayPointer(from);
        to.assign(data, data + size_);
    }

    /// f(t, y) into ydot. A non-finite result is a recoverable failure: CVODE retries with a shorter
    /// step and gives up (an IntegrationError) when that does not help.
    static int rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* user_data) {
        auto& self = *static_cast<CvodeStepper*>(user_data);
        ++self.stats_.rhs_evaluations;
        const double* in = N_VGetArrayPointer(y);
        std::copy(in, in + self.size_, self.x_.begin());
        try {
            self.problem_.rhs(self.x_, self.f_, t);
        } catch (...) {  // exceptions must not unwind through C
            self.callback_error_ = std::current_exception();
            return -1;
        }
        double* out = N_VGetArrayPointer(ydot);
        bool finite = true;
        for (std::size_t i = 0; i < self.size_; ++i) {
            out[i] = self.f_[i];
            finite = finite && std::isfinite(self.f_[i]);
        }
        return finite ? 0 : 1;
    }

    /// Problem::jacobian (row-major) into CVODE's column-major dense matrix.
    static int jacobian(sunrealtype t, N_Vector y, N_Vector /*fy*/, SUNMatrix jac, void* user_data,
                        N_Vector /*tmp1*/, N_Vector /*tmp2*/, N_Vector /*tmp3*/) {
        auto& self = *static_cast<CvodeStepper*>(user_data);
        const std::size_t n = self.size_;
        const double* in = N_VGetArrayPointer(y);
        std::copy(in, in + n, self.x_.begin());
        self.jacobian_.assign(n * n, 0.0);
        try {
            self.problem_.jacobian(self.x_, self.jacobian_, t);
        } catch (...) {
            self.callback_error_ = std::current_exception();
            return -1;
        }
        double* columns = SUNDenseMatrix_Data(jac);
        bool finite = true;
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                const double value = self.jacobian_[i * n + j];
                columns[j * n + i] = value;
                finite = finite && std::isfinite(value);
            }
        }
        return finite ? 0 : 1;
    }

    /// CVODE reports errors and warnings here instead of on stderr; the last one goes into the
    /// IntegrationError message.
    static void record_error(int /*code*/, const char* /*module*/, const char* function, char* message,
                             void* user_data) {
        auto& self = *static_cast<CvodeStepper*>(user_data);
        self.last_error_ = std::string(function ? function : "") + ": " + (message ? message : "");
    }

    const Problem& problem_;
    const Settings& settings_;
    Stats& stats_;
    std::size_t size_ = 0;
    // In order of dependence (see sundials_handles.hpp).
    SunContextHandle context_;
    NVectorHandle y_, dky_;
    SunMatrixHandle matrix_;
    SunLinearSolverHandle solver_;
    CvodeHandle cvode_;

    double t_ = 0.0;
    double t_previous_ = 0.0;
    double tout_ = 0.0;
    long jacobians_counted_ = 0;
    State x_, f_;
    std::vector<double> jacobian_;
    std::string last_error_;
    std::exception_ptr callback_error_;
};

}  // namespace

std::unique_ptr<DenseStepper> make_bdf_stepper(const Problem& problem, const Settings& settings, Stats& stats) {
    return std::make_unique<CvodeStepper>(problem, settings, stats);
}

}  // namespace cartsim::ode::detail
