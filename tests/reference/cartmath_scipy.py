"""Independent scipy implementation of CARTmath (Barros et al. 2021, Cancers 13:2941), HDLM-2 case.

Written from /work/shared/REFERENCE_MODELS.md, not from the C++ code. Parameter keys are those of
scenarios/reference/cartmath.yaml. The published code sets every population below 1e-6 cells to zero
after each step; here that rule is a terminal event at each downward crossing of the threshold.
Run directly to print the published checkpoints.
"""
import numpy as np
from scipy.integrate import solve_ivp

PARAMS = {
    "effector_expansion_rate_per_day": 0.265,
    "effector_loss_rate_per_day": 0.350,
    "memory_formation_rate_per_day": 0.150,
    "memory_activation_rate_per_cell_per_day": 6.0e-6,
    "effector_inhibition_rate_per_cell_per_day": 4.5e-8,
    "memory_death_rate_per_day": 5.0e-3,
    "tumour_growth_rate_per_day": 5.650026e-2,
    "tumour_inverse_capacity_per_cell": 1.404029e-12,
    "tumour_kill_rate_per_cell_per_day": 3.715843e-6,
    "initial_tumour_cells": 2.0e6,
    "dose_day": 42.0,
    "extinction_threshold_cells": 1.0e-6,
}

COLUMNS = ["cart_effector_cells", "cart_memory_cells", "tumour_cells"]


def make_rhs(p):
    phi, rho = p["effector_expansion_rate_per_day"], p["effector_loss_rate_per_day"]
    eps, theta = p["memory_formation_rate_per_day"], p["memory_activation_rate_per_cell_per_day"]
    alpha, mu = p["effector_inhibition_rate_per_cell_per_day"], p["memory_death_rate_per_day"]
    r, b, gamma = p["tumour_growth_rate_per_day"], p["tumour_inverse_capacity_per_cell"], \
        p["tumour_kill_rate_per_cell_per_day"]

    def rhs(_t, y):
        c_t, c_m, tum = y
        return [(phi - rho) * c_t + theta * tum * c_m - alpha * tum * c_t,
                eps * c_t - theta * tum * c_m - mu * c_m,
                r * tum * (1.0 - b * tum) - gamma * c_t * tum]

    return rhs


def _crossing(i, threshold):
    def event(_t, y):
        return y[i] - threshold
    event.terminal = True
    event.direction = -1
    return event


def simulate(dose_cells, horizon_days, t_eval, params=None, method="Radau", tol=1e-10):
    """Returns (t_eval, {column: values}) with the dose at dose_day and the extinction rule."""
    p = dict(PARAMS)
    p.update(params or {})
    rhs = make_rhs(p)
    threshold = p["extinction_threshold_cells"]
    events = [_crossing(i, threshold) for i in range(3)] if threshold > 0 else None
    t_eval = np.asarray(t_eval, dtype=float)
    out = np.full((3, t_eval.size), np.nan)
    y = np.array([0.0, 0.0, p["initial_tumour_cells"]])
    t = 0.0
    stops = [p["dose_day"]] if 0.0 <= p["dose_day"] <= horizon_days else []
    stops.append(horizon_days)
    if stops[0] == 0.0:
        y[0] += dose_cells
        stops.pop(0)
    for stop in stops:
        while t < stop:
            sol = solve_ivp(rhs, (t, stop), y, method=method, rtol=tol, atol=tol, dense_output=True, events=events)
            if not sol.success:
                raise RuntimeError(f"solve_ivp failed: {sol.message}")
            t_end = sol.t[-1]
            inside = (t_eval >= t) & (t_eval < t_end)
            if inside.any():
                out[:, inside] = sol.sol(t_eval[inside])
            t, y = t_end, sol.y[:, -1].copy()
            if sol.status == 1:  # an extinction event: that population is now at the threshold
                y[(y < threshold * (1 + 1e-9)) & (y != 0.0)] = 0.0
        if stop == p["dose_day"]:
            y[0] += dose_cells
    out[:, t_eval == horizon_days] = y[:, None]
    return t_eval, {name: out[i] for i, name in enumerate(COLUMNS)}


def published_rk4(dose_cells, horizon_days, dt=1e-3, params=None):
    """The published algorithm (CARTmath rk4.R): classical RK4 at a fixed dt [days], populations below the
    threshold zeroed after every step, the dose added at its day. Returns daily values."""
    p = dict(PARAMS)
    p.update(params or {})
    rhs = make_rhs(p)
    threshold = p["extinction_threshold_cells"]
    steps_per_day = int(round(1.0 / dt))
    dose_step = int(round(p["dose_day"] / dt))
    y = np.array([0.0, 0.0, p["initial_tumour_cells"]])
    f = lambda tt, yy: np.array(rhs(tt, yy))
    if dose_step == 0:
        y[0] += dose_cells
    daily = [y.copy()]
    for step in range(int(round(horizon_days / dt))):
        tt = step * dt
        k1 = f(tt, y)
        k2 = f(tt + 0.5 * dt, y + 0.5 * dt * k1)
        k3 = f(tt + 0.5 * dt, y + 0.5 * dt * k2)
        k4 = f(tt + dt, y + dt * k3)
        y = y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        y[y < threshold] = 0.0
        if step + 1 == dose_step:  # the dose goes in before that day's output is recorded
            y[0] += dose_cells
        if (step + 1) % steps_per_day == 0:
            daily.append(y.copy())
    return np.array(daily)


if __name__ == "__main__":
    days = np.arange(0.0, 201.0)
    _, cols = simulate(1.5e6, 200.0, days)
    tum = cols["tumour_cells"]
    print(f"T(42) = {tum[42]:.4e} cells (before the dose)")
    below_one = days[(days > 42) & (tum < 1.0)]
    print(f"tumour below one cell from day {below_one[0]:.0f}; zero from day "
          f"{days[(days > 42) & (tum == 0.0)][0]:.0f}")
    print(f"max effector after the dose {cols['cart_effector_cells'][42:].max():.6g} cells")
