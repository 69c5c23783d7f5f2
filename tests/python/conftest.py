"""Shared fixtures of the pytest suites (Debian's python3-pytest, run by CTest as python.<file>).

CARTSIM names the built program and SOURCE_DIR the source tree; both are set by tests/CMakeLists.txt.
"""
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1, where 450.0e6 and 1e9 are strings; cartsim, like a YAML language server,
    reads them as numbers (YAML 1.2 core schema). This loader resolves floats the 1.2 way."""


Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$"),
    list("-+0123456789."),
)


def load_yaml(text):
    return yaml.load(text, Loader=Yaml12Loader)


@pytest.fixture(scope="session")
def cartsim_program():
    path = os.environ.get("CARTSIM")
    if not path or not Path(path).is_file():
        pytest.fail("CARTSIM must name the built cartsim program (set by CTest)")
    return path


@pytest.fixture(scope="session")
def source_dir():
    return Path(os.environ.get("SOURCE_DIR", Path(__file__).resolve().parents[2]))


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)
