#include "model/reference/singh2021.hpp"

namespace cartsim::reference {

std::vector<std::string> validate(const Singh2021Params& p) {
    std::vector<std::string> problems;
    auto positive = [&](std::string_view key, double value) {
        if (!(value > 0.0)) problems.push_back(std::string(key) + ": must be positive (it divides)");
    };
    positive("blood_volume_l", p.blood_volume_l);
    positive("marrow_volume_l", p.marrow_volume_l);
    positive("baseline_tumour_cells_per_l", p.baseline_tumour_cells_per_l);
    positive("mprotein_elimination_rate_per_day", p.mprotein_elimination_rate_per_day);
    positive("sbcma_elimination_rate_per_day", p.sbcma_elimination_rate_per_day);
    return problems;
}

void Singh2021Model::jacobian(const std::vector<double>& x, std::vector<double>& jac, double /*t*/) const {
    using S = Singh2021State;
    constexpr std::size_t n = kSingh2021StateCount;
    jac.assign(n * n, 0.0);
    auto d = [&jac](S row, S column) -> double& { return jac[index(row) * n + index(column)]; };

    const double effector_marrow = x[index(S::EffectorMarrow)];
    const double cart_marrow = effector_marrow + x[index(S::MemoryMarrow)];
    const double complexes = x[index(S::ComplexesMarrow)];
    const double tumour = x[index(S::TumourMarrow)];
    const double marrow_per_blood = p_.marrow_volume_l / p_.blood_volume_l;
    const double k12 = p_.blood_to_marrow_rate_per_day;
    const double k21 = p_.marrow_to_blood_rate_per_day;
    const double rm = p_.memory_conversion_rate_per_day;

    d(S::EffectorBlood, S::EffectorBlood) = -k12 - p_.effector_elimination_rate_per_day;
    d(S::EffectorBlood, S::EffectorMarrow) = k21 * marrow_per_blood;
    d(S::MemoryBlood, S::MemoryBlood) = -k12 - p_.memory_elimination_rate_per_day;
    d(S::MemoryBlood, S::MemoryMarrow) = k21 * marrow_per_blood;

    // Expansion Kexp(c) E_m with c = X / C equals Kexp_max X E_m / (EC50 C + X): no division by C.
    d(S::EffectorMarrow, S::EffectorBlood) = k12 / marrow_per_blood;
    d(S::EffectorMarrow, S::EffectorMarrow) = -k21 - rm;
    const double ec50 = p_.expansion_ec50_complexes_per_cell;
    const double expansion_denominator = ec50 * cart_marrow + complexes;
    if (expansion_denominator > 0.0) {
        const double scale = p_.max_expansion_rate_per_day / (expansion_denominator * expansion_denominator);
        d(S::EffectorMarrow, S::EffectorMarrow) += scale * complexes * (expansion_denominator - ec50 * effector_marrow);
        d(S::EffectorMarrow, S::MemoryMarrow) = -scale * complexes * ec50 * effector_marrow;
        d(S::EffectorMarrow, S::ComplexesMarrow) = scale * ec50 * effector_marrow * cart_marrow;
    }
    d(S::MemoryMarrow, S::MemoryBlood) = k12 / marrow_per_blood;
    d(S::MemoryMarrow, S::MemoryMarrow) = -k21;
    d(S::MemoryMarrow, S::EffectorMarrow) = rm;

    const double kon = p_.kon_l_per_molecule_per_day;
    const double free_car_per_l = cart_marrow * p_.car_density_molecules_per_cell - complexes;
    const double free_bcma_per_l = tumour * p_.bcma_density_molecules_per_cell - complexes;
    d(S::ComplexesMarrow, S::EffectorMarrow) = kon * p_.car_density_molecules_per_cell * free_bcma_per_l;
    d(S::ComplexesMarrow, S::MemoryMarrow) = kon * p_.car_density_molecules_per_cell * free_bcma_per_l;
    d(S::ComplexesMarrow, S::TumourMarrow) = kon * p_.bcma_density_molecules_per_cell * free_car_per_l;
    d(S::ComplexesMarrow, S::ComplexesMarrow) = -kon * (free_car_per_l + free_bcma_per_l) - p_.koff_per_day;

    // Killing Kkill(q) T with q = X / T equals Kkill_max X T / (KC50 T + X).
    d(S::TumourMarrow, S::TumourMarrow) = p_.tumour_growth_rate_per_day;
    const double kc50 = p_.kill_kc50_complexes_per_cell;
    const double kill_denominator = kc50 * tumour + complexes;
    if (kill_denominator > 0.0) {
        const double scale = p_.max_kill_rate_per_day / (kill_denominator * kill_denominator);
        d(S::TumourMarrow, S::TumourMarrow) -= scale * complexes * complexes;
        d(S::TumourMarrow, S::ComplexesMarrow) = -scale * kc50 * tumour * tumour;
    }

    const double t0 = p_.baseline_tumour_cells_per_l;
    if (tumour > 0.0) {
        const double relative_burden = tumour / t0;
        d(S::MProtein, S::TumourMarrow) = p_.mprotein_production_pg_per_l_per_day * p_.mprotein_exponent *
                                          singh2021_power(relative_burden, p_.mprotein_exponent - 1.0) / t0;
        d(S::SolubleBcma, S::TumourMarrow) = p_.sbcma_production_ng_per_ml_per_day * p_.sbcma_exponent *
                                             singh2021_power(relative_burden, p_.sbcma_exponent - 1.0) / t0;
    }
    d(S::MProtein, S::MProtein) = -p_.mprotein_elimination_rate_per_day;
    d(S::SolubleBcma, S::SolubleBcma) = -p_.sbcma_elimination_rate_per_day;
}

Singh2021Vector Singh2021Model::initial_state(double dose_cells) const {
    using S = Singh2021State;
    Singh2021Vector x{};
    x[index(S::EffectorBlood)] = dose_cells / p_.blood_volume_l;
    x[index(S::EffectorMarrow)] = kSingh2021InitialMarrowEffectorCellsPerL;
    x[index(S::TumourMarrow)] = p_.baseline_tumour_cells_per_l;
    x[index(S::MProtein)] = p_.mprotein_production_pg_per_l_per_day / p_.mprotein_elimination_rate_per_day;
    x[index(S::SolubleBcma)] = p_.sbcma_production_ng_per_ml_per_day / p_.sbcma_elimination_rate_per_day;
    return x;
}

Singh2021Outputs Singh2021Model::outputs(std::span<const double> x) const {
    using S = Singh2021State;
    Singh2021Outputs out{};
    for (std::size_t i = 0; i < kSingh2021StateCount; ++i) out[i] = x[i];  // the states, in column order
    out[kSingh2021StateCount] =
        p_.transgene_copies_per_ug_per_cells_per_l * (x[index(S::EffectorBlood)] + x[index(S::MemoryBlood)]);
    return out;
}

}  // namespace cartsim::reference
