"""The Python module (issue 19, item 1): cartsim.run / study / params / check give what the CLI writes
to its files, exactly; bad input raises ScenarioError with file, line and key; runs release the GIL.
PYTHONPATH names build/python (set by CTest)."""
import io
import json
import sys
import threading

import pandas as pd
import pytest

from conftest import run

import cartsim

IDECEL = "scenarios/examples/idecel-single-patient.yaml"
SEQUENCING = "scenarios/studies/sequencing-cart-vs-bispecific.yaml"


def read_csv(path):
    return pd.read_csv(path, float_precision="round_trip")


def cli_run(cartsim_program, source_dir, tmp_path, scenario, *args):
    out = tmp_path / "cli"
    result = run([cartsim_program, "run", str(source_dir / scenario), "-o", str(out), "-q", *args])
    assert result.returncode == 0, result.stderr
    return out


def test_run_gives_the_cli_files_exactly(cartsim_program, source_dir, tmp_path):
    out = cli_run(cartsim_program, source_dir, tmp_path, IDECEL, "--set", "patient.tumour.growth_rate_per_day=0.012",
                  "--set", "seed=3")
    ts, summary = cartsim.run(source_dir / IDECEL, set={"patient.tumour.growth_rate_per_day": 0.012}, seed=3)
    expected = read_csv(out / "timeseries.csv")
    assert list(ts.columns) == list(expected.columns)
    assert ts.columns[0] == "time_day" and any(c.endswith("_cells_per_ul") for c in ts.columns)  # units in names
    pd.testing.assert_frame_equal(ts, expected, check_exact=True, check_dtype=False)
    assert summary == json.loads((out / "summary.json").read_text())
    assert summary["best_response"] in ("sCR", "CR", "VGPR", "PR", "MR", "SD", "PD")


def test_the_build_tree_module_reads_the_source_tree(source_dir):
    assert cartsim.data_dir().resolve() == source_dir.resolve()


def test_overrides_and_seed_change_the_run(source_dir):
    base, _ = cartsim.run(source_dir / IDECEL)
    faster, _ = cartsim.run(source_dir / IDECEL, set={"patient.tumour.growth_rate_per_day": 0.02})
    assert faster["tumour_total_cells"].iloc[30] > base["tumour_total_cells"].iloc[30]
    _, s1 = cartsim.run(source_dir / "scenarios/examples/antigen-escape.yaml", seed=1, set={"horizon_days": 120})
    _, s1_again = cartsim.run(source_dir / "scenarios/examples/antigen-escape.yaml", seed=1, set={"horizon_days": 120})
    assert s1 == s1_again  # seeded


def test_a_dict_scenario_runs_as_its_file(source_dir):
    from conftest import load_yaml
    as_dict = load_yaml((source_dir / IDECEL).read_text())
    ts_file, summary_file = cartsim.run(source_dir / IDECEL)
    ts_dict, summary_dict = cartsim.run(as_dict)
    pd.testing.assert_frame_equal(ts_dict, ts_file, check_exact=True)
    assert summary_dict == summary_file


def test_bad_input_raises_scenario_error_with_file_line_and_key(source_dir, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nhorizon_days: 100\npatient:\n  tumour:\n    growth_rate_per_dai: 0.01\n")
    for call in (cartsim.check, cartsim.run):
        with pytest.raises(cartsim.ScenarioError) as caught:
            call(bad)
        first = caught.value.first
        assert first["file"] == str(bad)
        assert first["line"] == 5
        assert first["key"] == "patient.tumour.growth_rate_per_dai"
        assert "did you mean 'growth_rate_per_day'" in first["message"]
        assert str(caught.value).startswith(f"{bad}:5:")
    with pytest.raises(cartsim.ScenarioError) as caught:
        cartsim.run(source_dir / IDECEL, set={"horizon_days": 0})
    assert caught.value.first["key"] == "horizon_days"
    assert "out of range" in caught.value.first["message"]
    with pytest.warns(UserWarning, match="far below the plausible range"):
        cartsim.run(source_dir / IDECEL, set={"patient.tumour.growth_rate_per_day": -1, "horizon_days": 30})
    with pytest.raises(cartsim.ScenarioError) as caught:
        cartsim.check({"name": "d", "horizon_day": 3})
    assert caught.value.first["file"] == "<dict>" and caught.value.first["key"] == "horizon_day"
    with pytest.raises(cartsim.ScenarioError, match="use cartsim.study"):
        cartsim.run(source_dir / SEQUENCING)
    with pytest.raises(FileNotFoundError):
        cartsim.run(tmp_path / "missing.yaml")
    with pytest.raises(TypeError):
        cartsim.run(42)


def test_check_returns_the_resolved_scenario(source_dir):
    resolved = cartsim.check(source_dir / IDECEL, set={"horizon_days": 99})
    assert resolved["horizon_days"] == 99
    assert resolved["regimen"][0]["therapies"][0]["dose_cells"] == 450e6  # from the ide-cel preset
    assert "growth_rate_per_day" in resolved["patient"]["tumour"]


def test_params_is_the_cli_table(cartsim_program):
    program = cartsim_program
    for model in ("myeloma", "singh2021"):
        table = cartsim.params(model)
        result = run([program, "params", "--model", model, "--format", "csv"])
        expected = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
        assert list(table["key"]) == list(expected["key"])
        assert list(table["unit"]) == list(expected["unit"])
        assert list(table["default"]) == list(expected["default"])
    assert (cartsim.params().set_index("key").loc["patient.tumour.growth_rate_per_day", "unit"]) == "1/day"
    with pytest.raises(ValueError):
        cartsim.params("gompertz")


def test_study_gives_the_cli_files_exactly(cartsim_program, source_dir, tmp_path):
    program = cartsim_program
    args = ["--set", "cohort.size=6", "--set", "horizon_days=400"]
    result = run([program, "run", str(source_dir / SEQUENCING), "-o", str(tmp_path / "cli"), "-q", "--threads", "2", *args])
    assert result.returncode == 0, result.stderr
    study = cartsim.study(source_dir / SEQUENCING, set={"cohort.size": 6, "horizon_days": 400}, threads=1,
                          output=tmp_path / "py")
    key = ["arm", "patient"]
    expected = read_csv(tmp_path / "cli" / "patients.csv").sort_values(key).reset_index(drop=True)
    got = study.patients.sort_values(key).reset_index(drop=True)
    assert len(got) == 18  # 3 arms x 6 patients; 1 or 2 threads give the same rows
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    pd.testing.assert_frame_equal(study.km, read_csv(tmp_path / "cli" / "km.csv"), check_exact=True)
    assert study.summary == json.loads((tmp_path / "cli" / "summary.json").read_text())
    temporary = cartsim.study(source_dir / SEQUENCING, set={"cohort.size": 2, "horizon_days": 100})
    assert len(temporary.patients) == 6 and temporary.folder is None


def test_runs_release_the_gil(source_dir):
    """With a switch interval of 100 s the interpreter never takes the GIL from a running thread, so the
    main thread can wake while the worker is still inside the native run only if that run released it."""
    from cartsim import _cartsim
    started, finished = threading.Event(), []

    def worker():
        started.set()
        finished.append(_cartsim.run(str(source_dir / "scenarios/examples/antigen-escape.yaml"),
                                     ["horizon_days=3650", "hybrid.enabled=false"], []))

    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        thread = threading.Thread(target=worker)
        thread.start()
        started.wait()
        inside = not finished
        thread.join()
    finally:
        sys.setswitchinterval(old)
    assert inside, "the main thread ran only after the native run returned: the GIL was held"
    assert finished and not finished[0]["errors"]
