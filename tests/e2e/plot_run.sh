#!/usr/bin/env bash
# End-to-end test of plots/plot_run.py: run two example scenarios, plot each run folder, check the
# PNGs (exit status, magic bytes, size, pixel dimensions), and check that a folder without
# timeseries.csv is refused with a non-zero status.
# Environment (set by CTest): CARTSIM (the binary), SOURCE_DIR (repo root), PYTHON (/usr/bin/python3).
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
PYTHON="${PYTHON:-/usr/bin/python3}"
SCRIPT="$SOURCE_DIR/plots/plot_run.py"
EXPECTED_WIDTH=1440   # 12 in x 120 dpi
EXPECTED_HEIGHT=1200  # 10 in x 120 dpi
MIN_BYTES=20000

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

is_png() {
    [[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]]
}

larger_than() {
    [[ "$(wc -c <"$1")" -gt "$2" ]]
}

pixel_size_is() {  # pixel_size_is FILE WIDTH HEIGHT (read from the IHDR chunk)
    "$PYTHON" - "$1" "$2" "$3" <<'EOF'
import struct, sys
path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "rb") as f:
    header = f.read(24)
w, h = struct.unpack(">II", header[16:24])
if header[12:16] != b"IHDR" or (w, h) != (width, height):
    print(f"  {path}: {w}x{h}, expected {width}x{height}", file=sys.stderr)
    sys.exit(1)
EOF
}

loads_in_matplotlib() {
    "$PYTHON" -c "
import sys, matplotlib
matplotlib.use('Agg')
import matplotlib.image as mpimg
image = mpimg.imread(sys.argv[1])
sys.exit(0 if image.shape[0] == $EXPECTED_HEIGHT and image.shape[1] == $EXPECTED_WIDTH else 1)
" "$1"
}

for scenario in antigen-escape cart-then-talquetamab; do
    run_dir="$TMP/$scenario"
    check "$scenario: cartsim run exits 0" logged "$TMP/$scenario.run.log" \
        "$CARTSIM" run "$SOURCE_DIR/scenarios/examples/$scenario.yaml" -o "$run_dir"
    png="$run_dir/plot.png"
    check "$scenario: plot_run.py exits 0" logged "$TMP/$scenario.plot.log" "$PYTHON" "$SCRIPT" "$run_dir"
    check "$scenario: plot_run.py prints the PNG path" grep -qxF "$png" "$TMP/$scenario.plot.log"
    check "$scenario: plot.png exists" test -f "$png"
    check "$scenario: plot.png has PNG magic bytes" is_png "$png"
    check "$scenario: plot.png is larger than $MIN_BYTES bytes" larger_than "$png" "$MIN_BYTES"
    check "$scenario: plot.png is ${EXPECTED_WIDTH}x${EXPECTED_HEIGHT} pixels" \
        pixel_size_is "$png" "$EXPECTED_WIDTH" "$EXPECTED_HEIGHT"
    check "$scenario: plot.png opens in matplotlib" loads_in_matplotlib "$png"
    check "$scenario: no temporary file left behind" \
        test -z "$(find "$run_dir" -name '.plot.png.*' -print -quit)"
done

# -o writes where asked.
custom="$TMP/custom/out.png"
check "-o writes the named file" logged "$TMP/custom.plot.log" "$PYTHON" "$SCRIPT" "$TMP/antigen-escape" -o "$custom"
check "-o output is a PNG" is_png "$custom"

# A folder without timeseries.csv is refused with a non-zero status and a message, and no PNG.
mkdir -p "$TMP/empty"
status=0
"$PYTHON" "$SCRIPT" "$TMP/empty" >"$TMP/empty.log" 2>&1 || status=$?
check "empty folder: non-zero exit status" test "$status" -ne 0
check "empty folder: message names timeseries.csv" grep -q "timeseries.csv" "$TMP/empty.log"
check "empty folder: no plot.png written" test ! -e "$TMP/empty/plot.png"

show_logs_on_failure 20 "$TMP"/*.log
finish
