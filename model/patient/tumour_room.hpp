#pragma once
// The tumour room: myeloma cells per (clone, BCMA density bin), and what they put into the serum
// (shed BCMA, M-protein). Its chart, per population i = (clone c, bin k), all in cells/day:
//     division        outside -> i             division_i n_i (1 - mutation share of c)
//     mutation        outside -> (daughter clone, bin shifted by the allele lost)   share of divisions
//     death           i -> outside             (turnover + direct kill + antibody + T-cell kill) n_i
//     drift           (c, k) <-> (c, k + 1)    Metropolis rates toward the clone's baseline profile,
//                                              moved by its heritable shift (mechanisms.heritable_density)
//     trogocytosis    (c, k + 1) -> (c, k)     CAR-T contacts strip BCMA: one bin down
//     shedding        outside -> soluble BCMA  per surface molecule; clearance to outside
//     M-protein       outside -> M-protein     per tumour cell; FcRn-saturable catabolism to outside
// Per-cell rates come from rates() (shared with the agent layer, so each law has one definition);
// flows() applies them. Both read only the state and the RateContext.

#include <vector>

#include "model/patient/mechanisms.hpp"
#include "model/patient/mprotein.hpp"
#include "model/patient/patient_params.hpp"
#include "model/patient/rate_context.hpp"
#include "model/tumour/clone_set.hpp"
#include "model/tumour/density_grid.hpp"

namespace cartsim::patient {

class TumourRoom {
public:
    TumourRoom(const PatientParams& params, const Mechanisms& mechanisms, const TherapySlots& slots,
               const tumour::DensityGrid& grid, const tumour::CloneSet& clones, const StateLayout& layout,
               const std::vector<bool>& cart_targets_bcma);

    /// Per-cell rates of every population into `out`, each product's trogocytosis contacts per day,
    /// and the tumour cells killed by T cells per day, from the recognition and killing coefficients
    /// already in `c`.
    void rates(const State& x, const RateContext& c, TumourRates& out, std::vector<double>& trogocytosis_events,
               double& immune_kill_flux) const;
    /// Adds the tumour, soluble-BCMA and M-protein derivatives, and each clone's heritable BCMA shift;
    /// populations of frozen clones (held by agents) are left unchanged. `boundary` is a work array of
    /// one clone's bins.
    void flows(const State& x, const RateContext& c, const std::vector<bool>& frozen, std::vector<double>& boundary,
               State& dxdt) const;

    /// Writes the baseline drift rates (no heritable shift) into `out`; rates() rewrites them only with
    /// mechanisms.heritable_density.
    void fill_drift(TumourRates& out) const;
    /// Tumour growth slows as the tumour nears its carrying capacity: 1 at the initial burden.
    double crowding(double tumour_cells) const;
    /// Division boost of BCMA-binding cells by APRIL from ms suppressive macrophages (0 when off).
    double april_factor(double suppressive_macrophages) const;
    const MProteinCatabolism& mprotein() const { return mprotein_; }
    /// Bins of a clone, from bin 0, that can hold cells (1 for a clone without BCMA alleles).
    std::size_t bins_used(std::size_t clone) const { return bins_used_[clone]; }

private:
    tumour::TumourParams tumour_;
    SolubleBcmaParams soluble_bcma_;
    MProteinCatabolism mprotein_;
    double mprotein_per_cell_ = 0.0;  // g/dL/day per tumour cell
    double april_half_saturation_cells_ = 0.0;
    bool april_on_ = false;
    bool trogocytosis_on_ = false;
    tumour::DensityGrid grid_;
    tumour::CloneSet clones_;
    StateLayout layout_;
    std::vector<bool> cart_targets_bcma_;       // per product
    std::vector<double> trogocytosis_per_kill_;  // per product
    std::vector<double> antibody_kill_rate_;     // per antibody [1/day]
    double gsi_fold_ = 1.0;
    std::vector<std::vector<double>> drift_up_, drift_down_;  // per clone, per bin boundary, unshifted
    std::vector<std::vector<double>> drift_ratio_;  // per clone and boundary: baseline w[k + 1] / w[k]
    bool heritable_on_ = false;
    bool fast_on_ = false;
    bool pdl1_on_ = false;  // APRIL-induced PD-L1 cuts T-cell killing (mechanisms.april_pdl1)  // the faster copies divide faster (off: at their clone's rate)
    double heritable_fraction_ = 0.0;
    std::vector<double> tilt_per_shift_;  // per clone: ln(bin ratio) / sigma^2, the tilt of a unit shift
    std::vector<double> shift_bound_;     // per clone: 3 sqrt(H) sigma, the largest heritable shift
    std::vector<double> log_centre_;      // per bin: ln(centre), bins 1.. (0 for bin 0, unused)
    std::vector<double> april_binding_[2];  // per bin: density / (density + K_APRIL), without and with GSI
    std::vector<double> mutation_share_;    // per clone: share of divisions that found another clone
    /// Where daughters of a mutation route land, as a gather per target bin (CSR layout): target bin j
    /// receives weight[m] * births of source bin source[m] for m in [start[j], start[j + 1]).
    struct RouteGather {
        std::vector<std::size_t> start, source;
        std::vector<double> weight;
    };
    std::vector<RouteGather> route_gather_;
    /// Per clone: how many bins, from bin 0, can hold cells. A clone without BCMA alleles has all its
    /// cells in bin 0 (at baseline and as mutants, and no drift or stripping leaves bin 0), so its flows
    /// are computed for bin 0 alone; every other clone uses all bins (tested: test_tumour_bins.cpp).
    std::vector<std::size_t> bins_used_;
};

}  // namespace cartsim::patient
