package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
)

// raceEnabled is set under -race (race_test.go), where the exhaustive
// range check looks at every fourth slider to stay fast.
var raceEnabled bool

// small is soviet1991 at 5% scale: regions, shocks and history, fast.
var small = map[string]float64{"scale": 0.05}

func newServer(t *testing.T, opt Options) (*Server, *httptest.Server) {
	t.Helper()
	if opt.Root == "" {
		opt.Root = t.TempDir()
	}
	if opt.Workers == 0 {
		opt.Workers = 2
	}
	s, err := New(opt)
	require.NoError(t, err)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

func specQuery(t *testing.T, sp Spec) string {
	t.Helper()
	b, err := json.Marshal(sp)
	require.NoError(t, err)
	return "spec=" + url.QueryEscape(string(b))
}

func get(t *testing.T, u string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

type sse struct {
	event string
	data  string
}

func readSSE(t *testing.T, r io.Reader) []sse {
	t.Helper()
	var out []sse
	var cur sse
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			cur.data = line[6:]
		case line == "":
			out = append(out, cur)
			cur = sse{}
		}
	}
	return out
}

func TestAssetsEmbeddedAndOffline(t *testing.T) {
	_, ts := newServer(t, Options{})
	code, body := get(t, ts.URL+"/")
	require.Equal(t, 200, code)
	assert.Contains(t, string(body), `<script src="app.js">`)
	for _, f := range []string{"app.js", "style.css"} {
		code, _ := get(t, ts.URL+"/"+f)
		assert.Equal(t, 200, code, f)
	}
	// No asset loads anything from the network (the only URL is the SVG
	// namespace).
	err := fs.WalkDir(Assets(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(Assets(), p)
		s := strings.ReplaceAll(string(b), "http://www.w3.org/2000/svg", "")
		assert.NotContains(t, s, "http://", p)
		assert.NotContains(t, s, "https://", p)
		return nil
	})
	require.NoError(t, err)
}

func TestScenarioList(t *testing.T) {
	_, ts := newServer(t, Options{})
	code, body := get(t, ts.URL+"/api/scenarios")
	require.Equal(t, 200, code)
	var j struct {
		Scenarios []scenarioInfo
		Initial   string
	}
	require.NoError(t, json.Unmarshal(body, &j))
	assert.Equal(t, "soviet1991", j.Initial)
	var names []string
	for _, s := range j.Scenarios {
		names = append(names, s.Name)
	}
	assert.Contains(t, names, "soviet1991")
	assert.Contains(t, names, "kuran")
}

func TestScenarioParamsUseValidationRanges(t *testing.T) {
	_, ts := newServer(t, Options{})
	code, body := get(t, ts.URL+"/api/scenario?name=soviet1991")
	require.Equal(t, 200, code, string(body))
	var j struct {
		Params  []Param
		Shocks  []ShockSpec
		History []historyExit
		Ticks   int
	}
	require.NoError(t, json.Unmarshal(body, &j))
	cfg, err := scenarios.Load("soviet1991")
	require.NoError(t, err)
	by := map[string]Param{}
	for _, p := range j.Params {
		by[p.Key] = p
	}
	rep := by["regime.repression"]
	assert.Equal(t, cfg.Regime.Repression, rep.Value)
	assert.Equal(t, [2]float64{0, 1}, [2]float64{rep.Min, rep.Max})
	assert.False(t, rep.Open)
	pay := by["regime.pay"]
	assert.Equal(t, cfg.Regime.Pay, pay.Value)
	assert.Equal(t, 0.0, pay.Min)
	assert.True(t, pay.Open, "pay is only bounded below")
	tk := by["ticks"]
	assert.True(t, tk.Int)
	assert.Equal(t, 1.0, tk.Min)
	assert.Greater(t, tk.Max, 104.0)
	assert.Equal(t, "Coercion (ODD 7.5–7.6)", rep.Group)
	// A parameter omitted from the JSON form at its zero value is a
	// slider too.
	fl, ok := by["regime.legitimacy_floor"]
	require.True(t, ok, "legitimacy floor slider")
	assert.Equal(t, [3]float64{0, 0, 1}, [3]float64{fl.Value, fl.Min, fl.Max})
	// Every slider range is one the CLI's --set accepts at both ends and
	// refuses just outside.
	for i, p := range j.Params {
		if p.Int || raceEnabled && i%4 != 0 {
			continue
		}
		_, err := scenarios.Load("soviet1991", p.Key+"="+fmtF(p.Min))
		if p.MinExclusive {
			assert.Error(t, err, p.Key)
			_, err = scenarios.Load("soviet1991", p.Key+"="+fmtF(p.Min+1e-6))
		}
		assert.NoError(t, err, p.Key)
		if !p.Open {
			_, err = scenarios.Load("soviet1991", p.Key+"="+fmtF(p.Max+0.01))
			assert.Error(t, err, p.Key)
		}
		if p.Min == 0 {
			_, err = scenarios.Load("soviet1991", p.Key+"=-0.01")
			assert.Error(t, err, p.Key)
		}
	}
	require.Len(t, j.Shocks, 2)
	assert.Equal(t, cfg.TickOf(*cfg.Shocks[0].At), j.Shocks[0].Tick)
	assert.Len(t, j.History, 15)
	assert.Equal(t, 104, j.Ticks)

	code, body = get(t, ts.URL+"/api/scenario?name=nosuch")
	assert.Equal(t, 400, code)
	assert.Contains(t, string(body), "unknown scenario")
	code, body = get(t, ts.URL+"/api/scenario?name=arabspring2011")
	assert.Equal(t, 400, code)
	assert.Contains(t, string(body), "pack of scenarios")
	code, _ = get(t, ts.URL+"/api/scenario?name=..%2Fsecret.yaml")
	assert.Equal(t, 403, code)
}

func fmtF(v float64) string { b, _ := json.Marshal(v); return string(b) }

// TestRunStreamsTicksAndWritesRunDir runs through the SSE endpoint and
// checks the stream and the run directory against a direct run.
func TestRunStreamsTicksAndWritesRunDir(t *testing.T) {
	s, ts := newServer(t, Options{})
	sp := Spec{Scenario: "soviet1991", Set: map[string]float64{"scale": 0.05, "regime.pay": 0.8}, Seed: 3, Label: "pay 1→0.8"}
	resp, err := http.Get(ts.URL + "/api/run?" + specQuery(t, sp))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	evs := readSSE(t, resp.Body)
	require.GreaterOrEqual(t, len(evs), 3)
	assert.Equal(t, "start", evs[0].event)
	var start struct {
		ID    string
		Ticks int
		Cli   string
		Label string
	}
	require.NoError(t, json.Unmarshal([]byte(evs[0].data), &start))
	assert.Equal(t, "turncoat run soviet1991 --seed 3 --set regime.pay=0.8 --set scale=0.05", start.Cli)
	assert.Equal(t, "pay 1→0.8", start.Label)

	cfg, err := scenarios.Load("soviet1991", "regime.pay=0.8", "scale=0.05")
	require.NoError(t, err)
	want, err := regime.Run(context.Background(), cfg, 3)
	require.NoError(t, err)
	ticks := evs[1 : len(evs)-1]
	require.Len(t, ticks, len(want.Ticks))
	for i, e := range ticks {
		require.Equal(t, "tick", e.event)
		var m TickMsg
		require.NoError(t, json.Unmarshal([]byte(e.data), &m))
		require.Equal(t, tickMsg(&want.Ticks[i], false), m, "tick %d", i)
	}
	last := evs[len(evs)-1]
	require.Equal(t, "done", last.event, last.data)
	var done struct {
		ID      string
		Summary json.RawMessage
	}
	require.NoError(t, json.Unmarshal([]byte(last.data), &done))
	assert.Equal(t, start.ID, done.ID)

	// The run directory equals what turncoat run writes.
	ref := t.TempDir()
	require.NoError(t, want.WriteDir(ref))
	dir, err := s.runDir(done.ID)
	require.NoError(t, err)
	for _, f := range []string{"summary.json", "ticks.csv", "events.csv", "regions.csv", "scenario.yaml"} {
		a, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(ref, f))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), f)
	}
	var got bytes.Buffer
	require.NoError(t, json.Compact(&got, done.Summary))
	sum, _ := os.ReadFile(filepath.Join(ref, "summary.json"))
	var wantSum bytes.Buffer
	require.NoError(t, json.Compact(&wantSum, sum))
	assert.Equal(t, wantSum.String(), got.String())
	assert.True(t, strings.HasPrefix(dir, s.root+string(filepath.Separator)+"serve-runs"))

	// Files of the run are served, nothing else.
	code, body := get(t, ts.URL+"/api/runs/"+done.ID+"/files/summary.json")
	assert.Equal(t, 200, code)
	assert.Equal(t, string(sum), string(body))
	code, _ = get(t, ts.URL+"/api/runs/"+done.ID+"/files/..%2f..%2fetc%2fpasswd")
	assert.NotEqual(t, 200, code)
	code, _ = get(t, ts.URL+"/api/runs/nosuch/files/summary.json")
	assert.Equal(t, 404, code)

	// Figures are drawn as SVG into the run directory.
	code, body = get(t, ts.URL+"/api/runs/"+done.ID+"/figures")
	require.Equal(t, 200, code, string(body))
	var figs struct{ Figures []string }
	require.NoError(t, json.Unmarshal(body, &figs))
	require.NotEmpty(t, figs.Figures)
	code, body = get(t, ts.URL+figs.Figures[0])
	assert.Equal(t, 200, code)
	assert.Contains(t, string(body), "<svg")
}

func TestRunRejectsBadInput(t *testing.T) {
	_, ts := newServer(t, Options{})
	cases := []struct {
		name, query string
		code        int
		msg         string
	}{
		{"no spec", "", 400, "missing spec"},
		{"bad json", "spec=%7B", 400, "spec"},
		{"unknown field", "spec=" + url.QueryEscape(`{"scenario":"soviet1991","x":1}`), 400, "unknown field"},
		{"out of range", specQuery(t, Spec{Scenario: "soviet1991", Set: map[string]float64{"regime.repression": 1.5}}), 400, "regime.repression: must be in [0,1]"},
		{"unknown key", specQuery(t, Spec{Scenario: "soviet1991", Set: map[string]float64{"regime.nosuch": 1}}), 400, "nosuch"},
		{"invalid key", specQuery(t, Spec{Scenario: "soviet1991", Set: map[string]float64{"a=b": 1}}), 400, "invalid field name"},
		{"outside root", specQuery(t, Spec{Scenario: "/etc/passwd"}), 403, "outside the working directory"},
		{"dotdot", specQuery(t, Spec{Scenario: "../x.yaml"}), 403, "outside the working directory"},
		{"grid", specQuery(t, Spec{Scenario: "epstein-civil"}), 400, ""},
		{"bad shock", specQuery(t, Spec{Scenario: "soviet1991", Set: small, Shocks: &[]ShockSpec{{Name: "x", Tick: 3, Set: map[string]float64{"regime.nosuch": 1}}}}), 400, "shocks"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := get(t, ts.URL+"/api/run?"+c.query)
			assert.Equal(t, c.code, code, string(body))
			assert.Contains(t, string(body), c.msg)
		})
	}
}

func TestRunLimits(t *testing.T) {
	s, ts := newServer(t, Options{MaxRuns: 1})
	q := specQuery(t, Spec{Scenario: "soviet1991", Set: small})
	s.sem <- struct{}{} // one run executing
	code, body := get(t, ts.URL+"/api/run?"+q)
	assert.Equal(t, http.StatusTooManyRequests, code, string(body))
	code, _ = get(t, ts.URL+"/api/batch?"+q+"&replicates=2")
	assert.Equal(t, http.StatusTooManyRequests, code)
	<-s.sem
	code, _ = get(t, ts.URL+"/api/run?"+q)
	assert.Equal(t, 200, code)

	_, ts2 := newServer(t, Options{MaxMemory: 1 << 20})
	code, body = get(t, ts2.URL+"/api/run?"+specQuery(t, Spec{Scenario: "soviet1991"}))
	assert.Equal(t, http.StatusRequestEntityTooLarge, code)
	assert.Contains(t, string(body), "server's limit")
}

// TestRunCancelledWhenClientGoes: closing the request stops the run and
// frees its slot; no run directory is left.
func TestRunCancelledWhenClientGoes(t *testing.T) {
	s, ts := newServer(t, Options{MaxRuns: 1})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/api/run?"+specQuery(t, Spec{Scenario: "soviet1991", Set: map[string]float64{"scale": 0.05, "ticks": 100000}}), nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "event: tick") {
			break
		}
	}
	cancel()
	resp.Body.Close()
	deadline := time.Now().Add(20 * time.Second)
	for len(s.sem) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	require.Empty(t, s.sem, "the run was not cancelled")
	entries, _ := os.ReadDir(filepath.Join(s.root, "serve-runs"))
	for _, e := range entries {
		_, err := os.Stat(filepath.Join(s.root, "serve-runs", e.Name(), "summary.json"))
		assert.Error(t, err, "a cancelled run wrote %s", e.Name())
	}
}

func TestExportYAMLAndCLI(t *testing.T) {
	_, ts := newServer(t, Options{})
	sp := Spec{Scenario: "soviet1991", Set: map[string]float64{"regime.pay": 0.7}, Seed: 2}
	code, body := get(t, ts.URL+"/api/yaml?"+specQuery(t, sp))
	require.Equal(t, 200, code, string(body))
	cfg, err := scenarios.Parse("x.yaml", body)
	require.NoError(t, err)
	want, _ := scenarios.Load("soviet1991", "regime.pay=0.7")
	assert.Equal(t, want.Hash(), cfg.Hash())
	assert.Equal(t, 0.7, cfg.Regime.Pay)

	code, body = get(t, ts.URL+"/api/cli?"+specQuery(t, sp))
	require.Equal(t, 200, code)
	assert.JSONEq(t, `{"cli":"turncoat run soviet1991 --seed 2 --set regime.pay=0.7"}`, string(body))

	// Shocks moved, removed and added: the YAML carries them (by tick) and
	// the command runs the exported file.
	base, _ := scenarios.Load("soviet1991")
	shocks := shockSpecs(&base)
	shocks[0].Tick = 60
	shocks = append(shocks[:1], ShockSpec{Name: "pay cut", Tick: 40, Duration: 0, Set: map[string]float64{"regime.pay": 0.5}})
	sp.Shocks = &shocks
	code, body = get(t, ts.URL+"/api/yaml?"+specQuery(t, sp))
	require.Equal(t, 200, code, string(body))
	cfg, err = scenarios.Parse("x.yaml", body)
	require.NoError(t, err)
	require.Len(t, cfg.Shocks, 2)
	assert.Equal(t, 60, *cfg.Shocks[0].Tick)
	assert.Equal(t, "pay cut", cfg.Shocks[1].Name)
	assert.Equal(t, 0.5, cfg.Shocks[1].Set["regime.pay"])
	code, body = get(t, ts.URL+"/api/cli?"+specQuery(t, sp))
	require.Equal(t, 200, code)
	assert.JSONEq(t, `{"cli":"turncoat run soviet1991.yaml --seed 2"}`, string(body))

	// Unchanged shocks keep their dates (the YAML equals the scenario's).
	orig := shockSpecs(&base)
	code, body = get(t, ts.URL+"/api/yaml?"+specQuery(t, Spec{Scenario: "soviet1991", Shocks: &orig}))
	require.Equal(t, 200, code)
	y, _ := base.YAML()
	assert.Equal(t, string(y), string(body))
}

func TestOpenRunAndSweepDirs(t *testing.T) {
	root := t.TempDir()
	_, ts := newServer(t, Options{Root: root})
	cfg, err := scenarios.Load("soviet1991", "scale=0.05")
	require.NoError(t, err)
	res, err := regime.RunDir(context.Background(), cfg, 1, filepath.Join(root, "myrun"))
	require.NoError(t, err)
	code, body := get(t, ts.URL+"/api/open?dir=myrun")
	require.Equal(t, 200, code, string(body))
	var j struct {
		Kind  string
		ID    string
		Ticks []TickMsg
		Files []string
	}
	require.NoError(t, json.Unmarshal(body, &j))
	assert.Equal(t, "run", j.Kind)
	require.Len(t, j.Ticks, len(res.Ticks))
	assert.InDelta(t, res.Ticks[50].Defected[1], j.Ticks[50].Defected[1], 1e-12)
	assert.Contains(t, j.Files, "summary.json")
	code, _ = get(t, ts.URL+"/api/runs/"+j.ID+"/files/ticks.csv")
	assert.Equal(t, 200, code)

	code, _ = get(t, ts.URL+"/api/open?dir=..")
	assert.Equal(t, 403, code)
	code, _ = get(t, ts.URL+"/api/open?dir=nosuch")
	assert.Equal(t, 404, code)
	require.NoError(t, os.Mkdir(filepath.Join(root, "empty"), 0o755))
	code, body = get(t, ts.URL+"/api/open?dir=empty")
	assert.Equal(t, 400, code)
	assert.Contains(t, string(body), "neither a run directory")
	if err := os.Symlink("/etc", filepath.Join(root, "link")); err == nil {
		code, _ = get(t, ts.URL+"/api/open?dir=link")
		assert.Equal(t, 403, code, "a symlink out of the root")
	}
}

func TestBatchReplicatesAndSweeps(t *testing.T) {
	_, ts := newServer(t, Options{MaxBatchRuns: 8})
	q := specQuery(t, Spec{Scenario: "soviet1991", Set: map[string]float64{"scale": 0.01, "ticks": 90}})

	code, body := get(t, ts.URL+"/api/batch?"+q+"&replicates=3")
	require.Equal(t, 200, code, string(body))
	var rep struct {
		Kind             string
		Soldier, Citizen Band
	}
	require.NoError(t, json.Unmarshal(body, &rep))
	assert.Equal(t, "replicates", rep.Kind)
	require.Len(t, rep.Soldier.Mean, 90)
	for i := range rep.Soldier.Mean {
		assert.LessOrEqual(t, rep.Soldier.Lo[i], rep.Soldier.Mean[i]+1e-12)
		assert.GreaterOrEqual(t, rep.Soldier.Hi[i], rep.Soldier.Mean[i]-1e-12)
	}

	code, body = get(t, ts.URL+"/api/batch?"+q+"&replicates=2&p1=regime.repression&v1=0.2,0.9")
	require.Equal(t, 200, code, string(body))
	var sw struct {
		Kind       string
		Parameters []string
		Points     []PointOut
		Dir        string
		ID         string
	}
	require.NoError(t, json.Unmarshal(body, &sw))
	assert.Equal(t, "sweep", sw.Kind)
	require.Len(t, sw.Points, 2)
	assert.Equal(t, []float64{0.2}, sw.Points[0].Params)
	assert.Len(t, sw.Points[0].Mean, len(BatchOutputs))
	// The sweep directory can be opened.
	code, body = get(t, ts.URL+"/api/open?dir="+url.QueryEscape(sw.Dir))
	require.Equal(t, 200, code, string(body))
	assert.Contains(t, string(body), `"kind":"sweep"`)

	code, body = get(t, ts.URL+"/api/batch?"+q+"&replicates=1&p1=regime.repression&v1=0.2,0.9&p2=regime.pay&v2=0.5,1")
	require.Equal(t, 200, code, string(body))
	require.NoError(t, json.Unmarshal(body, &sw))
	assert.Len(t, sw.Points, 4)
	assert.Equal(t, []string{"regime.repression", "regime.pay"}, sw.Parameters)

	code, body = get(t, ts.URL+"/api/batch?"+q+"&replicates=3&p1=regime.repression&v1=0.2,0.5,0.9")
	assert.Equal(t, http.StatusRequestEntityTooLarge, code, string(body))
	code, _ = get(t, ts.URL+"/api/batch?"+q+"&replicates=0")
	assert.Equal(t, 400, code)
	code, body = get(t, ts.URL+"/api/batch?"+q+"&replicates=1&p1=regime.repression&v1=0.2,x")
	assert.Equal(t, 400, code, string(body))
	code, body = get(t, ts.URL+"/api/batch?"+q+"&replicates=1&p1=regime.repression&v1=0.2,1.5")
	assert.Equal(t, 400, code, string(body))
}

// TestRunStreamsModes: under defection modes every streamed tick carries
// the per-mode shares and emigrants of the run (the same numbers as a
// direct run), and an opened run directory gives them back from ticks.csv.
func TestRunStreamsModes(t *testing.T) {
	root := t.TempDir()
	_, ts := newServer(t, Options{Root: root})
	sp := Spec{Scenario: "gdr1989", Set: map[string]float64{"scale": 0.05}, Seed: 2}
	resp, err := http.Get(ts.URL + "/api/run?" + specQuery(t, sp))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	evs := readSSE(t, resp.Body)
	cfg, err := scenarios.Load("gdr1989", "scale=0.05")
	require.NoError(t, err)
	want, err := regime.Run(context.Background(), cfg, 2)
	require.NoError(t, err)
	ticks := evs[1 : len(evs)-1]
	require.Len(t, ticks, len(want.Ticks))
	emigrated := 0.0
	for i, e := range ticks {
		var m TickMsg
		require.NoError(t, json.Unmarshal([]byte(e.data), &m))
		require.NotNil(t, m.Modes, "tick %d", i)
		require.NotNil(t, m.Emigrants, "tick %d", i)
		w := &want.Ticks[i]
		assert.Equal(t, [4][3]float64{w.Voice, w.Exit, w.Switch, w.Shirk}, *m.Modes, "tick %d", i)
		emigrated = m.Emigrants[1]
	}
	assert.Greater(t, emigrated, 0.0, "gdr1989 has emigrants")

	_, err = regime.RunDir(context.Background(), cfg, 2, filepath.Join(root, "gdr"))
	require.NoError(t, err)
	code, body := get(t, ts.URL+"/api/open?dir=gdr")
	require.Equal(t, 200, code, string(body))
	var j struct{ Ticks []TickMsg }
	require.NoError(t, json.Unmarshal(body, &j))
	last := j.Ticks[len(j.Ticks)-1]
	require.NotNil(t, last.Modes)
	assert.InDelta(t, want.Ticks[len(want.Ticks)-1].Exit[0], last.Modes[1][0], 1e-9)
	assert.InDelta(t, emigrated, last.Emigrants[1], 1e-6*emigrated)

	// A scenario without modes streams none.
	sov, err := scenarios.Load("soviet1991", "scale=0.05")
	require.NoError(t, err)
	res, err := regime.Run(context.Background(), sov, 1)
	require.NoError(t, err)
	assert.Nil(t, tickMsg(&res.Ticks[0], sov.Modes != nil).Modes)
}
