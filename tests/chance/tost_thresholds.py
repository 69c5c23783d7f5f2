#!/usr/bin/python3
"""Equivalence of outcome shares across the hybrid's agent thresholds (two one-sided tests).

    tost_thresholds.py REFERENCE_DIR OTHER_DIR [OTHER_DIR ...] [--margin 0.08] [--alpha 0.05]

Each folder holds patients.csv of the same study with the same seeds (so row k of an arm is the same
virtual patient in every folder) and other hybrid thresholds. For each arm and outcome (ORR, >=CR,
MRD negativity, progression within the horizon, antigen-negative relapse, tumour extinct) the paired
difference of shares d = mean(other - reference) over patients is tested for equivalence within
+-margin by two one-sided tests at level alpha: equivalent when the 1 - 2 alpha confidence interval
d +- z(1 - alpha) sd(d_i) / sqrt(n) lies inside (-margin, margin). Prints a table, the share of
patients whose tumour went extinct per arm, and the power of the tests: the probability of showing
equivalence when the true difference is 0, 2 Phi(margin / se - z) - 1, with se = sqrt(q / n) for a
share q of discordant patients (pairs whose outcome differs): at the observed q, and at q = 10%
stated in advance (a 10% share of patients whose outcome flips with the thresholds would be a lot).
Exits 1 when any outcome is not shown equivalent.
"""
import csv
import math
import sys
from collections import defaultdict
from statistics import NormalDist

OUTCOMES = {
    "ORR": lambda r: r["best_response"] in ("sCR", "CR", "VGPR", "PR"),
    ">=CR": lambda r: r["best_response"] in ("sCR", "CR"),
    "MRD-negative": lambda r: r["mrd_negative"] == "true",
    "progressed": lambda r: r["progression_day"] != "",
    "antigen-negative relapse": lambda r: r["relapse_type"] == "antigen_negative",
    "tumour extinct": lambda r: r["cure"] == "true",
}


def read(folder):
    arms = defaultdict(dict)
    with open(f"{folder}/patients.csv") as f:
        for r in csv.DictReader(f):
            if r["error"]:
                sys.exit(f"tost: {folder}: patient {r['patient']} ({r['arm']}) failed: {r['error'][:200]}")
            arms[r["arm"]][int(r["patient"])] = r
    return arms


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    margin = float(sys.argv[sys.argv.index("--margin") + 1]) if "--margin" in sys.argv else 0.08
    alpha = float(sys.argv[sys.argv.index("--alpha") + 1]) if "--alpha" in sys.argv else 0.05
    args = [a for a in args if a not in (str(margin), str(alpha))]
    reference, others = read(args[0]), [(a, read(a)) for a in args[1:]]
    z = NormalDist().inv_cdf(1.0 - alpha)
    power_at = lambda se: 1.0 if se == 0 else max(0.0, 2 * NormalDist().cdf(margin / se - z) - 1)
    failed = 0
    print(f"reference {args[0]}; margin {margin:.0%}; {1 - 2 * alpha:.0%} intervals (two one-sided tests at {alpha})")
    for arm, patients in reference.items():
        n = len(patients)
        extinct = sum(OUTCOMES["tumour extinct"](r) for r in patients.values())
        print(f"\n{arm}: {n} patients, tumour extinct in {extinct} ({extinct / n:.1%}); power at 10% discordant "
              f"{power_at(math.sqrt(0.1 / n)):.2f}")
        for name, other in others:
            if set(other[arm]) != set(patients):
                sys.exit(f"tost: {name}: arm {arm} holds other patients than the reference")
            for outcome, of in OUTCOMES.items():
                d = [of(other[arm][k]) - of(patients[k]) for k in sorted(patients)]
                mean = sum(d) / n
                sd = math.sqrt(sum((x - mean) ** 2 for x in d) / (n - 1)) if n > 1 else 0.0
                se = sd / math.sqrt(n)
                low, high = mean - z * se, mean + z * se
                ok = -margin < low and high < margin
                power = power_at(se)
                share_ref = sum(of(r) for r in patients.values()) / n
                share_other = share_ref + mean
                failed += not ok
                print(f"  {name}: {outcome:<25} {share_ref:6.1%} -> {share_other:6.1%}  difference {mean:+.1%} "
                      f"[{low:+.1%}, {high:+.1%}]  discordant {sum(x != 0 for x in d)}  power {power:.2f}  "
                      f"{'equivalent' if ok else 'NOT shown equivalent'}")
    print(f"\n{failed} outcome comparisons not shown equivalent")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
