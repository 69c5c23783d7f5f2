#include "src/stats/optimise.hpp"

#include <nlopt.h>

#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <stdexcept>

namespace cartsim::stats {
namespace {

struct Context {
    const std::function<double(const std::vector<double>&)>* f = nullptr;
    nlopt_opt opt = nullptr;
    std::exception_ptr error;
    std::vector<double> best_x;
    double best_f = std::numeric_limits<double>::infinity();
    int evaluations = 0;
};

double call(unsigned n, const double* x, double* /*gradient: derivative-free*/, void* data) {
    auto& c = *static_cast<Context*>(data);
    if (c.error) return std::numeric_limits<double>::infinity();
    std::vector<double> point(x, x + n);
    ++c.evaluations;
    try {
        double value = (*c.f)(point);
        if (std::isnan(value)) value = std::numeric_limits<double>::infinity();
        if (value < c.best_f || c.best_x.empty()) {
            c.best_f = value;
            c.best_x = point;
        }
        return value;
    } catch (...) {
        c.error = std::current_exception();
        nlopt_force_stop(c.opt);
        return std::numeric_limits<double>::infinity();
    }
}

std::string describe(nlopt_result r) {
    switch (r) {
        case NLOPT_SUCCESS: return "success";
        case NLOPT_STOPVAL_REACHED: return "target value reached";
        case NLOPT_FTOL_REACHED: return "value tolerance reached";
        case NLOPT_XTOL_REACHED: return "position tolerance reached";
        case NLOPT_MAXEVAL_REACHED: return "budget used up";
        case NLOPT_MAXTIME_REACHED: return "time limit reached";
        case NLOPT_FORCED_STOP: return "stopped";
        case NLOPT_ROUNDOFF_LIMITED: return "limited by round-off";
        case NLOPT_OUT_OF_MEMORY: return "out of memory";
        case NLOPT_INVALID_ARGS: return "invalid arguments";
        default: return "failure";
    }
}

}  // namespace

OptimiseResult minimise(const std::function<double(const std::vector<double>&)>& f, const std::vector<double>& x0,
                        const OptimiseOptions& options) {
    const std::size_t n = x0.size();
    if (n == 0) throw std::invalid_argument("minimise: empty start point");
    if (options.lower.size() != n || options.upper.size() != n || options.initial_step.size() != n)
        throw std::invalid_argument("minimise: bounds and steps need one entry per coordinate");
    for (std::size_t i = 0; i < n; ++i) {
        if (!(options.lower[i] <= x0[i] && x0[i] <= options.upper[i]))
            throw std::invalid_argument("minimise: the start point lies outside the bounds");
        if (!(std::abs(options.initial_step[i]) > 0.0)) throw std::invalid_argument("minimise: a zero initial step");
    }
    if (options.max_evaluations < 1) throw std::invalid_argument("minimise: the evaluation budget must be at least 1");
    const auto algorithm = options.method == Optimiser::Subplex ? NLOPT_LN_SBPLX : NLOPT_LN_NELDERMEAD;
    std::unique_ptr<nlopt_opt_s, decltype(&nlopt_destroy)> opt(nlopt_create(algorithm, static_cast<unsigned>(n)),
                                                                &nlopt_destroy);
    if (!opt) throw std::runtime_error("minimise: NLopt could not create the optimiser");
    Context context;
    context.f = &f;
    context.opt = opt.get();
    nlopt_set_min_objective(opt.get(), &call, &context);
    nlopt_set_lower_bounds(opt.get(), options.lower.data());
    nlopt_set_upper_bounds(opt.get(), options.upper.data());
    nlopt_set_initial_step(opt.get(), options.initial_step.data());
    nlopt_set_maxeval(opt.get(), options.max_evaluations);
    nlopt_set_ftol_abs(opt.get(), options.f_tolerance);
    nlopt_set_xtol_abs1(opt.get(), options.x_tolerance);
    std::vector<double> x = x0;
    double fx = 0.0;
    const nlopt_result r = nlopt_optimize(opt.get(), x.data(), &fx);
    if (context.error) std::rethrow_exception(context.error);
    OptimiseResult result;
    result.x = context.best_x.empty() ? x : context.best_x;
    result.f = context.best_x.empty() ? fx : context.best_f;
    result.evaluations = context.evaluations;
    result.converged = r == NLOPT_FTOL_REACHED || r == NLOPT_XTOL_REACHED || r == NLOPT_SUCCESS;
    result.reason = describe(r);
    if (r < 0 && r != NLOPT_FORCED_STOP && r != NLOPT_ROUNDOFF_LIMITED)
        throw std::runtime_error("minimise: NLopt failed (" + result.reason + ")");
    return result;
}

}  // namespace cartsim::stats
