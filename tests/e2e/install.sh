#!/usr/bin/env bash
# Installable (issue 19, item 5): `cmake --install` into a temporary prefix puts the program, the Python
# module, presets, plotting scripts, schemas, man page, bash completion and documents in their places;
# the installed program and module find their presets relative to themselves; the installed
# program finds its presets relative to itself (not in the source tree it was built from), runs an
# example and plots it from any folder; the completion offers subcommands, choices and --set keys; and
# `cpack -G DEB` builds a Debian package that dpkg installs into a fresh root, whose program runs and
# whose dependencies are installed packages of this system.
# Environment (set by CTest): CARTSIM, SOURCE_DIR, BUILD_DIR, PYTHON.
set -euo pipefail

: "${CARTSIM:?CARTSIM must point to the cartsim binary}"
: "${SOURCE_DIR:?SOURCE_DIR must point to the repository root}"
: "${BUILD_DIR:?BUILD_DIR must point to the build folder}"
PYTHON="${PYTHON:-/usr/bin/python3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

prefix="$TMP/prefix"
check "cmake --install into a temporary prefix" logged "$TMP/install.log" cmake --install "$BUILD_DIR" --prefix "$prefix"
installed_files_present() {
    local f
    for f in bin/cartsim share/cartsim/scenarios/products/ide-cel.yaml share/cartsim/scenarios/examples/antigen-escape.yaml \
        share/cartsim/scenarios/validation/karmma.yaml share/cartsim/plots/plot_run.py \
        share/cartsim/schema/scenario.schema.json share/cartsim/schema/product.schema.json \
        share/man/man1/cartsim.1 share/bash-completion/completions/cartsim \
        share/doc/cartsim/LICENSE share/doc/cartsim/CITATION.cff share/doc/cartsim/README.md \
        lib/python3/dist-packages/cartsim/__init__.py; do
        [[ -s "$prefix/$f" ]] || { echo "    missing: $f"; return 1; }
    done
    [[ -x "$prefix/bin/cartsim" ]]
}
check "the program, presets, plots, schemas, man page, completion and documents are in place" installed_files_present
check "no test program is installed" bash -c '! ls "$1/bin" | grep -qv "^cartsim$"' _ "$prefix"

# Which presets a program reads: a scenario outside any scenarios/ folder names the ide-cel preset,
# whose installed copy is changed to 123e6 cells.
mkdir -p "$TMP/work"
cat > "$TMP/work/uses-preset.yaml" <<'EOF'
name: uses-preset
horizon_days: 30
regimen:
  - {name: cart, start: 0, therapies: [{product: ide-cel}]}
EOF
sed -i 's/^dose_cells: .*/dose_cells: 123.0e6/' "$prefix/share/cartsim/scenarios/products/ide-cel.yaml"
dose_read_by() {  # dose_read_by EXPECTED PROGRAM [env assignments...]
    local expected="$1" program="$2"
    shift 2
    (cd "$TMP/work" && env "$@" "$program" check uses-preset.yaml) > "$TMP/check.out" 2>&1 || return 1
    grep -q "dose_cells: $expected" "$TMP/check.out" || { grep dose_cells "$TMP/check.out" | head -2; return 1; }
}
check "the installed program reads the installed presets" dose_read_by 123000000 "$prefix/bin/cartsim"
check "the build-tree program reads the source tree's presets" dose_read_by 450000000 "$CARTSIM"
check "CARTSIM_DATA_DIR overrides the installed presets" dose_read_by 450000000 "$prefix/bin/cartsim" "CARTSIM_DATA_DIR=$SOURCE_DIR"

run_and_plot() {
    (cd "$TMP/work" && "$prefix/bin/cartsim" run "$prefix/share/cartsim/scenarios/examples/idecel-single-patient.yaml" \
        -o "$TMP/work/run" -q && "$prefix/bin/cartsim" plot "$TMP/work/run") > "$TMP/run.log" 2>&1 || return 1
    [[ -s "$TMP/work/run/summary.json" && -s "$TMP/work/run/plot.png" ]]
}
check "the installed program runs an example and plots it with the installed scripts" run_and_plot
check "the installed program writes a report with the installed page script" \
    bash -c '"$1" report "$2" > /dev/null && grep -q "document.body.dataset.ready" "$2/report.html"' _ "$prefix/bin/cartsim" "$TMP/work/run"

python_module_reads() {  # python_module_reads PACKAGES DATA: the installed module imports, uses DATA's presets
    (cd "$TMP/work" && PYTHONPATH="$1" "$PYTHON" - "$2" "$1" <<'PY'
import sys
from pathlib import Path
import cartsim
assert Path(cartsim.__file__).resolve().is_relative_to(Path(sys.argv[2]).resolve()), cartsim.__file__
assert cartsim.data_dir().resolve() == Path(sys.argv[1]).resolve(), (cartsim.data_dir(), sys.argv[1])
resolved = cartsim.check("uses-preset.yaml")
dose = resolved["regimen"][0]["therapies"][0]["dose_cells"]
expected = 123e6 if "prefix" in sys.argv[1] else 450e6
assert dose == expected, dose
ts, summary = cartsim.run("uses-preset.yaml")
assert len(ts) == 31 and "best_response" in summary
PY
    ) > "$TMP/python.log" 2>&1 || { tail -5 "$TMP/python.log"; return 1; }
}
check "the installed Python module imports and reads the installed presets" \
    python_module_reads "$prefix/lib/python3/dist-packages" "$prefix/share/cartsim"

man_page_complete() {
    local page="$prefix/share/man/man1/cartsim.1" sub
    grep -q '^\.TH CARTSIM "1"' "$page" || return 1
    grep -q '^\.SH SUBCOMMANDS' "$page" && grep -q '^\.SH ENVIRONMENT' "$page" || return 1
    for sub in $("$CARTSIM" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
        grep -q "^\.SS $sub\$" "$page" || { echo "    no section for $sub"; return 1; }
    done
}
check "the man page has a section per subcommand, the files and the environment" man_page_complete

completes() {  # completes "EXPECTED WORD" WORDS...: the completion of the last word offers EXPECTED WORD
    local expected="$1"
    shift
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _cartsim; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$prefix/share/bash-completion/completions/cartsim" "$prefix/bin/cartsim" "$@" > "$TMP/completion.out"
    grep -qx -- "$expected" "$TMP/completion.out" || { head -5 "$TMP/completion.out"; return 1; }
}
check "completion: subcommands" completes schema sch
check "completion: a positional's choices" completes product schema pro
check "completion: an option's choices" completes csv params --format c
check "completion: options of a subcommand" completes --replicates run --rep
check "completion: --set keys from cartsim params" completes patient.tumour.growth_rate_per_day= run --set patient.tumour.growth_ra

# The Debian package.
check "cpack -G DEB builds a package" logged "$TMP/cpack.log" bash -c 'cd "$1" && cpack -G DEB -B "$2"' _ "$BUILD_DIR" "$TMP/deb"
deb="$(ls "$TMP"/deb/cartsim_*.deb 2> /dev/null | head -1)"
package_fields() {
    dpkg-deb -I "$deb" > "$TMP/control" || return 1
    grep -q '^ Package: cartsim$' "$TMP/control" && grep -q '^ Section: science$' "$TMP/control" &&
        grep -q '^ Depends: .*libyaml-cpp' "$TMP/control"
}
check "the package is named cartsim and its library dependencies were found" package_fields
dependencies_installed() {  # each Depends entry is an installed package of at least the version asked
    local entry name op version have
    while read -r entry; do
        name="${entry%% *}"
        have="$(dpkg-query -W -f '${Version}' "$name" 2> /dev/null)" || { echo "    $name is not installed"; return 1; }
        if [[ "$entry" =~ \(([<>=]+)\ ([^\)]+)\) ]]; then
            op="${BASH_REMATCH[1]}" version="${BASH_REMATCH[2]}"
            case "$op" in ">=") op=ge ;; "<=") op=le ;; "=") op=eq ;; ">>") op=gt ;; "<<") op=lt ;; esac
            dpkg --compare-versions "$have" "$op" "$version" || { echo "    $name $have is not $op $version"; return 1; }
        fi
    done < <(sed -n 's/^ Depends: //p' "$TMP/control" | tr ',' '\n' | sed 's/^ *//')
}
check "the package's dependencies are installed packages of this system" dependencies_installed
root="$TMP/root"
mkdir -p "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/info"
touch "$root/var/lib/dpkg/status"
# A fresh dpkg database knows none of the libraries (checked above against the system's), hence --force-depends.
check "dpkg installs the package into a fresh root" logged "$TMP/dpkg.log" \
    dpkg --root="$root" --force-depends --force-script-chrootless --log=/dev/null -i "$deb"
packaged_program_runs() {
    [[ -x "$root/usr/bin/cartsim" ]] || return 1
    (cd "$TMP" && "$root/usr/bin/cartsim" run "$root/usr/share/cartsim/scenarios/examples/antigen-escape.yaml" \
        -o "$TMP/deb-run" -q --set hybrid.enabled=false --set horizon_days=200) > "$TMP/deb-run.log" 2>&1 || return 1
    [[ -s "$TMP/deb-run/summary.json" ]] && "$root/usr/bin/cartsim" --version | grep -q '^cartsim 0\.'
}
check "the packaged program runs an example with its packaged presets" packaged_program_runs
check "the packaged Python module imports and reads the packaged presets" \
    python_module_reads "$root/usr/lib/python3/dist-packages" "$root/usr/share/cartsim"

finish
