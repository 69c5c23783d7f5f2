"""src/stats survival analysis against R's survival package (Rscript, survival 3.x) on seeded random two-arm data.

The C++ side runs through cartsim-stats-tool (CSV on stdin, JSON on stdout); the R side is the script R_CODE below,
run once through Rscript on the same data passed as temporary CSV files. Compared, per data set:
  Kaplan-Meier   per arm and pooled: event times, numbers at risk and events (exactly), S(t) and its Greenwood SE
                 (survfit: surv and std.err * surv; where S = 0 R's SE is not finite and ours must be NaN);
  log-rank       chi-square statistic and p-value (survdiff, df = 1);
  Cox            arm coefficient, SE, hazard ratio and its 95% interval (coxph, summary(fit)$conf.int), Efron and
                 Breslow ties;
  PH test        cox.zph(fit) (transform "km", terms = TRUE): chi-square and p of the arm, Efron and Breslow ties,
                 and for the model arm + x1 each term's and the global chi-square and p;
  RMST           per arm and pooled at a stated tau: rmean and se(rmean) of summary(survfit(...), rmean = tau)$table;
                 arm 1 minus arm 0: the difference, SE sqrt(se1^2 + se0^2), 95% normal interval and two-sided p.
Data sets: continuous times; whole days (many ties); heavy censoring (about 75% censored); crossing hazards (arm 1
has 4 times the hazard for 90 days and a quarter of it after, where proportional hazards fail); small (16 subjects).
Required agreement: 1e-8 relative (REL_TOL), with an absolute floor of 1e-12 for values near zero. Both sides are
exact computations (sums over the risk sets, one Newton-Raphson maximum), so they agree to round-off and
convergence error; R's coxph is run with eps = 1e-13 (relative change of the log-likelihood; default 1e-9, which
stops a few 1e-9 short of the maximum) so the coefficient, and with it every Cox and zph figure, is converged to
round-off as cox_fit's is.

    STATS_TOOL=build/tests/cartsim-stats-tool /usr/bin/python3 tests/reference/test_stats_survival_r.py
"""
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

REL_TOL = 1e-8
ABS_FLOOR = 1e-12
RSCRIPT = shutil.which("Rscript") or "/usr/bin/Rscript"

R_CODE = r"""
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
manifest <- read.csv(args[1], stringsAsFactors = FALSE)
num <- function(x) paste(sprintf("%.17g", as.numeric(x)), collapse = " ")
say <- function(label, key, x) cat(label, " ", key, " ", num(x), "\n", sep = "")
control <- coxph.control(eps = 1e-13, toler.chol = 1e-15, iter.max = 100)
km <- function(label, d, tau) {
    f <- survfit(Surv(time_days, event) ~ 1, data = d)
    e <- f$n.event > 0
    say(label, "time", f$time[e]); say(label, "at_risk", f$n.risk[e]); say(label, "events", f$n.event[e])
    say(label, "surv", f$surv[e]); say(label, "se", (f$std.err * f$surv)[e])
    r <- summary(f, rmean = tau)$table
    say(label, "rmst", r[c("rmean", "se(rmean)")])
    r[c("rmean", "se(rmean)")]
}
for (k in seq_len(nrow(manifest))) {
    label <- manifest$label[k]
    tau <- manifest$tau[k]
    d <- read.csv(manifest$file[k])
    km(paste0(label, ".pooled"), d, tau)
    r0 <- km(paste0(label, ".group0"), d[d$group == 0, ], tau)
    r1 <- km(paste0(label, ".group1"), d[d$group == 1, ], tau)
    diff <- r1[[1]] - r0[[1]]
    se <- sqrt(r1[[2]]^2 + r0[[2]]^2)
    z <- qnorm(0.975)
    say(label, "rmst_difference", c(diff, se, diff - z * se, diff + z * se, 2 * pnorm(-abs(diff / se))))
    lr <- survdiff(Surv(time_days, event) ~ group, data = d)
    say(label, "logrank", c(lr$chisq, pchisq(lr$chisq, length(lr$n) - 1, lower.tail = FALSE)))
    for (ties in c("efron", "breslow")) {
        fit <- coxph(Surv(time_days, event) ~ x0, data = d, ties = ties, control = control)
        ci <- summary(fit)$conf.int
        say(label, paste0("cox_", ties), c(coef(fit), sqrt(diag(vcov(fit))), ci[1, "exp(coef)"],
                                           ci[1, "lower .95"], ci[1, "upper .95"]))
        say(label, paste0("zph_", ties), cox.zph(fit)$table["x0", c("chisq", "df", "p")])
        if (manifest$two_covariates[k]) {
            fit2 <- coxph(Surv(time_days, event) ~ x0 + x1, data = d, ties = ties, control = control)
            zt <- cox.zph(fit2)$table
            say(label, paste0("zph2_", ties), c(zt[c("x0", "x1", "GLOBAL"), "chisq"], zt[c("x0", "x1", "GLOBAL"), "p"]))
        }
    }
}
"""


class Checker:
    def __init__(self):
        self.failures = 0
        self.worst = {}  # quantity -> max relative difference seen
        self.compared = {}  # quantity -> number of values compared

    def close(self, label, quantity, got, want):
        got = np.atleast_1d(np.asarray(got, dtype=float))
        want = np.atleast_1d(np.asarray(want, dtype=float))
        if got.shape != want.shape:
            self.fail(f"{label} {quantity}: shape {got.shape} != {want.shape}")
            return
        finite = np.isfinite(got) & np.isfinite(want)
        if not finite.all():
            i = int(np.flatnonzero(~finite)[0])
            self.fail(f"{label} {quantity}: got {got[i]!r}, R {want[i]!r}")
            return
        diff = np.abs(got - want)
        scale = np.maximum(np.abs(got), np.abs(want))
        rel = diff / np.maximum(scale, ABS_FLOOR)
        self.worst[quantity] = max(self.worst.get(quantity, 0.0), float(rel.max()) if rel.size else 0.0)
        self.compared[quantity] = self.compared.get(quantity, 0) + rel.size
        bad = diff > REL_TOL * scale + ABS_FLOOR
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            self.fail(f"{label} {quantity}: got {got[i]!r}, R {want[i]!r} (relative {rel[i]:.2e})")

    def equal(self, label, quantity, got, want):
        if not np.array_equal(np.asarray(got, dtype=float), np.asarray(want, dtype=float)):
            self.fail(f"{label} {quantity}: got {got}, R {want}")

    def fail(self, message):
        print("FAIL " + message)
        self.failures += 1


def csv_text(table):
    out = io.StringIO()
    out.write("time_days,event,group,x0,x1\n")
    for t, e, g, x0, x1 in zip(table["time"], table["event"], table["group"], table["arm"], table["x1"]):
        out.write(f"{float(t)!r},{int(e)},{int(g)},{float(x0)!r},{float(x1)!r}\n")
    return out.getvalue()


def run_tool(command, text, extra=()):
    tool = os.environ.get("STATS_TOOL")
    if not tool:
        sys.exit("set STATS_TOOL to the cartsim-stats-tool binary")
    done = subprocess.run([tool, command, *extra], input=text, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAILED: {tool} {command} exited with {done.returncode}\n{done.stderr}")
    return json.loads(done.stdout)


def drop_column(text, column):
    """The CSV without one column (the tool fits Cox on every column after `group`)."""
    lines = []
    for line in text.splitlines():
        fields = line.split(",")
        del fields[column]
        lines.append(",".join(fields))
    return "\n".join(lines) + "\n"


def run_r(tables, workdir):
    """Runs R_CODE on every table; returns {label: {key: np.array}}."""
    manifest = ["label,file,tau,two_covariates"]
    for label, table, tau in tables:
        path = os.path.join(workdir, f"{label}.csv")
        with open(path, "w") as f:
            f.write(csv_text(table))
        manifest.append(f"{label},{path},{tau!r},{'TRUE' if len(table['time']) >= 100 else 'FALSE'}")
    manifest_path = os.path.join(workdir, "manifest.csv")
    with open(manifest_path, "w") as f:
        f.write("\n".join(manifest) + "\n")
    script = os.path.join(workdir, "reference.R")
    with open(script, "w") as f:
        f.write(R_CODE)
    done = subprocess.run([RSCRIPT, "--vanilla", script, manifest_path], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAILED: Rscript exited with {done.returncode}\n{done.stderr}")
    results = {}
    for line in done.stdout.splitlines():
        words = line.split(" ")
        label, key, values = words[0], words[1], words[2:]
        numbers = np.array([math.nan if v in ("NA", "") else float(v) for v in values], dtype=float)
        results.setdefault(label, {})[key] = numbers
    return results


def as_float(values):
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def make_table(rng, n, days_rounded, censor_days=720.0, early_ratio=0.7, late_ratio=0.7, change_day=0.0):
    """Two arms; arm 0 exponential with median 200 days, arm 1 early_ratio times its hazard before change_day and
    late_ratio times after (equal ratios: proportional hazards); times also scaled by exp(-0.3 x1) for a normal
    covariate x1. Censored uniformly on [0, 1.5 censor_days] and at censor_days."""
    group = rng.integers(0, 2, size=n)
    x1 = rng.normal(size=n)
    base = np.log(2) / 200.0 * np.exp(0.3 * x1)
    early = base * np.where(group == 1, early_ratio, 1.0)
    late = base * np.where(group == 1, late_ratio, 1.0)
    e = rng.exponential(size=n)
    event_time = np.where(e < early * change_day, e / early, change_day + (e - early * change_day) / late)
    censor_time = np.minimum(rng.uniform(0.0, 1.5 * censor_days, size=n), censor_days)
    time = np.minimum(event_time, censor_time)
    if days_rounded:
        time = np.ceil(time)  # whole days: many ties
    event = (event_time <= censor_time).astype(int)
    return {"time": time, "event": event, "group": group, "arm": group.astype(float), "x1": x1}


def check_km(check, label, got, want):
    rows = got["rows"]
    check.equal(label, "km times", rows["time_days"], want["time"])
    check.equal(label, "km at risk", rows["at_risk"], want["at_risk"])
    check.equal(label, "km events", rows["events"], want["events"])
    check.close(label, "km survival", rows["survival"], want["surv"])
    se = as_float(rows["std_error"])
    positive = np.asarray(want["surv"]) > 0  # where S = 0 R's SE is Inf or NaN and ours NaN
    check.close(label, "km Greenwood SE", se[positive], want["se"][positive])
    if not np.isnan(se[~positive]).all():
        check.fail(f"{label} km Greenwood SE: expected NaN where S = 0, got {se[~positive]}")


def check_data_set(check, label, table, tau, r):
    text = csv_text(table)
    arm_only = drop_column(text, 4)  # time_days, event, group, x0
    for part, mask in (("pooled", None), ("group0", table["group"] == 0), ("group1", table["group"] == 1)):
        sub = text if mask is None else csv_text({k: v[mask] for k, v in table.items()})
        check_km(check, f"{label} {part}", run_tool("km", sub), r[f"{label}.{part}"])
    rmst = run_tool("rmst", arm_only, ["--tau", repr(tau)])
    check.close(label, "rmst pooled", [rmst["pooled"]["rmst_days"], rmst["pooled"]["std_error_days"]],
                r[f"{label}.pooled"]["rmst"])
    for entry in rmst["groups"]:
        check.close(label, "rmst per arm", [entry["rmst_days"], entry["std_error_days"]],
                    r[f"{label}.group{entry['group']}"]["rmst"])
    d = rmst["difference"]
    if (d["group"], d["reference_group"]) != (1, 0):
        check.fail(f"{label} rmst difference: compared groups {d['group']} - {d['reference_group']}, expected 1 - 0")
    check.close(label, "rmst difference", [d["difference_days"], d["std_error_days"]], r[label]["rmst_difference"][:2])
    check.close(label, "rmst difference CI", [d["ci_low_days"], d["ci_high_days"]], r[label]["rmst_difference"][2:4])
    check.close(label, "rmst difference p", [d["p_value"]], r[label]["rmst_difference"][4:])

    logrank = run_tool("logrank", arm_only)
    check.close(label, "log-rank chi2", [logrank["statistic"]], r[label]["logrank"][:1])
    check.close(label, "log-rank p", [logrank["p_value"]], r[label]["logrank"][1:])

    zph_p = {}
    for ties in ("efron", "breslow"):
        cox = run_tool("cox", arm_only, ["--ties", ties])
        if not cox["converged"]:
            check.fail(f"{label} cox {ties}: did not converge: {cox['message']}")
            continue
        want = r[label][f"cox_{ties}"]
        check.close(label, f"cox {ties} coefficient", cox["coefficients"], want[:1])
        check.close(label, f"cox {ties} SE", cox["std_errors"], want[1:2])
        check.close(label, f"cox {ties} hazard ratio", cox["hazard_ratios"], want[2:3])
        check.close(label, f"cox {ties} hazard-ratio CI", cox["ci_low"] + cox["ci_high"], want[3:5])
        zph = cox["ph_test"]
        want = r[label][f"zph_{ties}"]
        check.close(label, f"zph {ties} chi2", zph["statistics"], want[:1])
        check.equal(label, f"zph {ties} df", [zph["global_degrees_of_freedom"]], want[1:2])
        check.close(label, f"zph {ties} p", zph["p_values"], want[2:3])
        zph_p[ties] = zph["p_values"][0]
        if f"zph2_{ties}" in r[label]:
            two = run_tool("cox", text, ["--ties", ties])["ph_test"]
            want = r[label][f"zph2_{ties}"]
            check.close(label, f"zph {ties} arm+x1 chi2", two["statistics"] + [two["global_statistic"]], want[:3])
            check.close(label, f"zph {ties} arm+x1 p", two["p_values"] + [two["global_p_value"]], want[3:])
    return zph_p.get("efron", math.nan)


def main():
    if not os.path.exists(RSCRIPT):
        sys.exit(f"FAILED: {RSCRIPT} not found (apt-get install r-cran-survival)")
    rng = np.random.default_rng(20240612)
    tables = []  # (label, table, tau in days)
    for replicate in range(3):
        tables.append((f"continuous-{replicate}", make_table(rng, 240, False), 365.0))
        tables.append((f"whole-days-{replicate}", make_table(rng, 240, True), 365.0))
        tables.append((f"heavy-censoring-{replicate}", make_table(rng, 240, True, censor_days=150.0), 120.0))
        tables.append((f"crossing-{replicate}", make_table(rng, 300, False, early_ratio=4.0, late_ratio=0.25,
                                                           change_day=90.0), 540.0))
        tables.append((f"small-{replicate}", make_table(rng, 16, True), 180.0))
    # A horizon past the last observation (R carries the curve flat to tau).
    tables.append(("past-follow-up", make_table(rng, 60, True, censor_days=300.0), 1000.0))
    with tempfile.TemporaryDirectory(prefix="cartsim-r-") as workdir:
        r = run_r(tables, workdir)
    check = Checker()
    censored, zph_p = [], {}
    for label, table, tau in tables:
        zph_p[label] = check_data_set(check, label, table, tau, r)
        censored.append(1.0 - table["event"].mean())
    crossing = [f"{zph_p[label]:.1e}" for label, _, _ in tables if label.startswith("crossing")]
    proportional = [f"{zph_p[label]:.2f}" for label, _, _ in tables if label.startswith(("continuous", "whole"))]
    print(f"PH test p (Efron): crossing hazards {', '.join(crossing)}; proportional {', '.join(proportional)}")
    print(f"{len(tables)} data sets (censored fraction {min(censored):.2f} to {max(censored):.2f}); "
          "max relative difference from R survival:")
    for quantity, worst in sorted(check.worst.items()):
        print(f"  {quantity:28s} {worst:.2e}  ({check.compared[quantity]} values)")
    if check.failures:
        print(f"FAILED: {check.failures} comparisons beyond {REL_TOL:g} relative")
        sys.exit(1)
    print("PASS")


if __name__ == "__main__":
    main()
