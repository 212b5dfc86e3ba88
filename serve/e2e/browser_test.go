package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/turncoat-abm/turncoat/serve"
)

// findChrome returns a Chromium binary or "".
func findChrome() string {
	if p := os.Getenv("CHROME"); p != "" {
		return p
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

func fetch(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v: %s", url, resp.StatusCode, err, b)
	}
	return b
}

// TestBrowser drives the page as a user: load soviet1991, run the
// baseline, move the pay slider with the keyboard, run the what-if,
// compare the two runs, run a one-parameter sweep, export the YAML and
// check that `turncoat run` on it reproduces the page's run summary.json
// byte for byte. Every wait is on a condition the page sets when it has
// drawn something (data attributes), never a fixed sleep.
func TestBrowser(t *testing.T) {
	chrome := findChrome()
	if chrome == "" {
		t.Skip("no Chromium binary found (chromium, chromium-browser, google-chrome, headless-shell or $CHROME): the browser test of turncoat serve is skipped; install chromium to run it")
	}
	root := t.TempDir()
	srv, err := serve.New(serve.Options{Root: root, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	// The CLI, built from this checkout, to reproduce the run.
	bin := filepath.Join(t.TempDir(), "turncoat")
	build := exec.Command("go", "build", "-o", bin, "./cmd/turncoat")
	build.Dir = filepath.Join("..", "..") // the repository root (the main module)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build turncoat: %v\n%s", err, out)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1400, 1000))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	bctx, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	// The first call starts the browser: without a timeout on its context
	// (a timeout there would stop the browser); the steps get theirs.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", chrome, err)
	}

	// step runs one user-visible step with its own timeout and logs its
	// wall time.
	step := func(name string, f func(ctx context.Context) error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
		defer cancel()
		start := time.Now()
		if err := f(ctx); err != nil {
			st, _ := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("#status")))
			t.Fatalf("step %q: %v (page status: %q)", name, err, st)
		}
		t.Logf("step %-42s %6.0f ms", name, float64(time.Since(start).Microseconds())/1000)
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) func(ctx context.Context) error {
		return func(ctx context.Context) error { return chromedp.Do(ctx, steps...) }
	}
	attr := func(ctx context.Context, sel, name string) (string, error) {
		r, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
		return r.Value, err
	}
	wait := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitVisible(chromedp.CSS(sel)) }
	poll := func(cond string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(60*time.Second))
	}

	var scenario string
	step("load the page with soviet1991", func(ctx context.Context) (err error) {
		if err = chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), wait(`body[data-ready="1"]`)); err == nil {
			scenario, err = chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#scenario")))
		}
		return err
	})
	if scenario != "soviet1991" {
		t.Fatalf("the page opened %q, want soviet1991", scenario)
	}

	var firstMs, doneMs string
	step("run the baseline, wait until it is drawn", func(ctx context.Context) (err error) {
		if err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#run")), wait(`#chart-compare[data-runs="1"]`), wait(`#chart-roles[data-done="1"]`)); err != nil {
			return err
		}
		if firstMs, err = attr(ctx, "#status", "data-first-ms"); err != nil {
			return err
		}
		doneMs, err = attr(ctx, "#status", "data-done-ms")
		return err
	})
	t.Logf("baseline soviet1991 run: first chart update %s ms after the click, fully drawn %s ms after it", firstMs, doneMs)
	var nRoles, nTicks int
	step("check the live chart", func(ctx context.Context) (err error) {
		if nRoles, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#chart-roles polyline').length`)); err != nil {
			return err
		}
		nTicks, err = chromedp.Run(ctx, chromedp.Evaluate[int](`+document.querySelector('#chart-roles').dataset.ticks`))
		return err
	})
	if nRoles != 3 || nTicks != 104 {
		t.Fatalf("role chart: %d series and %d ticks, want 3 and 104", nRoles, nTicks)
	}
	var modesHidden bool
	step("no modes figure for soviet1991", func(ctx context.Context) (err error) {
		modesHidden, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#fig-modes').hidden`))
		return err
	})
	if !modesHidden {
		t.Fatal("the defection-modes figure is shown for soviet1991, which has no modes")
	}

	// Move the soldiers' pay slider from 1 to 0.6 with the keyboard (step
	// 0.01 on its [0, 2] range): 40 presses of the left arrow.
	acts := []chromedp.Action[chromedp.Void]{chromedp.Focus(chromedp.CSS("#param-regime_pay"))}
	for range 40 {
		acts = append(acts, chromedp.KeyEvent(kb.ArrowLeft))
	}
	acts = append(acts, poll(`document.querySelector('.param[data-key="regime.pay"] input[type=number]').value === "0.6"`))
	step("move the pay slider to 0.6 (keyboard)", do(acts...))

	step("run the what-if, wait for two runs compared", do(chromedp.Click(chromedp.CSS("#run")), wait(`#chart-compare[data-runs="2"]`)))
	var series []string
	step("read the comparison chart", func(ctx context.Context) (err error) {
		series, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#chart-compare polyline')].map(p => p.dataset.series)`))
		return err
	})
	if len(series) != 2 {
		t.Fatalf("the soldiers' comparison chart has %d series, want 2: %q", len(series), series)
	}
	if !strings.HasPrefix(series[0], "1. baseline") || !strings.Contains(series[1], "pay 1→0.6") {
		t.Fatalf("comparison labels %q, want the baseline and the pay change", series)
	}

	step("run a one-parameter sweep (3 values × 2)", do(
		chromedp.SetValue(chromedp.CSS("#reps"), "2"),
		chromedp.SetValue(chromedp.CSS("#p1"), "regime.repression"),
		chromedp.SetValue(chromedp.CSS("#v1"), "0.3,0.6,0.9"),
		chromedp.Click(chromedp.CSS("#batch")),
		wait(`#chart-batch[data-done="1"]`)))
	var nBatch int
	step("read the sweep chart", func(ctx context.Context) (err error) {
		nBatch, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#chart-batch circle').length`))
		return err
	})
	if nBatch != 6 {
		t.Fatalf("the sweep chart has %d points, want 3 values × 2 series", nBatch)
	}

	if shot := os.Getenv("TURNCOAT_SCREENSHOT"); shot != "" {
		step("screenshot", func(ctx context.Context) error {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err == nil {
				err = os.WriteFile(shot, png, 0o644)
			}
			return err
		})
	}

	var href, runID string
	step("export the YAML on screen", func(ctx context.Context) (err error) {
		if href, err = attr(ctx, "#export-yaml", "href"); err != nil {
			return err
		}
		runID, err = attr(ctx, "#runlist li:nth-child(2)", "data-id")
		return err
	})
	if href == "" || runID == "" {
		t.Fatalf("export link %q, run id %q", href, runID)
	}
	if !strings.HasPrefix(href, "http") {
		href = ts.URL + href
	}
	yaml := fetch(t, href)
	file := filepath.Join(t.TempDir(), "whatif.yaml")
	if err := os.WriteFile(file, yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	pageSum := fetch(t, ts.URL+"/api/runs/"+runID+"/files/summary.json")

	out := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command(bin, "run", file, "--seed", "1", "--out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("turncoat run %s: %v\n%s", file, err, b)
	}
	cliSum, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pageSum, cliSum) {
		t.Fatalf("turncoat run on the exported YAML gives a different summary.json:\npage: %s\ncli:  %s", pageSum, cliSum)
	}
	t.Logf("turncoat run on the exported YAML reproduces the page's summary.json (%d bytes)", len(cliSum))
	if ms, err := strconv.ParseFloat(doneMs, 64); err != nil || ms <= 0 {
		t.Fatalf("the page recorded no run time: %q", doneMs)
	}
	// A scenario with defection modes: the modes figure appears with a
	// line per role and mode (citizens: voice and exit; soldiers and
	// elites: all four) and the emigrants so far.
	step("load gdr1989 and run it, wait for the modes figure", do(
		chromedp.SetValue(chromedp.CSS("#scenario"), "gdr1989"),
		chromedp.Click(chromedp.CSS("#load")),
		wait(`body[data-scenario="gdr1989"]`),
		chromedp.Click(chromedp.CSS("#run")),
		wait(`#chart-modes[data-done="1"]`)))
	var nModes, emigrants int
	step("read the modes figure", func(ctx context.Context) (err error) {
		if nModes, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#chart-modes polyline').length`)); err != nil {
			return err
		}
		emigrants, err = chromedp.Run(ctx, chromedp.Evaluate[int](`+document.querySelector('#chart-modes').dataset.emigrants`))
		return err
	})
	if nModes != 10 || emigrants <= 0 {
		t.Fatalf("modes figure: %d series and %d emigrants, want 10 series and some emigrants", nModes, emigrants)
	}
	// Runs of two scenarios side by side: each label names its scenario,
	// so the two baselines do not read as one run.
	step("read the comparison chart across scenarios", do(wait(`#chart-compare[data-runs="3"]`)))
	step("read the comparison labels", func(ctx context.Context) (err error) {
		series, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#chart-compare polyline')].map(p => p.dataset.series)`))
		return err
	})
	if len(series) != 3 || !strings.HasPrefix(series[0], "1. soviet1991: baseline") || !strings.HasPrefix(series[2], "3. gdr1989: baseline") {
		t.Fatalf("comparison labels across scenarios %q, want each prefixed with its scenario", series)
	}
}
