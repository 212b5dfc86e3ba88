#!/usr/bin/env bash
# Time Mesa's own Epstein civil-violence example on the configuration of
# turncoat's `mesa` variant (see README.md). Prints RESULT lines, or one SKIP
# line (and exits 0) when python3 or the mesa package is missing.
# Usage: benchmarks/peers/run.sh [--steps N] [--seed S] [--repeats R]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
py=${PYTHON:-python3}
if ! command -v "$py" >/dev/null 2>&1; then
	echo "SKIP: $py not found"
	exit 0
fi
if ! "$py" -c 'import mesa' >/dev/null 2>&1; then
	echo "SKIP: $py cannot import mesa (pip install 'mesa==3.3.*' to run this peer)"
	exit 0
fi
exec "$py" "$here/mesa_epstein.py" "$@"
