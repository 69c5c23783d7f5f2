"""The README's Python example (the block after "<!-- python example -->") runs from the source tree
and draws its figure."""
import os
import subprocess
import sys

from PIL import Image


def test_readme_python_example_runs_and_plots(source_dir, tmp_path):
    text = (source_dir / "README.md").read_text()
    block = text.split("<!-- python example -->", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert "cartsim.run(" in block and "savefig(" in block
    script = tmp_path / "example.py"
    # Paths in the example are relative to the source tree; the figure goes to tmp_path.
    script.write_text(block.replace('"dose-sweep.png"', repr(str(tmp_path / "dose-sweep.png"))))
    result = subprocess.run([sys.executable, str(script)], cwd=source_dir, capture_output=True, text=True,
                            env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    image = Image.open(tmp_path / "dose-sweep.png")
    assert image.size == (1000, 400)
    assert len(set(image.convert("L").getdata())) > 20  # lines and text, not a blank canvas
