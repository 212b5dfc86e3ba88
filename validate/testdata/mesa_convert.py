#!/usr/bin/env python3
"""Converts run_epstein.py's stats.json into mesa_epstein.json (per-run
summaries of Mesa's Epstein example) for validate's docking checks.

  PYTHONPATH=$PEERS/mesa /usr/bin/python3 ../shared/peers/mesa/run_epstein.py \
      stats --out DIR --seeds 0-19 --steps 400 --workers 2 --scenarios default,app
  python3 validate/testdata/mesa_convert.py DIR/stats.json > validate/testdata/mesa_epstein.json
"""
import json
import sys

src = json.load(open(sys.argv[1]))
steps = {r["steps"] for r in src["runs"]}
assert len(steps) == 1, steps
out = {"mesa_version": src["mesa_version"],
       "command": "run_epstein.py stats --seeds 0-19 --steps %d --scenarios default,app" % steps.pop(),
       "steps": src["runs"][0]["steps"], "window": src["window"][0], "scenarios": {}}
for r in sorted(src["runs"], key=lambda r: (r["scenario"], r["seed"])):
    s = r["summary"]
    out["scenarios"].setdefault(r["scenario"], []).append({
        "seed": r["seed"], "citizens": r["citizens"], "cops": r["cops"],
        "mean_active": s["mean_active_100_1000"], "peak_active": s["peak_active_1_1000"],
        "bursts": s["bursts_100_1000"], "mean_jailed": s["mean_jailed_100_1000"]})
json.dump(out, sys.stdout, indent=1)
print()
