#pragma once
// BCMA density bins inside a clone: bin 0 holds cells without BCMA, bins 1..n are log-spaced.

#include <cstddef>
#include <vector>

namespace cartsim::tumour {

class DensityGrid {
public:
    DensityGrid(int log_bins, double min_molecules, double max_molecules);

    std::size_t size() const { return centres_.size(); }  // log bins + the zero bin
    /// Representative density of bin k [molecules/cell]; 0 for the zero bin.
    double centre(std::size_t k) const { return centres_[k]; }
    double lower_edge(std::size_t k) const { return edges_[k - 1]; }
    double upper_edge(std::size_t k) const { return edges_[k]; }

    /// Share of a lognormal(median, sigma_log) population in each bin; mass outside the range goes
    /// to the first or last log bin. A median of 0 puts everything into the zero bin.
    std::vector<double> lognormal_weights(double median_molecules, double sigma_log) const;

    /// Where a cell of bin k lands when its density is multiplied by factor (> 0): two bins and the
    /// share going to the first, by linear interpolation in log density.
    struct Split {
        std::size_t lower;
        std::size_t upper;
        double lower_share;
    };
    Split shift(std::size_t k, double factor) const;

    /// Density below which a given share of the cells lies, interpolated log-linearly inside a bin.
    double quantile(const std::vector<double>& cells_per_bin, double share) const;

private:
    std::vector<double> edges_;    // log-bin edges, size log_bins + 1
    std::vector<double> centres_;  // size log_bins + 1, centres_[0] = 0
    double log_width_ = 0.0;
};

}  // namespace cartsim::tumour
