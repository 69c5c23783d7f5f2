#include "src/stats/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace cartsim::stats {

namespace {

// Indices of one sample: first order then total order, for rows `rows` of the N base rows.
struct Estimates {
    std::vector<double> first, total;
    double mean = 0.0, variance = 0.0;
};

Estimates estimate(const Eigen::MatrixXd& blocks, const std::vector<Eigen::Index>& rows) {
    // blocks: N x (d + 2), columns f_A, f_B, f_AB1, ..., f_ABd, centred.
    const auto d = blocks.cols() - 2;
    const auto n = static_cast<double>(rows.size());
    Estimates e;
    double sum = 0.0, sum2 = 0.0;
    for (const auto r : rows) {
        sum += blocks(r, 0) + blocks(r, 1);
        sum2 += blocks(r, 0) * blocks(r, 0) + blocks(r, 1) * blocks(r, 1);
    }
    e.mean = sum / (2.0 * n);
    // Inputs are centred, so the mean is small and this difference does not cancel.
    e.variance = std::max(0.0, sum2 / (2.0 * n) - e.mean * e.mean);
    for (Eigen::Index i = 0; i < d; ++i) {
        double first = 0.0, total = 0.0;
        for (const auto r : rows) {
            const double f_a = blocks(r, 0), f_b = blocks(r, 1), f_ab = blocks(r, 2 + i);
            first += f_b * (f_ab - f_a);
            total += (f_a - f_ab) * (f_a - f_ab);
        }
        e.first.push_back(first / n / e.variance);
        e.total.push_back(total / n / (2.0 * e.variance));
    }
    return e;
}

// Linear interpolation between order statistics (numpy's default percentile), q in [0, 1].
double percentile(const std::vector<double>& sorted, double q) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

SobolIndex summarise(double point, std::vector<double> replicates, double confidence) {
    SobolIndex index{point, 0.0, 0.0, 0.0};
    if (replicates.empty()) return index;
    const auto count = static_cast<double>(replicates.size());
    double mean = 0.0;
    for (double value : replicates) mean += value / count;
    double squares = 0.0;
    for (double value : replicates) squares += (value - mean) * (value - mean);
    index.std_error = replicates.size() > 1 ? std::sqrt(squares / (count - 1.0)) : 0.0;
    std::sort(replicates.begin(), replicates.end());
    index.ci_low = percentile(replicates, (1.0 - confidence) / 2.0);
    index.ci_high = percentile(replicates, (1.0 + confidence) / 2.0);
    return index;
}

}  // namespace

Eigen::MatrixXd SaltelliDesign::points() const {
    const auto n = base_size(), d = dimensions();
    Eigen::MatrixXd all(n * (d + 2), d);
    all.topRows(n) = a;
    all.middleRows(n, n) = b;
    for (Eigen::Index i = 0; i < d; ++i) {
        auto block = all.middleRows((2 + i) * n, n);
        block = a;
        block.col(i) = b.col(i);
    }
    return all;
}

SaltelliDesign saltelli_design(std::size_t base_size, std::size_t dimensions, agents::CounterRng& rng) {
    if (base_size == 0 || dimensions == 0)
        throw std::invalid_argument("saltelli_design: need base_size and dimensions > 0");
    const auto n = static_cast<Eigen::Index>(base_size), d = static_cast<Eigen::Index>(dimensions);
    SaltelliDesign design{Eigen::MatrixXd(n, d), Eigen::MatrixXd(n, d)};
    for (auto* matrix : {&design.a, &design.b})
        for (Eigen::Index row = 0; row < n; ++row)
            for (Eigen::Index column = 0; column < d; ++column) (*matrix)(row, column) = rng.uniform();
    return design;
}

SaltelliDesign saltelli_design(Eigen::MatrixXd a, Eigen::MatrixXd b) {
    if (a.rows() == 0 || a.cols() == 0 || a.rows() != b.rows() || a.cols() != b.cols())
        throw std::invalid_argument("saltelli_design: A and B must have the same non-empty shape");
    return SaltelliDesign{std::move(a), std::move(b)};
}

SobolIndices sobol_indices(const Eigen::VectorXd& outputs, std::size_t dimensions, const BootstrapOptions& options) {
    const auto d = static_cast<Eigen::Index>(dimensions);
    if (d == 0 || outputs.size() % (d + 2) != 0 || outputs.size() / (d + 2) < 2)
        throw std::invalid_argument(
            "sobol_indices: need base_size * (dimensions + 2) outputs with base_size >= 2, got " +
            std::to_string(outputs.size()) + " for " + std::to_string(dimensions) + " dimensions");
    if (!outputs.allFinite()) throw std::invalid_argument("sobol_indices: outputs must be finite");
    if (!(options.confidence > 0.0 && options.confidence < 1.0))
        throw std::invalid_argument("sobol_indices: confidence must be in (0, 1)");
    const Eigen::Index n = outputs.size() / (d + 2);
    // Column j holds block j of the outputs (Eigen is column-major, so this is a plain reshape). Centring on the mean
    // over A and B leaves the indices' expectations unchanged (up to O(1/N)) but stops a large output offset, such as
    // a cell count far from zero, from inflating the variance of mean(f_B (f_ABi - f_A)) and of the sums of squares.
    Eigen::MatrixXd blocks = outputs.reshaped(n, d + 2);
    const double offset = blocks.leftCols(2).mean();
    blocks.array() -= offset;

    std::vector<Eigen::Index> rows(static_cast<std::size_t>(n));
    for (Eigen::Index r = 0; r < n; ++r) rows[static_cast<std::size_t>(r)] = r;
    const Estimates point = estimate(blocks, rows);
    if (!(point.variance > 0.0)) throw std::invalid_argument("sobol_indices: the output does not vary over A and B");

    std::vector<std::vector<double>> first(dimensions), total(dimensions);
    agents::CounterRng rng(options.key);
    for (std::size_t replicate = 0; replicate < options.resamples; ++replicate) {
        for (auto& r : rows) r = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n)));
        const Estimates e = estimate(blocks, rows);
        if (!(e.variance > 0.0)) continue;  // a resample of identical rows says nothing about the indices
        for (std::size_t i = 0; i < dimensions; ++i) {
            first[i].push_back(e.first[i]);
            total[i].push_back(e.total[i]);
        }
    }

    SobolIndices result;
    result.output_mean = point.mean + offset;
    result.output_variance = point.variance;
    for (std::size_t i = 0; i < dimensions; ++i) {
        result.first_order.push_back(summarise(point.first[i], std::move(first[i]), options.confidence));
        result.total_order.push_back(summarise(point.total[i], std::move(total[i]), options.confidence));
    }
    return result;
}

}  // namespace cartsim::stats
