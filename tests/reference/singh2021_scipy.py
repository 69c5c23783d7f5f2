"""Independent scipy implementation of Singh et al. 2021 (CPT Pharmacometrics Syst Pharmacol 10:362).

Written from /work/shared/REFERENCE_MODELS.md, not from the C++ code, so that the two can check each
other. Parameter keys are those of scenarios/reference/singh2021.yaml. Run directly to print the
published checkpoints.
"""
import numpy as np
from scipy.integrate import solve_ivp

PARAMS = {
    "blood_to_marrow_rate_per_day": 1.71,
    "marrow_to_blood_rate_per_day": 0.176,
    "blood_volume_l": 5.0,
    "marrow_volume_l": 3.65,
    "effector_elimination_rate_per_day": 113.0,
    "memory_elimination_rate_per_day": 0.219,
    "max_expansion_rate_per_day": 1.73,
    "expansion_ec50_complexes_per_cell": 10.0,
    "memory_conversion_rate_per_day": 2.0e-5,
    "car_density_molecules_per_cell": 15000.0,
    "bcma_density_molecules_per_cell": 12590.0,
    "max_kill_rate_per_day": 0.343,
    "kill_kc50_complexes_per_cell": 2.24,
    "kon_l_per_molecule_per_day": 1.0189e-14,
    "koff_per_day": 206.06,
    "tumour_growth_rate_per_day": 0.008,
    "mprotein_production_pg_per_l_per_day": 3.025e10,
    "mprotein_exponent": 0.215,
    "mprotein_elimination_rate_per_day": 0.117,
    "sbcma_production_ng_per_ml_per_day": 437.5,
    "sbcma_exponent": 1.0,
    "sbcma_elimination_rate_per_day": 0.7,
    "baseline_tumour_cells_per_l": 2.5e9,
    "transgene_copies_per_ug_per_cells_per_l": 0.002,
}

COLUMNS = [
    "cart_effector_blood_cells_per_l",
    "cart_memory_blood_cells_per_l",
    "cart_effector_marrow_cells_per_l",
    "cart_memory_marrow_cells_per_l",
    "complexes_marrow_per_l",
    "tumour_marrow_cells_per_l",
    "mprotein_pg_per_l",
    "sbcma_ng_per_ml",
    "transgene_copies_per_ug",
]


def make_rhs(p):
    k12, k21 = p["blood_to_marrow_rate_per_day"], p["marrow_to_blood_rate_per_day"]
    vb, vm = p["blood_volume_l"], p["marrow_volume_l"]
    kel_e, kel_m = p["effector_elimination_rate_per_day"], p["memory_elimination_rate_per_day"]
    kexp_max, ec50 = p["max_expansion_rate_per_day"], p["expansion_ec50_complexes_per_cell"]
    rm = p["memory_conversion_rate_per_day"]
    a_car, a_bcma = p["car_density_molecules_per_cell"], p["bcma_density_molecules_per_cell"]
    kkill_max, kc50 = p["max_kill_rate_per_day"], p["kill_kc50_complexes_per_cell"]
    kon, koff = p["kon_l_per_molecule_per_day"], p["koff_per_day"]
    kg = p["tumour_growth_rate_per_day"]
    pm, gm = p["mprotein_production_pg_per_l_per_day"], p["mprotein_exponent"]
    km = p["mprotein_elimination_rate_per_day"]
    pb, gb = p["sbcma_production_ng_per_ml_per_day"], p["sbcma_exponent"]
    kb = p["sbcma_elimination_rate_per_day"]
    t0 = p["baseline_tumour_cells_per_l"]

    def rhs(_t, y):
        eb, mb, em, mm, x, tum, prot, sb = y
        cart_marrow = em + mm
        c = x / cart_marrow if cart_marrow > 0 else 0.0
        q = x / tum if tum > 0 else 0.0
        kexp = kexp_max * c / (ec50 + c)
        kkill = kkill_max * q / (kc50 + q)
        rel = max(tum, 0.0) / t0
        return [
            k21 * vm / vb * em - k12 * eb - kel_e * eb,
            k21 * vm / vb * mm - k12 * mb - kel_m * mb,
            k12 * vb / vm * eb - k21 * em + kexp * em - rm * em,
            k12 * vb / vm * mb - k21 * mm + rm * em,
            kon * (cart_marrow * a_car - x) * (tum * a_bcma - x) - koff * x,
            kg * tum - kkill * tum,
            pm * rel**gm - km * prot,
            pb * rel**gb - kb * sb,
        ]

    return rhs


def initial_state(p, dose_cells):
    return [dose_cells / p["blood_volume_l"], 0.0, 1.0e-6, 0.0, 0.0, p["baseline_tumour_cells_per_l"],
            p["mprotein_production_pg_per_l_per_day"] / p["mprotein_elimination_rate_per_day"],
            p["sbcma_production_ng_per_ml_per_day"] / p["sbcma_elimination_rate_per_day"]]


def simulate(dose_cells, horizon_days, t_eval, params=None, method="LSODA", tol=1e-10):
    """Returns (t, {column: values}) at t_eval [days] and the solve_ivp result."""
    p = dict(PARAMS)
    p.update(params or {})
    sol = solve_ivp(make_rhs(p), (0.0, horizon_days), initial_state(p, dose_cells), method=method,
                    t_eval=t_eval, rtol=tol, atol=tol)
    if not sol.success:
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    cols = {name: sol.y[i] for i, name in enumerate(COLUMNS[:8])}
    cols["transgene_copies_per_ug"] = p["transgene_copies_per_ug_per_cells_per_l"] * (sol.y[0] + sol.y[1])
    return sol.t, cols, sol


def checkpoints(dose_cells, method="LSODA"):
    """Peak transgene over days 1-365 on a half-day grid and M-protein nadir [% from baseline]."""
    t_eval = np.arange(0.0, 365.0 + 0.25, 0.5)
    t, cols, _ = simulate(dose_cells, 365.0, t_eval, method=method)
    window = t >= 1.0
    peak = cols["transgene_copies_per_ug"][window].max()
    peak_day = t[window][np.argmax(cols["transgene_copies_per_ug"][window])]
    prot = cols["mprotein_pg_per_l"]
    nadir = (prot.min() / prot[0] - 1.0) * 100.0
    return peak, peak_day, nadir


if __name__ == "__main__":
    for dose in (50e6, 150e6, 450e6, 800e6):
        peak, day, nadir = checkpoints(dose)
        print(f"dose {dose:.3g}: peak transgene {peak:.1f} copies/ug on day {day}, M-protein nadir {nadir:.2f} %")
