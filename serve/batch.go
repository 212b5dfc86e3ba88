package serve

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/turncoat-abm/turncoat/abm"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/sweep"
)

// BatchOutputs are the per-run measures a sweep from the page collects.
var BatchOutputs = []string{"peak_share.soldier", "final_share.soldier", "final_share.citizen", "collapsed"}

// Band is a per-tick mean with its 5%–95% band over replicates.
type Band struct {
	Mean []float64 `json:"mean"`
	Lo   []float64 `json:"lo"`
	Hi   []float64 `json:"hi"`
}

// PointOut is one point of a sweep: parameter values and, per output in
// BatchOutputs order, the mean with its 5% and 95% quantiles.
type PointOut struct {
	Params []float64 `json:"params"`
	Mean   []float64 `json:"mean"`
	Q05    []float64 `json:"q05"`
	Q95    []float64 `json:"q95"`
}

// handleBatch runs replicates of a spec (no parameter: per-tick bands of
// the defected shares, seeds 1..N) or a grid sweep over one or two
// parameters with the sweep engine (per point, the mean and 5–95%
// quantiles of BatchOutputs). The sweep directory is written to
// serve-runs and can be browsed or opened later.
//
// Query: spec (as for /api/run), replicates, p1, v1 (comma-separated
// values), p2, v2.
func (s *Server) handleBatch(w http.ResponseWriter, r *http.Request) {
	sp, cfg, err := s.request(r)
	if err != nil {
		writeErr(w, err)
		return
	}
	q := r.URL.Query()
	reps, err := strconv.Atoi(q.Get("replicates"))
	if err != nil || reps < 1 || reps > 100 {
		writeErr(w, bad("replicates: must be an integer in [1,100], got %q", q.Get("replicates")))
		return
	}
	var params []sweep.Parameter
	for _, k := range []string{"1", "2"} {
		name := q.Get("p" + k)
		if name == "" {
			continue
		}
		if !keyRE.MatchString(name) {
			writeErr(w, bad("p%s: invalid field name %q", k, name))
			return
		}
		var vals []float64
		for _, f := range strings.Split(q.Get("v"+k), ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil {
				writeErr(w, bad("v%s: %q is not a number", k, f))
				return
			}
			vals = append(vals, v)
		}
		if len(vals) < 2 || len(vals) > 12 {
			writeErr(w, bad("v%s: give 2 to 12 values, got %d", k, len(vals)))
			return
		}
		params = append(params, sweep.Parameter{Name: name, Values: vals})
	}
	runs := reps
	for _, p := range params {
		runs *= len(p.Values)
	}
	if runs > s.opt.MaxBatchRuns {
		writeErr(w, &httpError{http.StatusRequestEntityTooLarge, fmt.Errorf("%d runs: more than the server's limit of %d per batch", runs, s.opt.MaxBatchRuns)})
		return
	}
	ctx := r.Context()
	if err := s.acquire(ctx); err != nil {
		writeErr(w, err)
		return
	}
	defer s.release()
	if len(params) == 0 {
		band, err := s.replicates(r, &cfg, reps)
		if err != nil {
			writeErr(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"kind": "replicates", "replicates": reps, "soldier": band[0], "citizen": band[1]})
		return
	}
	id, dir, err := s.newDir("batch-" + cfg.Name)
	if err != nil {
		writeErr(w, err)
		return
	}
	// The sweep engine reads the scenario from a file: the resolved
	// configuration with the page's changes.
	y, err := cfg.YAML()
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "scenario.yaml"), y, 0o644)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	specYAML, err := yaml.Marshal(map[string]any{"name": "serve-" + cfg.Name, "scenario": "scenario.yaml", "sampler": "grid",
		"replicates": reps, "seed": sp.Seed, "outputs": BatchOutputs, "parameters": params})
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "sweep.yaml"), specYAML, 0o644)
	}
	if err != nil {
		writeErr(w, err)
		return
	}
	spec, err := sweep.Load(filepath.Join(dir, "sweep.yaml"))
	if err != nil {
		writeErr(w, bad("%v", err))
		return
	}
	var points []PointOut
	_, err = sweep.Run(ctx, spec, sweep.Options{Dir: filepath.Join(dir, "sweep"), Workers: s.opt.Workers,
		OnPoint: func(ps sweep.PointStats) error {
			po := PointOut{Params: ps.Params}
			for _, st := range ps.Stats {
				po.Mean = append(po.Mean, nz(st.Mean))
				po.Q05 = append(po.Q05, nz(st.Q[0]))
				po.Q95 = append(po.Q95, nz(st.Q[2]))
			}
			points = append(points, po)
			return nil
		},
		MemoryCheck: func(b uint64) error {
			if b > s.opt.MaxMemory {
				return &httpError{http.StatusRequestEntityTooLarge, fmt.Errorf("this sweep needs about %d bytes, more than the server's limit", b)}
			}
			return nil
		}})
	if err != nil {
		writeErr(w, err)
		return
	}
	names := []string{}
	for _, p := range params {
		names = append(names, p.Name)
	}
	s.register(filepath.Join(dir, "sweep"))
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "kind": "sweep", "replicates": reps, "parameters": names,
		"outputs": BatchOutputs, "points": points, "dir": filepath.Join("serve-runs", id, "sweep")})
}

func nz(v float64) float64 {
	if v != v {
		return 0
	}
	return v
}

// replicates runs seeds 1..n of cfg and returns per-tick bands of the
// soldiers' and citizens' defected shares.
func (s *Server) replicates(r *http.Request, cfg *regime.Config, n int) ([2]Band, error) {
	m, err := regime.New(*cfg)
	if err != nil {
		return [2]Band{}, bad("%v", err)
	}
	m.SetWorkers(s.opt.Workers)
	var series [2][][]float64 // role -> tick -> replicate values
	for seed := uint64(1); seed <= uint64(n); seed++ {
		res, err := m.RunShared(r.Context(), seed)
		if err != nil {
			return [2]Band{}, err
		}
		for k, role := range []int{1, 0} {
			for t, tr := range res.Ticks {
				if t >= len(series[k]) {
					series[k] = append(series[k], nil)
				}
				series[k][t] = append(series[k][t], tr.Defected[role])
			}
		}
	}
	var out [2]Band
	for k := range series {
		for _, vals := range series[k] {
			st := abm.Describe(vals, false)
			out[k].Mean = append(out[k].Mean, st.Mean)
			out[k].Lo = append(out[k].Lo, st.Q[0])
			out[k].Hi = append(out[k].Hi, st.Q[2])
		}
	}
	return out, nil
}
