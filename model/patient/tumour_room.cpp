// The tumour room's rate laws (tumour_room.hpp): per-cell rates, and the flows that apply them.

#include "model/patient/tumour_room.hpp"

#include <algorithm>
#include <cmath>

namespace cartsim::patient {

TumourRoom::TumourRoom(const PatientParams& params, const Mechanisms& mechanisms, const TherapySlots& slots,
                       const tumour::DensityGrid& grid, const tumour::CloneSet& clones, const StateLayout& layout,
                       const std::vector<bool>& cart_targets_bcma)
    : tumour_(params.tumour),
      soluble_bcma_(params.soluble_bcma),
      mprotein_(params.mprotein, mechanisms.fcrn_saturation),
      april_half_saturation_cells_(params.macrophages.suppression_half_saturation_cells),
      april_on_(mechanisms.april_support),
      trogocytosis_on_(mechanisms.trogocytosis),
      grid_(grid),
      clones_(clones),
      layout_(layout),
      cart_targets_bcma_(cart_targets_bcma),
      gsi_fold_(slots.gsi_bcma_density_fold) {
    for (const auto& p : slots.cart) trogocytosis_per_kill_.push_back(p.params.trogocytosis_per_kill);
    for (const auto& a : slots.antibodies) antibody_kill_rate_.push_back(a.kill_rate_per_day);

    // Drift between neighbouring bins with Metropolis rates: detailed balance holds for the clone's
    // own baseline distribution, so drift alone relaxes a clone back to it and never past it.
    const double delta = mechanisms.phenotypic_drift ? tumour_.density_drift_rate_per_day : 0.0;
    for (const auto& clone : clones_.clones) {
        const auto& w = clone.baseline_bcma_weights;
        std::vector<double> up(grid_.size(), 0.0), down(grid_.size(), 0.0);
        for (std::size_t k = 1; k + 1 < grid_.size(); ++k) {
            const double lo = w[k] + 1e-12, hi = w[k + 1] + 1e-12;
            up[k] = delta * std::min(1.0, hi / lo);
            down[k] = delta * std::min(1.0, lo / hi);
        }
        std::vector<double> ratio(grid_.size(), 1.0);
        for (std::size_t k = 1; k + 1 < grid_.size(); ++k) ratio[k] = (w[k + 1] + 1e-12) / (w[k] + 1e-12);
        drift_up_.push_back(std::move(up));
        drift_down_.push_back(std::move(down));
        drift_ratio_.push_back(std::move(ratio));
        // A shift s of the clone's log-density target tilts its lognormal profile by exp(s x / sigma^2):
        // neighbouring bins, ln(ratio) apart, change their ratio by exp(s ln(ratio) / sigma^2).
        const double sigma = clone.expression.bcma.sigma_log;
        const double step = grid_.size() > 2 ? std::log(grid_.centre(2) / grid_.centre(1)) : 0.0;
        tilt_per_shift_.push_back(sigma > 0.0 ? step / (sigma * sigma) : 0.0);
        shift_bound_.push_back(3.0 * std::sqrt(tumour_.bcma_heritable_fraction) * sigma);
    }
    heritable_on_ = mechanisms.heritable_density && mechanisms.phenotypic_drift;
    fast_on_ = mechanisms.growth_heterogeneity;
    pdl1_on_ = mechanisms.april_pdl1;
    heritable_fraction_ = tumour_.bcma_heritable_fraction;
    log_centre_.assign(grid_.size(), 0.0);
    for (std::size_t k = 1; k < grid_.size(); ++k) log_centre_[k] = std::log(grid_.centre(k));

    for (int gsi = 0; gsi < 2; ++gsi)
        for (std::size_t k = 0; k < grid_.size(); ++k) {
            const double density = grid_.centre(k) * (gsi ? gsi_fold_ : 1.0);
            april_binding_[gsi].push_back(density / (density + tumour_.april_half_saturation_molecules_per_cell));
        }
    for (const auto& clone : clones_.clones) {
        const auto& w = clone.baseline_bcma_weights;
        const bool bin_zero_only =
            clone.expression.bcma.alleles == 0 && std::all_of(w.begin() + 1, w.end(), [](double v) { return v == 0.0; });
        bins_used_.push_back(bin_zero_only ? 1 : grid_.size());
    }
    mutation_share_.assign(clones_.clones.size(), 0.0);
    for (const auto& route : clones_.routes) {
        mutation_share_[route.from] += route.per_division;
        // Where the daughter cells of each source bin land: same bin (GPRC5D loss), half density
        // (one BCMA allele lost) or the zero bin (last BCMA allele lost).
        const int from_alleles = clones_.clones[route.from].expression.bcma.alleles;
        const int to_alleles = clones_.clones[route.to].expression.bcma.alleles;
        std::vector<std::vector<std::pair<std::size_t, double>>> into(grid_.size());
        for (std::size_t k = 0; k < grid_.size(); ++k) {
            if (route.antigen != Antigen::Bcma) {
                into[k].push_back({k, 1.0});
            } else if (to_alleles == 0 || k == 0) {
                into[0].push_back({k, 1.0});
            } else {
                const auto split = grid_.shift(k, double(to_alleles) / double(from_alleles));
                into[split.lower].push_back({k, split.lower_share});
                if (split.upper != split.lower) into[split.upper].push_back({k, 1.0 - split.lower_share});
            }
        }
        RouteGather gather;
        for (const auto& sources : into) {
            gather.start.push_back(gather.source.size());
            for (const auto& [source, weight] : sources) {
                gather.source.push_back(source);
                gather.weight.push_back(weight);
            }
        }
        gather.start.push_back(gather.source.size());
        route_gather_.push_back(std::move(gather));
    }
    // Production per cell balances catabolism at day 0, so the M-protein starts at its steady state.
    mprotein_per_cell_ = mprotein_.flux(params.mprotein.initial_g_per_dl) / tumour_.initial_cells;
}

void TumourRoom::fill_drift(TumourRates& out) const {
    for (std::size_t cl = 0; cl < layout_.clones(); ++cl) {
        const std::size_t first = layout_.tumour(cl, 0);
        const bool moves = bins_used_[cl] == layout_.bins();  // a clone without BCMA alleles stays in bin 0
        for (std::size_t k = 0; k < layout_.bins(); ++k) {
            out.drift_up[first + k] = moves ? drift_up_[cl][k] : 0.0;
            out.drift_down[first + k] = moves ? drift_down_[cl][k] : 0.0;
        }
    }
}

double TumourRoom::crowding(double n) const {
    const double k = tumour_.carrying_capacity_cells, n0 = tumour_.initial_cells;
    if (tumour_.growth_law == tumour::GrowthLaw::Logistic) return nonnegative_part(1.0 - n / k) / (1.0 - n0 / k);
    if (n <= 1.0) return std::log(k) / std::log(k / n0);
    return nonnegative_part(std::log(k / n)) / std::log(k / n0);
}

double TumourRoom::april_factor(double ms) const {
    if (!april_on_) return 0.0;
    ms = nonnegative_part(ms);
    return tumour_.april_growth_boost * ms / (ms + april_half_saturation_cells_);
}

void TumourRoom::rates(const State& x, const RateContext& c, TumourRates& out, std::vector<double>& trogocytosis_events,
                       double& immune_kill_flux) const {
    const ActiveEffects& fx = *c.effects;
    // Per-population rates in plain arrays, so the loops neither alias nor branch.
    const std::size_t populations = layout_.tumour_end();
    const double* cells = x.data();
    double* immune = out.immune.data();
    double* death = out.death.data();
    double* strip = out.strip.data();
    std::fill(immune, immune + populations, 0.0);
    std::fill(death, death + populations, tumour_.turnover_death_rate_per_day + fx.direct_kill_rate_per_day);
    std::fill(strip, strip + populations, 0.0);
    // Only the bins that can hold cells (bins_used_): the rates of the others are left as filled.
    const auto over_used = [&](auto&& body) {
        for (std::size_t cl = 0; cl < layout_.clones(); ++cl) {
            const std::size_t first = layout_.tumour(cl, 0), end = first + bins_used_[cl];
            for (std::size_t i = first; i < end; ++i) body(i);
        }
    };
    for (std::size_t p = 0; p < c.cart_coef.size(); ++p) {
        const double coef = c.cart_coef[p];
        trogocytosis_events[p] = 0.0;
        if (coef == 0.0) continue;  // no killing contacts (its recognition may not be computed)
        const double* r = c.cart_r[p].data();
        over_used([&](std::size_t i) { immune[i] += coef * r[i]; });
        // Trogocytosis: a stripping contact moves a cell one BCMA bin down (not below bin 1).
        if (!trogocytosis_on_ || !cart_targets_bcma_[p]) continue;
        const double per_cell = trogocytosis_per_kill_[p] * coef;
        double events = 0.0;
        for (std::size_t cl = 0; cl < layout_.clones(); ++cl)
            for (std::size_t k = 2; k < bins_used_[cl]; ++k) {
                const std::size_t i = layout_.tumour(cl, k);
                strip[i] += per_cell * r[i];
                events += per_cell * r[i] * nonnegative_part(cells[i]);
            }
        trogocytosis_events[p] = events;
    }
    for (std::size_t b = 0; b < c.bispecific_coef.size(); ++b) {
        const double coef = c.bispecific_coef[b];
        if (coef == 0.0) continue;
        const double* r = c.bispecific_r[b].data();
        over_used([&](std::size_t i) { immune[i] += coef * r[i]; });
    }
    for (std::size_t a = 0; a < antibody_kill_rate_.size(); ++a) {
        if (!fx.antibody_on[a]) continue;
        const double rate = antibody_kill_rate_[a];
        const double* r = c.antibody_r[a].data();
        over_used([&](std::size_t i) { death[i] += rate * r[i]; });
    }
    // APRIL from dense suppressive macrophages induces PD-L1 on BCMA-carrying cells (mechanisms.april_pdl1):
    // T-cell killing falls by p_max x APRIL binding of the bin x ms / (ms + K_m).
    if (pdl1_on_) {
        const double ms = nonnegative_part(x[layout_.compartment(Compartment::MacrophageSuppressive)]);
        const double dense = ms / (ms + april_half_saturation_cells_);
        const double* binding = april_binding_[fx.gsi_on ? 1 : 0].data();
        for (std::size_t cl = 0; cl < layout_.clones(); ++cl) {
            double* kill = immune + layout_.tumour(cl, 0);
            for (std::size_t k = 0; k < bins_used_[cl]; ++k)
                kill[k] *= 1.0 - tumour_.april_pdl1_max_protection * binding[k] * dense;
        }
    }
    // Tumour cells killed by T cells per day (the inflammation room's source), in the same pass.
    double kill = 0.0;
    over_used([&](std::size_t i) {
        death[i] += immune[i];
        kill += immune[i] * nonnegative_part(cells[i]);
    });
    immune_kill_flux = kill;

    const double crowd = crowding(c.tumour_total);
    const double april = april_factor(x[layout_.compartment(Compartment::MacrophageSuppressive)]);
    const double* april_binding = april_binding_[fx.gsi_on ? 1 : 0].data();
    for (std::size_t cl = 0; cl < layout_.clones(); ++cl) {
        const auto& clone = clones_.clones[cl];
        const double growth = clone.growth_rate_per_day * (clone.fast && fast_on_ ? tumour_.fast_subclone.growth_fold : 1.0);
        const double division = (growth + tumour_.turnover_death_rate_per_day) * crowd;
        double* birth = out.division.data() + layout_.tumour(cl, 0);
        for (std::size_t k = 0; k < bins_used_[cl]; ++k) birth[k] = division * (1.0 + april * april_binding[k]);
    }
    // Drift toward the clone's profile, moved by its heritable shift (the plastic part relaxes, the
    // heritable part stays): Metropolis rates for the tilted profile. Without the mechanism they are the
    // constant baseline rates, written once by fill_drift.
    if (!heritable_on_) return;
    const std::size_t bins = layout_.bins();
    for (std::size_t cl = 0; cl < layout_.clones(); ++cl) {
        const std::size_t first = layout_.tumour(cl, 0);
        double* up = out.drift_up.data() + first;
        double* down = out.drift_down.data() + first;
        if (bins_used_[cl] < bins) {
            std::fill(up, up + bins, 0.0);
            std::fill(down, down + bins, 0.0);
            continue;
        }
        const double shift = x[layout_.bcma_shift(cl)];
        if (shift == 0.0) {
            std::copy(drift_up_[cl].begin(), drift_up_[cl].end(), up);
            std::copy(drift_down_[cl].begin(), drift_down_[cl].end(), down);
            continue;
        }
        const double tilt = std::exp(tilt_per_shift_[cl] * shift), delta = tumour_.density_drift_rate_per_day;
        const double* ratio = drift_ratio_[cl].data();
        up[0] = down[0] = 0.0;
        up[bins - 1] = down[bins - 1] = 0.0;
        for (std::size_t k = 1; k + 1 < bins; ++k) {
            const double r = ratio[k] * tilt;
            up[k] = delta * std::min(1.0, r);
            down[k] = delta * std::min(1.0, 1.0 / r);
        }
    }
}

void TumourRoom::flows(const State& x, const RateContext& c, const std::vector<bool>& frozen,
                       std::vector<double>& boundary, State& dxdt) const {
    const TumourRates& rates = c.rates;
    const std::size_t bins = layout_.bins();
    const double* cells = x.data();
    const double* birth = rates.division.data();
    const double* death = rates.death.data();
    const double* strip = rates.strip.data();
    double* dx = dxdt.data();
    double surface_bcma = 0.0;
    for (std::size_t cl = 0; cl < layout_.clones(); ++cl) {
        const double keep = 1.0 - mutation_share_[cl];
        const std::size_t first = layout_.tumour(cl, 0);
        const std::size_t used = bins_used_[cl];  // bins beyond hold no cells and receive none
        if (frozen[cl]) {  // held by agents: its cells shed BCMA, its flows are the agent layer's
            for (std::size_t k = 0; k < used; ++k) surface_bcma += grid_.centre(k) * nonnegative_part(cells[first + k]);
            continue;
        }
        for (std::size_t k = 0; k < used; ++k) {
            const std::size_t i = first + k;
            const double n = nonnegative_part(cells[i]);
            dx[i] += (birth[i] * keep - death[i]) * n;
            surface_bcma += grid_.centre(k) * n;
        }
        if (used < bins) continue;  // bin 0 alone: no drift or stripping out of it
        // Drift toward the clone's own baseline density distribution and trogocytosis (one bin down).
        // Net flows across each bin boundary go to a small array first, so no store feeds the next load.
        const double* up = rates.drift_up.data() + first;
        const double* down = rates.drift_down.data() + first;
        double* moved = boundary.data();  // moved[k]: net flow from bin k to bin k + 1
        moved[0] = 0.0;
        moved[bins - 1] = 0.0;
        for (std::size_t k = 1; k + 1 < bins; ++k)
            moved[k] = up[k] * nonnegative_part(cells[first + k]) -
                       (down[k] + strip[first + k + 1]) * nonnegative_part(cells[first + k + 1]);
        for (std::size_t k = 1; k < bins; ++k) dx[first + k] += moved[k - 1] - moved[k];
    }
    // Mutation: a share of divisions founds the daughter clone (one allele fewer), gathered per target
    // bin so that every derivative is written once. Agent parents mutate in the agent layer instead.
    for (std::size_t r = 0; r < clones_.routes.size(); ++r) {
        const auto& route = clones_.routes[r];
        if (frozen[route.from] || frozen[route.to]) continue;  // the agent layer draws these mutants
        const auto& g = route_gather_[r];
        const std::size_t from = layout_.tumour(route.from, 0), to = layout_.tumour(route.to, 0);
        for (std::size_t j = 0; j < bins_used_[route.to]; ++j) {
            double inflow = 0.0;
            for (std::size_t m = g.start[j]; m < g.start[j + 1]; ++m)
                inflow += g.weight[m] * birth[from + g.source[m]] * nonnegative_part(cells[from + g.source[m]]);
            dx[to + j] += route.per_division * inflow;
        }
    }
    // Heritable BCMA shift (mechanisms.heritable_density): selection moves a clone's mean log-density at
    // Cov(net growth, ln density) over its BCMA-carrying bins (the continuous-time Price equation), and
    // the heritable share H of that change stays: d s / dt = H Cov (1 - (s / s_max)^2). The heritable
    // part is spread with SD sqrt(H) sigma, and selection uses it up: s stays within s_max = 3 sqrt(H)
    // sigma, a shift beyond which the clone has no cells to select. Stripping and drift act on the
    // plastic part and leave it.
    if (heritable_on_)
        for (std::size_t cl = 0; cl < layout_.clones(); ++cl) {
            if (bins_used_[cl] < bins) continue;
            const std::size_t first = layout_.tumour(cl, 0);
            const double keep = 1.0 - mutation_share_[cl];
            double n = 0.0, mean_x = 0.0, mean_f = 0.0, mean_fx = 0.0;
            for (std::size_t k = 1; k < bins; ++k) {
                const double cells_k = nonnegative_part(cells[first + k]);
                const double f = birth[first + k] * keep - death[first + k];
                n += cells_k;
                mean_x += cells_k * log_centre_[k];
                mean_f += cells_k * f;
                mean_fx += cells_k * f * log_centre_[k];
            }
            if (n < 1.0) continue;  // less than a cell: no distribution to select from (and its moments are noise)
            const double shift = x[layout_.bcma_shift(cl)], bound = shift_bound_[cl];
            const double room = bound > 0.0 ? nonnegative_part(1.0 - (shift / bound) * (shift / bound)) : 0.0;
            dx[layout_.bcma_shift(cl)] += heritable_fraction_ * (mean_fx / n - (mean_f / n) * (mean_x / n)) * room;
        }
    // Populations held by agents change only in the agent layer's synchronisation.
    for (std::size_t cl = 0; cl < layout_.clones(); ++cl)
        if (frozen[cl]) std::fill(dx + layout_.tumour(cl, 0), dx + layout_.tumour(cl, 0) + bins, 0.0);

    const auto& sb = soluble_bcma_;
    const ActiveEffects& fx = *c.effects;
    const std::size_t s = layout_.compartment(Compartment::SolubleBcma);
    dxdt[s] += sb.shedding_ng_per_ml_per_molecule_day * surface_bcma * (fx.gsi_on ? gsi_fold_ : 1.0) *
                   (1.0 - fx.shedding_block) -
               sb.clearance_rate_per_day * nonnegative_part(x[s]);
    const std::size_t m = layout_.compartment(Compartment::MProtein);
    dxdt[m] += mprotein_per_cell_ * c.tumour_total - mprotein_.flux(x[m]);
}

}  // namespace cartsim::patient
