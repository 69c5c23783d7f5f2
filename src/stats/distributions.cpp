#include "src/stats/distributions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <utility>

#include <boost/math/special_functions/beta.hpp>

#include "src/stats/normal.hpp"

namespace cartsim::stats {

namespace {

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

std::string number(double value) { return std::to_string(value); }

void require(std::vector<std::string>& problems, bool ok, const std::string& message) {
    if (!ok) problems.push_back(message);
}

std::vector<std::string> problems_of(const LogNormal& d) {
    std::vector<std::string> p;
    require(p, d.median > 0.0 && std::isfinite(d.median),
            "lognormal: median must be finite and > 0, got " + number(d.median));
    require(p, d.cv >= 0.0 && std::isfinite(d.cv), "lognormal: cv must be finite and >= 0, got " + number(d.cv));
    return p;
}
std::vector<std::string> problems_of(const TruncatedLogNormal& d) {
    std::vector<std::string> p;
    require(p, d.median > 0.0 && std::isfinite(d.median),
            "truncated lognormal: median must be finite and > 0, got " + number(d.median));
    require(p, d.cv > 0.0 && std::isfinite(d.cv),
            "truncated lognormal: cv must be finite and > 0, got " + number(d.cv));
    require(p, d.lower >= 0.0 && d.lower < d.upper,
            "truncated lognormal: need 0 <= lower < upper, got " + number(d.lower) + " and " + number(d.upper));
    return p;
}
std::vector<std::string> problems_of(const Normal& d) {
    std::vector<std::string> p;
    require(p, std::isfinite(d.mean), "normal: mean must be finite, got " + number(d.mean));
    require(p, d.sd >= 0.0 && std::isfinite(d.sd), "normal: sd must be finite and >= 0, got " + number(d.sd));
    return p;
}
std::vector<std::string> problems_of(const TruncatedNormal& d) {
    std::vector<std::string> p;
    require(p, std::isfinite(d.mean), "truncated normal: mean must be finite, got " + number(d.mean));
    require(p, d.sd > 0.0 && std::isfinite(d.sd), "truncated normal: sd must be finite and > 0, got " + number(d.sd));
    require(p, d.lower < d.upper,
            "truncated normal: need lower < upper, got " + number(d.lower) + " and " + number(d.upper));
    return p;
}
std::vector<std::string> problems_of(const Uniform& d) {
    std::vector<std::string> p;
    require(p, std::isfinite(d.low) && std::isfinite(d.high) && d.low <= d.high,
            "uniform: need finite low <= high, got " + number(d.low) + " and " + number(d.high));
    return p;
}
std::vector<std::string> problems_of(const LogUniform& d) {
    std::vector<std::string> p;
    require(p, d.low > 0.0 && std::isfinite(d.high) && d.low <= d.high,
            "log-uniform: need 0 < low <= high < inf, got " + number(d.low) + " and " + number(d.high));
    return p;
}
std::vector<std::string> problems_of(const Beta& d) {
    std::vector<std::string> p;
    require(p, d.a > 0.0 && std::isfinite(d.a), "beta: a must be finite and > 0, got " + number(d.a));
    require(p, d.b > 0.0 && std::isfinite(d.b), "beta: b must be finite and > 0, got " + number(d.b));
    require(p, std::isfinite(d.low) && std::isfinite(d.high) && d.low < d.high,
            "beta: need finite low < high, got " + number(d.low) + " and " + number(d.high));
    return p;
}
std::vector<std::string> problems_of(const DiscreteChoice& d) {
    std::vector<std::string> p;
    require(p, !d.values.empty(), "discrete choice: no values");
    require(p, d.values.size() == d.weights.size(),
            "discrete choice: " + std::to_string(d.values.size()) + " values but " + std::to_string(d.weights.size()) +
                " weights");
    for (std::size_t i = 0; i < d.weights.size(); ++i)
        require(
            p, d.weights[i] >= 0.0 && std::isfinite(d.weights[i]),
            "discrete choice: weight " + std::to_string(i) + " must be finite and >= 0, got " + number(d.weights[i]));
    require(p, std::accumulate(d.weights.begin(), d.weights.end(), 0.0) > 0.0, "discrete choice: weights sum to 0");
    return p;
}

// Standard normal quantile restricted to [alpha, beta] (in sd units), without cancellation in either tail.
double truncated_standard_quantile(double alpha, double beta, double u) {
    double z;
    if (alpha > 0.0) {
        // Both bounds in the upper tail: work with the small upper-tail probabilities, which keep full precision.
        const double tail_low = normal_cdf(-beta), tail_high = normal_cdf(-alpha);
        z = -normal_quantile(tail_high - u * (tail_high - tail_low));
    } else {
        const double cdf_low = normal_cdf(alpha), cdf_high = normal_cdf(beta);
        z = normal_quantile(cdf_low + u * (cdf_high - cdf_low));
    }
    return std::clamp(z, alpha, beta);  // round-off must not step outside the bounds
}

double standard_normal_density(double z) {
    return std::isfinite(z) ? std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi) : 0.0;
}

// Standard normal probability of [alpha, beta], taken from the upper tail when alpha > 0 (no cancellation).
double standard_mass(double alpha, double beta) {
    return alpha > 0.0 ? normal_cdf(-alpha) - normal_cdf(-beta) : normal_cdf(beta) - normal_cdf(alpha);
}

// Moments of the standard normal truncated to [alpha, beta]: mean and variance.
std::pair<double, double> truncated_standard_moments(double alpha, double beta) {
    const double mass = standard_mass(alpha, beta);
    const double pa = standard_normal_density(alpha), pb = standard_normal_density(beta);
    const double mean = (pa - pb) / mass;
    const double a_term = std::isfinite(alpha) ? alpha * pa : 0.0, b_term = std::isfinite(beta) ? beta * pb : 0.0;
    return {mean, 1.0 + (a_term - b_term) / mass - mean * mean};
}

// ln X = mu + sigma Z with Z standard normal truncated to [alpha, beta].
struct LogScale {
    double mu, sigma, alpha, beta;
};
LogScale log_scale(const TruncatedLogNormal& d) {
    const double mu = std::log(d.median), sigma = std::sqrt(std::log1p(d.cv * d.cv));
    const double alpha = d.lower > 0.0 ? (std::log(d.lower) - mu) / sigma : -std::numeric_limits<double>::infinity();
    const double beta = std::isfinite(d.upper) ? (std::log(d.upper) - mu) / sigma : std::numeric_limits<double>::infinity();
    return {mu, sigma, alpha, beta};
}

// E[X^k] of the truncated lognormal: exp(k mu + k^2 sigma^2 / 2) P(alpha - k sigma <= Z <= beta - k sigma) / P(alpha <= Z <= beta).
double truncated_lognormal_moment(const TruncatedLogNormal& d, int k) {
    const LogScale s = log_scale(d);
    const double shift = k * s.sigma;
    return std::exp(k * s.mu + 0.5 * shift * shift) * standard_mass(s.alpha - shift, s.beta - shift) /
           standard_mass(s.alpha, s.beta);
}

template <class D>
const D& checked(const D& d) {
    const auto problems = problems_of(d);
    if (!problems.empty()) throw std::invalid_argument(problems.front());
    return d;
}

}  // namespace

std::vector<std::string> validate(const Distribution& distribution) {
    return std::visit([](const auto& d) { return problems_of(d); }, distribution);
}

double quantile(const Distribution& distribution, double u) {
    if (!(u >= 0.0 && u <= 1.0)) throw std::invalid_argument("quantile: u must be in [0, 1], got " + number(u));
    return std::visit(
        Overloaded{
            [u](const LogNormal& d) {
                checked(d);
                const double sigma = std::sqrt(std::log1p(d.cv * d.cv));
                return sigma == 0.0 ? d.median : d.median * std::exp(sigma * normal_quantile(u));
            },
            [u](const TruncatedLogNormal& d) {
                const LogScale s = log_scale(checked(d));
                const double x = std::exp(s.mu + s.sigma * truncated_standard_quantile(s.alpha, s.beta, u));
                return std::clamp(x, d.lower, d.upper);  // exp and log round-off must not step outside the bounds
            },
            [u](const Normal& d) { return checked(d).sd == 0.0 ? d.mean : d.mean + d.sd * normal_quantile(u); },
            [u](const TruncatedNormal& d) {
                checked(d);
                return d.mean +
                       d.sd * truncated_standard_quantile((d.lower - d.mean) / d.sd, (d.upper - d.mean) / d.sd, u);
            },
            [u](const Uniform& d) { return checked(d).low + u * (d.high - d.low); },
            [u](const LogUniform& d) { return checked(d).low * std::exp(u * std::log(d.high / d.low)); },
            [u](const Beta& d) { return checked(d).low + (d.high - d.low) * boost::math::ibeta_inv(d.a, d.b, u); },
            [u](const DiscreteChoice& d) {
                checked(d);
                const double target = u * std::accumulate(d.weights.begin(), d.weights.end(), 0.0);
                double cumulative = 0.0;
                for (std::size_t i = 0; i < d.values.size(); ++i) {
                    cumulative += d.weights[i];
                    if (d.weights[i] > 0.0 && target <= cumulative) return d.values[i];
                }
                // u = 1 after round-off in the sum: the last value with positive weight.
                std::size_t last = d.values.size() - 1;
                while (d.weights[last] == 0.0) --last;
                return d.values[last];
            },
        },
        distribution);
}

double sample(const Distribution& distribution, agents::CounterRng& rng) {
    return quantile(distribution, rng.uniform());
}

double mean(const Distribution& distribution) {
    return std::visit(
        Overloaded{
            [](const LogNormal& d) { return checked(d).median * std::sqrt(1.0 + d.cv * d.cv); },
            [](const TruncatedLogNormal& d) { return truncated_lognormal_moment(checked(d), 1); },
            [](const Normal& d) { return checked(d).mean; },
            [](const TruncatedNormal& d) {
                checked(d);
                return d.mean +
                       d.sd * truncated_standard_moments((d.lower - d.mean) / d.sd, (d.upper - d.mean) / d.sd).first;
            },
            [](const Uniform& d) { return 0.5 * (checked(d).low + d.high); },
            [](const LogUniform& d) {
                return checked(d).low == d.high ? d.low : (d.high - d.low) / std::log(d.high / d.low);
            },
            [](const Beta& d) { return checked(d).low + (d.high - d.low) * d.a / (d.a + d.b); },
            [](const DiscreteChoice& d) {
                checked(d);
                const double total = std::accumulate(d.weights.begin(), d.weights.end(), 0.0);
                return std::inner_product(d.values.begin(), d.values.end(), d.weights.begin(), 0.0) / total;
            },
        },
        distribution);
}

double variance(const Distribution& distribution) {
    return std::visit(
        Overloaded{
            [](const LogNormal& d) {
                const double m = mean(d);
                return m * m * d.cv * d.cv;  // cv is the lognormal's own sd / mean
            },
            [](const TruncatedLogNormal& d) {
                const double m = truncated_lognormal_moment(checked(d), 1);
                return truncated_lognormal_moment(d, 2) - m * m;
            },
            [](const Normal& d) { return checked(d).sd * d.sd; },
            [](const TruncatedNormal& d) {
                checked(d);
                return d.sd * d.sd *
                       truncated_standard_moments((d.lower - d.mean) / d.sd, (d.upper - d.mean) / d.sd).second;
            },
            [](const Uniform& d) { return (checked(d).high - d.low) * (d.high - d.low) / 12.0; },
            [](const LogUniform& d) {
                if (checked(d).low == d.high) return 0.0;
                const double log_ratio = std::log(d.high / d.low), m = mean(d);
                return (d.high * d.high - d.low * d.low) / (2.0 * log_ratio) - m * m;
            },
            [](const Beta& d) {
                const double s = checked(d).a + d.b, width = d.high - d.low;
                return width * width * d.a * d.b / (s * s * (s + 1.0));
            },
            [](const DiscreteChoice& d) {
                const double m = mean(d), total = std::accumulate(d.weights.begin(), d.weights.end(), 0.0);
                double sum = 0.0;
                for (std::size_t i = 0; i < d.values.size(); ++i)
                    sum += d.weights[i] * (d.values[i] - m) * (d.values[i] - m);
                return sum / total;
            },
        },
        distribution);
}

}  // namespace cartsim::stats
