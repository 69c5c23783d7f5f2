"""src/stats survival analysis against statsmodels 0.13 on random censored data (numpy, seeded).

The C++ side runs through cartsim-stats-tool (CSV on stdin, JSON on stdout). Compared, where the methods are the same:
  Kaplan-Meier   times, numbers at risk and events (exactly), S(t) and Greenwood SE (SurvfuncRight), the log-log
                 interval S^exp(+-z se / (S |log S|)) built here from SurvfuncRight's S and SE, the median
                 (SurvfuncRight.quantile) and its interval (SurvfuncRight.quantile_ci, method "cloglog"), the number
                 at risk (counted here with numpy);
  log-rank       chi-square statistic and p-value (survfunc.survdiff), 2 and 3 groups;
  Cox            coefficients, standard errors and log partial likelihood (PHReg, ties "efron" and "breslow").
Required agreement: 1e-8 relative (REL_TOL), with an absolute floor of 1e-12 for values near zero.
statsmodels' quantile() takes the first S(t) < 1/2 strictly; at an exact plateau S = 1/2 src/stats (like R and SAS)
takes the plateau's midpoint, so there the reference median is that midpoint.

    STATS_TOOL=build/tests/cartsim-stats-tool /usr/bin/python3 tests/reference/test_stats_survival_statsmodels.py
"""
import io
import json
import os
import subprocess
import sys

import numpy as np
from scipy.stats import norm
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

REL_TOL = 1e-8
ABS_FLOOR = 1e-12
Z95 = norm.ppf(0.975)


class Checker:
    def __init__(self):
        self.failures = 0
        self.worst = {}  # quantity -> max relative difference seen

    def close(self, label, quantity, got, want):
        got = np.asarray(got, dtype=float)
        want = np.asarray(want, dtype=float)
        if got.shape != want.shape:
            self.fail(f"{label} {quantity}: shape {got.shape} != {want.shape}")
            return
        both_nan = np.isnan(got) & np.isnan(want)
        both_inf = np.isinf(got) & np.isinf(want) & (np.sign(got) == np.sign(want))
        finite = np.isfinite(got) & np.isfinite(want)
        unmatched = ~(finite | both_nan | both_inf)  # nan or inf on one side only
        if unmatched.any():
            i = int(np.flatnonzero(unmatched)[0])
            self.fail(f"{label} {quantity}: got {got[i]!r}, statsmodels {want[i]!r}")
            return
        diff = np.abs(got[finite] - want[finite])
        scale = np.maximum(np.abs(got[finite]), np.abs(want[finite]))
        rel = diff / np.maximum(scale, ABS_FLOOR)
        self.worst[quantity] = max(self.worst.get(quantity, 0.0), float(rel.max()) if rel.size else 0.0)
        bad = diff > REL_TOL * scale + ABS_FLOOR
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            self.fail(f"{label} {quantity}: got {got[finite][i]!r}, statsmodels {want[finite][i]!r}")

    def equal(self, label, quantity, got, want):
        if not np.array_equal(np.asarray(got), np.asarray(want)):
            self.fail(f"{label} {quantity}: got {got}, statsmodels {want}")

    def fail(self, message):
        print("FAIL " + message)
        self.failures += 1


def run_tool(command, table, extra=()):
    tool = os.environ.get("STATS_TOOL")
    if not tool:
        sys.exit("set STATS_TOOL to the cartsim-stats-tool binary")
    csv = io.StringIO()
    names = ["time_days", "event", "group"] + [f"x{j}" for j in range(table["x"].shape[1])]
    csv.write(",".join(names) + "\n")
    for i in range(len(table["time"])):
        row = [repr(float(table["time"][i])), str(int(table["event"][i])), str(int(table["group"][i]))]
        row += [repr(float(v)) for v in table["x"][i]]
        csv.write(",".join(row) + "\n")
    done = subprocess.run([tool, command, *extra], input=csv.getvalue(), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAILED: {tool} {command} exited with {done.returncode}\n{done.stderr}")
    return json.loads(done.stdout)


def as_float(values):
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def make_table(rng, n, groups, days_rounded, censor_days=720.0):
    """Exponential event times (median 200 days, hazard ratio 0.7 per group step and exp(0.3) per unit of a normal
    covariate) against uniform censoring and administrative censoring at censor_days."""
    group = rng.integers(0, groups, size=n)
    x1 = rng.normal(size=n)
    rate = np.log(2) / 200.0 * 0.7 ** group * np.exp(0.3 * x1)
    event_time = rng.exponential(1.0 / rate)
    censor_time = np.minimum(rng.uniform(0.0, 1.5 * censor_days, size=n), censor_days)
    time = np.minimum(event_time, censor_time)
    if days_rounded:
        time = np.ceil(time)  # whole days: many ties
    event = (event_time <= censor_time).astype(int)
    arm = (group == groups - 1).astype(float)  # the last arm against the others
    return {"time": time, "event": event, "group": group, "x": np.column_stack([arm, x1])}


def subset(table, mask):
    return {key: value[mask] for key, value in table.items()}


def reference_median(sf):
    s = sf.surv_prob
    for i in range(len(s)):
        if abs(s[i] - 0.5) <= 1e-10:
            return 0.5 * (sf.surv_times[i] + sf.surv_times[i + 1]) if i + 1 < len(s) else sf.surv_times[i]
        if s[i] < 0.5:
            return sf.surv_times[i]
    return np.nan


def check_kaplan_meier(check, label, table):
    times_grid = np.array([0.0, 30.0, 90.0, 180.0, 365.0, 720.0, 1000.0])
    got = run_tool("km", table, ["--times", ",".join(repr(t) for t in times_grid)])
    sf = SurvfuncRight(table["time"], table["event"])
    rows = got["rows"]
    check.equal(label, "km times", rows["time_days"], sf.surv_times)
    check.equal(label, "km at risk", rows["at_risk"], sf.n_risk)
    check.equal(label, "km events", rows["events"], sf.n_events)
    check.close(label, "km survival", rows["survival"], sf.surv_prob)
    check.close(label, "km Greenwood SE", as_float(rows["std_error"]), sf.surv_prob_se)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = sf.surv_prob
        h = Z95 * sf.surv_prob_se / (s * np.abs(np.log(s)))
        check.close(label, "km log-log CI", as_float(rows["ci_low"]), np.where(s > 0, s ** np.exp(h), np.nan))
        check.close(label, "km log-log CI", as_float(rows["ci_high"]), np.where(s > 0, s ** np.exp(-h), np.nan))
    check.equal(label, "number at risk", got["number_at_risk"], [(table["time"] >= t).sum() for t in times_grid])

    median = np.nan if got["median_days"] is None else got["median_days"]
    want = reference_median(sf)
    if not np.isnan(want) and want != sf.quantile(0.5):
        print(f"note {label}: S = 1/2 plateau, statsmodels median {sf.quantile(0.5)}, midpoint {want}")
    check.close(label, "median", [median], [want])
    with np.errstate(divide="ignore", invalid="ignore"):  # statsmodels takes log(0) where S reaches 0
        low, high = sf.quantile_ci(0.5, method="cloglog")
    got_low = np.nan if got["median_ci_low_days"] is None else got["median_ci_low_days"]
    # statsmodels: nan for an empty set, inf for an upper bound not reached; src/stats: both absent (null).
    got_high = got["median_ci_high_days"]
    if got_high is None:
        got_high = np.nan if np.isnan(got_low) else np.inf
    check.close(label, "median CI", [got_low, got_high], [low, high])
    return not np.isnan(want)


def check_log_rank(check, label, table):
    got = run_tool("logrank", table)
    statistic, p_value = survdiff(table["time"], table["event"], table["group"])
    check.close(label, "log-rank chi2", [got["statistic"]], [statistic])
    check.close(label, "log-rank p", [got["p_value"]], [p_value])
    check.equal(label, "log-rank df", got["degrees_of_freedom"], len(np.unique(table["group"])) - 1)


def check_cox(check, label, table, columns):
    sub = dict(table, x=table["x"][:, columns])
    for ties in ("efron", "breslow"):
        got = run_tool("cox", sub, ["--ties", ties])
        if not got["converged"]:
            check.fail(f"{label} cox {ties}: did not converge: {got['message']}")
            continue
        model = PHReg(sub["time"], sub["x"], status=sub["event"], ties=ties)
        fit = model.fit(tol=1e-12)
        check.close(label, f"cox {ties} coefficients", got["coefficients"], fit.params)
        check.close(label, f"cox {ties} SE", got["std_errors"], fit.bse)
        check.close(label, f"cox {ties} log-likelihood", [got["log_likelihood"]], [model.loglike(fit.params)])
        check.close(label, f"cox {ties} hazard-ratio CI", got["ci_low"], np.exp(fit.params - Z95 * fit.bse))
        check.close(label, f"cox {ties} hazard-ratio CI", got["ci_high"], np.exp(fit.params + Z95 * fit.bse))


def main():
    rng = np.random.default_rng(20240611)
    check = Checker()
    datasets = []
    for replicate in range(4):
        datasets.append((f"continuous-{replicate}", make_table(rng, 240, 2, days_rounded=False)))
        datasets.append((f"whole-days-{replicate}", make_table(rng, 240, 2, days_rounded=True)))
        datasets.append((f"three-arms-{replicate}", make_table(rng, 300, 3, days_rounded=True)))
        datasets.append((f"small-{replicate}", make_table(rng, 16, 2, days_rounded=True)))
    medians = 0
    for label, table in datasets:
        medians += check_kaplan_meier(check, label + " pooled", table)
        for g in np.unique(table["group"]):
            medians += check_kaplan_meier(check, f"{label} group {g}", subset(table, table["group"] == g))
        check_log_rank(check, label, table)
        check_cox(check, label + " arm", table, [0])
        if not label.startswith("small"):
            check_cox(check, label + " arm+x1", table, [0, 1])
    print(f"{len(datasets)} data sets, {medians} medians reached; max relative difference from statsmodels:")
    for quantity, worst in sorted(check.worst.items()):
        print(f"  {quantity:28s} {worst:.2e}")
    if check.failures:
        print(f"FAILED: {check.failures} comparisons beyond {REL_TOL:g} relative")
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
