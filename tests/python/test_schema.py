"""`cartsim schema`: the generated JSON Schemas are valid draft-07, every shipped YAML file validates
against the schema of its kind, every resolved scenario (`cartsim check`) validates, every key of
`cartsim params` is in the schema, and mistakes the loader refuses are refused by the schema too
(Debian's python3-jsonschema)."""
import json
from pathlib import Path

import jsonschema
import pytest

from conftest import load_yaml, run

KINDS = ("scenario", "product", "calibration", "uncertainty")


@pytest.fixture(scope="session")
def schemas(cartsim_program, tmp_path_factory):
    folder = tmp_path_factory.mktemp("schemas")
    out = {}
    for kind in KINDS:
        path = folder / f"{kind}.schema.json"
        result = run([cartsim_program, "schema", kind, "-o", str(path)])
        assert result.returncode == 0, result.stderr
        out[kind] = json.loads(path.read_text())
    return out


def kind_of(path, scenarios):
    parts = path.relative_to(scenarios).parts
    if parts[0] == "products":
        return "product"
    if parts[0] == "calibration":
        return "uncertainty" if len(parts) > 2 and parts[1] == "uncertainty" else "calibration"
    return "scenario"


def errors_of(schema, document):
    validator = jsonschema.Draft7Validator(schema)
    return sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))


def test_schemas_are_valid_draft7(schemas):
    for kind, schema in schemas.items():
        jsonschema.Draft7Validator.check_schema(schema)
        assert schema["additionalProperties"] is False, kind


def test_default_kind_is_scenario_and_printed(cartsim_program, schemas):
    result = run([cartsim_program, "schema"])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == schemas["scenario"]


def test_bad_kind_is_refused(cartsim_program):
    result = run([cartsim_program, "schema", "lesson"])
    assert result.returncode == 2
    assert "lesson" in result.stderr


def test_every_shipped_file_validates(schemas, source_dir):
    scenarios = source_dir / "scenarios"
    files = sorted(scenarios.rglob("*.yaml"))
    assert len(files) > 40  # the presets, examples, lessons, studies, validation and calibration files
    seen = set()
    for path in files:
        kind = kind_of(path, scenarios)
        seen.add(kind)
        document = load_yaml(path.read_text())
        problems = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors_of(schemas[kind], document)]
        assert not problems, f"{path} ({kind}): {problems[:5]}"
    assert seen == set(KINDS)


def test_resolved_scenarios_validate(cartsim_program, schemas, source_dir):
    """`cartsim check` prints every key with its value: the writer's keys and types match the schema."""
    for name in ("examples/idecel-single-patient.yaml", "examples/antigen-escape.yaml",
                 "studies/sequencing-cart-vs-bispecific.yaml", "reference/singh2021.yaml", "reference/cartmath.yaml"):
        result = run([cartsim_program, "check", str(source_dir / "scenarios" / name)])
        assert result.returncode == 0, result.stderr
        document = load_yaml(result.stdout)
        assert len(document) > 4
        problems = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors_of(schemas["scenario"], document)]
        assert not problems, f"{name}: {problems[:5]}"


def resolve(schema, root):
    return resolve(root["definitions"][schema["$ref"].split("/")[-1]], root) if "$ref" in schema else schema


def child(node, key, root):
    """The schema of `key` in an object schema; a key whose schema differs by variant (anyOf) is looked up
    in the alternative that has it."""
    node = resolve(node, root)
    if "anyOf" in node:
        having = [alt for alt in node["anyOf"] if key in resolve(alt, root).get("properties", {})]
        assert having, key
        node = resolve(having[0], root)
    return resolve(node["properties"][key], root)


def lookup(root, key_path):
    """The schema of a `cartsim params` key path ("regimen[].therapies[].dose", "cohort.size")."""
    node = root
    for part in key_path.split("."):
        node = child(node, part.removesuffix("[]"), root)
        if part.endswith("[]"):
            assert node["type"] == "array", key_path
            node = node["items"]
    return node


@pytest.mark.parametrize("model", ["myeloma", "singh2021", "cartmath"])
def test_every_listed_parameter_is_in_the_schema(cartsim_program, schemas, model):
    result = run([cartsim_program, "params", "--model", model, "--format", "csv"])
    assert result.returncode == 0, result.stderr
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) > 20
    for row in rows:
        schema = lookup(schemas["scenario"], row["key"])
        if row["unit"] and "anyOf" not in schema:
            assert schema.get("x-unit") == row["unit"], row["key"]


BAD_SCENARIOS = [
    # (what, YAML, the path of the error in the document)
    ("misspelt top-level key", "horizon_day: 100\n", []),
    ("misspelt nested key", "patient: {tumour: {growth_rate_per_dai: 0.01}}\n", ["patient", "tumour"]),
    ("below the hard range", "horizon_days: 0\n", ["horizon_days"]),
    ("unknown model", "model: gompertz\n", ["model"]),
    ("integer expected", "seed: 1.5\n", ["seed"]),
    ("number expected", "horizon_days: long\n", ["horizon_days"]),
    ("CAR-T key on a bispecific",
     "regimen:\n  - {name: a, start: 0, therapies: [{type: bispecific, targets: [BCMA], dose_cells: 1.0e8}]}\n",
     ["regimen", 0, "therapies", 0, "dose_cells"]),
    ("unknown target antigen",
     "regimen:\n  - {name: a, start: 0, therapies: [{type: cart, targets: [CD19]}]}\n",
     ["regimen", 0, "therapies", 0, "targets", 0]),
    ("arm without a name", "cohort: {size: 2}\narms:\n  - {regimen: []}\n", ["arms", 0]),
    ("unknown arm key", "cohort: {size: 2}\narms:\n  - {name: a, regimn: []}\n", ["arms", 0]),
    ("reference-model key in a myeloma scenario", "dose_cells: 1.0e8\n", ["dose_cells"]),
]


@pytest.mark.parametrize("what,text,path", BAD_SCENARIOS, ids=[b[0] for b in BAD_SCENARIOS])
def test_mistakes_are_refused_by_schema_and_loader(cartsim_program, schemas, tmp_path, what, text, path):
    errors = errors_of(schemas["scenario"], load_yaml(text))
    assert errors, what
    assert any(list(e.absolute_path) == path for e in errors), [list(e.absolute_path) for e in errors]
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(text)
    result = run([cartsim_program, "check", str(scenario)])
    assert result.returncode == 2, (what, result.stdout)


def test_product_and_calibration_mistakes_are_refused(schemas):
    assert errors_of(schemas["product"], {"type": "cart", "dose_cell": 1e8})
    assert errors_of(schemas["product"], {"type": "cart", "costimulation": "OX40"})
    assert not errors_of(schemas["product"], {"type": "cart", "costimulation": "CD28", "dose_cells": 1e8})
    assert errors_of(schemas["calibration"], {"name": "x", "studie": []})
    assert errors_of(schemas["uncertainty"], {"points": -1})


def test_descriptions_carry_unit_range_source_and_default(schemas):
    rate = lookup(schemas["scenario"], "patient.tumour.growth_rate_per_day")
    assert rate["type"] == "number" and rate["x-unit"] == "1/day"
    assert "Unit: 1/day" in rate["description"] and "Default:" in rate["description"]
    assert "Plausible:" in rate["description"] and "Source:" in rate["description"]
    assert isinstance(rate["default"], float)
    size = lookup(schemas["scenario"], "cohort.size")
    assert size["type"] == "integer" and size["minimum"] == 1


def test_written_atomically_and_unwritable_is_an_error(cartsim_program, tmp_path):
    target = tmp_path / "schema.json"
    target.write_text("old")
    assert run([cartsim_program, "schema", "product", "-o", str(target)]).returncode == 0
    assert json.loads(target.read_text())["title"] == "cartsim product file"
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]  # no temporary left behind
    result = run([cartsim_program, "schema", "-o", str(tmp_path / "missing" / "schema.json")])
    assert result.returncode == 1
    assert "missing" in result.stderr
