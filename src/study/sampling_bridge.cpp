#include "src/study/sampling_bridge.hpp"

#include <Eigen/Core>

#include "src/stats/copula.hpp"

namespace cartsim::study {
namespace {

/// Stream population of cohort draws (patient seeds use the run's own streams).
constexpr std::uint32_t kCohortStream = 0xC0407;

std::size_t index_of(const CohortSpec& c, const std::string& path) {
    for (std::size_t k = 0; k < c.parameters.size(); ++k)
        if (c.parameters[k].path == path) return k;
    throw std::invalid_argument("cohort.correlations: unknown parameter '" + path + "'");
}

stats::GaussianCopula copula(const CohortSpec& c) {
    const auto d = static_cast<Eigen::Index>(c.parameters.size());
    Eigen::MatrixXd r = Eigen::MatrixXd::Identity(d, d);
    for (const auto& pair : c.correlations) {
        const auto a = static_cast<Eigen::Index>(index_of(c, pair.a)), b = static_cast<Eigen::Index>(index_of(c, pair.b));
        r(a, b) = r(b, a) = pair.value;
    }
    return c.correlation == CorrelationMethod::Rank ? stats::GaussianCopula::from_spearman(r) : stats::GaussianCopula(r);
}

}  // namespace

stats::Distribution to_distribution(const ParameterDistribution& p) {
    switch (p.distribution) {
        case DistributionKind::Lognormal: return stats::LogNormal{p.median, p.cv};
        case DistributionKind::TruncatedLognormal:
            return stats::TruncatedLogNormal{p.median, p.cv, p.lognormal_low, p.lognormal_high};
        case DistributionKind::Normal: return stats::Normal{p.mean, p.sd};
        case DistributionKind::TruncatedNormal: return stats::TruncatedNormal{p.mean, p.sd, p.low, p.high};
        case DistributionKind::Uniform: return stats::Uniform{p.low, p.high};
        case DistributionKind::LogUniform: return stats::LogUniform{p.low, p.high};
        case DistributionKind::Beta: return stats::Beta{p.a, p.b, p.low, p.high};
        case DistributionKind::Choice: {
            std::vector<double> weights = p.weights.empty() ? std::vector<double>(p.values.size(), 1.0) : p.weights;
            return stats::DiscreteChoice{p.values, weights};
        }
    }
    throw std::invalid_argument("unknown distribution");
}

std::vector<double> median_draws(const CohortSpec& cohort) {
    std::vector<double> out;
    for (const auto& p : cohort.parameters) out.push_back(stats::quantile(to_distribution(p), 0.5));
    return out;
}

void check_correlations(const CohortSpec& cohort) {
    if (!cohort.correlations.empty()) (void)copula(cohort);
}

std::vector<double> draw_patient(const CohortSpec& cohort, int patient) {
    agents::CounterRng rng(agents::StreamKey{static_cast<std::uint64_t>(cohort.seed), static_cast<std::uint32_t>(patient),
                                             kCohortStream, 0, 0});
    const auto d = static_cast<Eigen::Index>(cohort.parameters.size());
    Eigen::VectorXd u(d);
    for (Eigen::Index k = 0; k < d; ++k) u[k] = rng.uniform();
    if (!cohort.correlations.empty()) u = copula(cohort).correlate_uniforms(u);
    std::vector<double> out;
    for (Eigen::Index k = 0; k < d; ++k)
        out.push_back(stats::quantile(to_distribution(cohort.parameters[static_cast<std::size_t>(k)]), u[k]));
    return out;
}

}  // namespace cartsim::study
