#!/usr/bin/env bash
# Instruction counts per agent-update of tick benchmarks, with callgrind:
# stable where wall time is too noisy (a shared machine, small changes).
#
#   benchmarks/callgrind.sh 'Step_100k$' 'BareLoop/regional/agents=100000$'
#
# Each benchmark runs twice under valgrind, for N and 2N iterations; the
# difference of the two instruction totals cancels model construction and
# Reset, and is divided by N times the agents stepped per iteration (the
# benchmark's "agents" metric, or the number after "agents=" in its name).
# Go's asynchronous preemption signals crash callgrind, so it is turned
# off, and one P keeps the runtime from spinning other threads.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v valgrind > /dev/null 2>&1; then
  echo "SKIP: valgrind is not installed (Debian: apt-get install valgrind)"
  exit 0
fi
n="${N:-20}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" ./benchmarks
count() { # count BENCH ITERATIONS -> total instructions
  GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
    "$tmp/bench.test" -test.run '^$' -test.bench "$1" -test.benchtime "${2}x" > "$tmp/bench.log" 2> "$tmp/vg.log" \
    || { cat "$tmp/vg.log" >&2; exit 1; }
  grep -q '^Benchmark' "$tmp/bench.log" || { echo "no benchmark matches $1 (names start with Benchmark: use 'Step_100k\$', not '^Step_100k\$')" >&2; exit 1; }
  sed -n 's/^summary: //p' "$tmp/cg.out"
}
printf '%-45s %15s %12s\n' benchmark agents instr/update
for b in "$@"; do
  one=$(count "$b" "$n")
  agents=$(grep -o '[0-9.]* agents' "$tmp/bench.log" | head -1 | cut -d' ' -f1 || true)
  if [ -z "$agents" ]; then
    agents=$(echo "$b" | grep -o 'agents=[0-9]*' | cut -d= -f2)
  fi
  two=$(count "$b" "$((2 * n))")
  awk -v b="$b" -v a="$agents" -v one="$one" -v two="$two" -v n="$n" \
    'BEGIN { printf "%-45s %15d %12.1f\n", b, a, (two - one) / (n * a) }'
done
