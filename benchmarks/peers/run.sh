#!/usr/bin/env bash
# Time Mesa's own Epstein civil-violence example on the configuration of
# turncoat's `mesa` variant (see README.md). Prints RESULT lines, or one SKIP
# line (and exits 0) when no Python interpreter can import numpy and mesa.
# With --require (or TURNCOAT_PEERS=1) a missing peer is an error: FAIL line,
# exit 1.
# The interpreter is $PYTHON if set, else the first of python3,
# /usr/bin/python3, python that imports both numpy and mesa (a python3 from
# a virtualenv or another prefix often lacks numpy). MESA_PATH, if set, is
# prepended to PYTHONPATH (a Mesa source checkout, see README.md).
# Usage: benchmarks/peers/run.sh [--require] [--steps N] [--seed S] [--repeats R]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
require=${TURNCOAT_PEERS:-0}
args=()
for a in "$@"; do
	if [ "$a" = "--require" ]; then require=1; else args+=("$a"); fi
done
if [ -n "${MESA_PATH:-}" ]; then
	export PYTHONPATH="$MESA_PATH${PYTHONPATH:+:$PYTHONPATH}"
fi
missing() {
	if [ "$require" = 1 ]; then
		echo "FAIL: $1"
		exit 1
	fi
	echo "SKIP: $1"
	exit 0
}
if [ -n "${PYTHON:-}" ]; then
	candidates=("$PYTHON")
else
	candidates=(python3 /usr/bin/python3 python)
fi
py=""
tried=()
for c in "${candidates[@]}"; do
	command -v "$c" >/dev/null 2>&1 || continue
	tried+=("$c")
	if "$c" -c 'import numpy, mesa' >/dev/null 2>&1; then
		py=$c
		break
	fi
done
if [ -z "$py" ]; then
	if [ ${#tried[@]} -eq 0 ]; then
		missing "no Python interpreter found (tried ${candidates[*]})"
	fi
	missing "no interpreter imports numpy and mesa (tried ${tried[*]}; pip install 'mesa==3.3.*', or set PYTHON and MESA_PATH)"
fi
exec "$py" "$here/mesa_epstein.py" "${args[@]+"${args[@]}"}"
