#!/usr/bin/env python3
"""Converts run_epstein.py's stats.json files into mesa_epstein.json (per-run
summaries of Mesa's Epstein example) for validate's docking checks. Several
stats.json files (e.g. seeds 0-19 and 20-59 run separately) are merged; a
seed may appear only once per scenario.

  PYTHONPATH=$PEERS/mesa /usr/bin/python3 ../shared/peers/mesa/run_epstein.py \
      stats --out DIR --seeds 0-59 --steps 400 --workers 2 --scenarios default,app
  python3 validate/testdata/mesa_convert.py DIR/stats.json [DIR2/stats.json ...] > validate/testdata/mesa_epstein.json
"""
import json
import sys

srcs = [json.load(open(p)) for p in sys.argv[1:]]
runs = [r for s in srcs for r in s["runs"]]
steps = {r["steps"] for r in runs}
assert len(steps) == 1, steps
assert len({s["mesa_version"] for s in srcs}) == 1
assert len({tuple(s["window"]) for s in srcs}) == 1
seen = set()
for r in runs:
    k = (r["scenario"], r["seed"])
    assert k not in seen, "seed %d of %s appears twice" % (r["seed"], r["scenario"])
    seen.add(k)
seeds = sorted({r["seed"] for r in runs})
assert seeds == list(range(seeds[0], seeds[-1] + 1)), "seeds are not a contiguous range"
out = {"mesa_version": srcs[0]["mesa_version"],
       "command": "run_epstein.py stats --seeds %d-%d --steps %d --scenarios default,app" % (seeds[0], seeds[-1], steps.pop()),
       "steps": runs[0]["steps"], "window": srcs[0]["window"][0], "scenarios": {}}
for r in sorted(runs, key=lambda r: (r["scenario"], r["seed"])):
    s = r["summary"]
    out["scenarios"].setdefault(r["scenario"], []).append({
        "seed": r["seed"], "citizens": r["citizens"], "cops": r["cops"],
        "mean_active": s["mean_active_100_1000"], "peak_active": s["peak_active_1_1000"],
        "bursts": s["bursts_100_1000"], "mean_jailed": s["mean_jailed_100_1000"]})
json.dump(out, sys.stdout, indent=1)
print()
