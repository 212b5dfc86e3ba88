package plots_test

import (
	"bytes"
	"context"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/turncoat-abm/turncoat/plots"
	"github.com/turncoat-abm/turncoat/regime"
	"github.com/turncoat-abm/turncoat/scenarios"
	"github.com/turncoat-abm/turncoat/sweep"
)

// reports writes the report of a soviet1991 run and of a small sobol sweep.
func reports(t *testing.T) []string {
	t.Helper()
	tmp := t.TempDir()
	cfg, err := scenarios.Load("soviet1991")
	require.NoError(t, err)
	run := filepath.Join(tmp, "run")
	_, err = regime.RunDir(context.Background(), cfg, 1, run)
	require.NoError(t, err)
	spec, err := sweep.Load("../sweep/testdata/sobol.yaml")
	require.NoError(t, err)
	sw := filepath.Join(tmp, "sweep")
	_, err = sweep.Run(context.Background(), spec, sweep.Options{Dir: sw})
	require.NoError(t, err)
	var paths []string
	for _, d := range []string{run, sw} {
		var b bytes.Buffer
		require.NoError(t, plots.Report(d, &b))
		p := filepath.Join(d, "report.html")
		require.NoError(t, os.WriteFile(p, b.Bytes(), 0o644))
		paths = append(paths, p)
	}
	return paths
}

// TestReportIsSelfContained parses each report and checks that it holds
// inline SVG figures, its tables, and no reference to anything outside.
func TestReportIsSelfContained(t *testing.T) {
	for _, p := range reports(t) {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		doc, err := html.Parse(bytes.NewReader(b))
		require.NoError(t, err)
		counts := map[string]int{}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				counts[n.Data]++
				for _, a := range n.Attr {
					if (a.Key == "src" || a.Key == "href") && !strings.HasPrefix(a.Val, "#") {
						t.Errorf("%s: <%s %s=%q> refers outside the file", p, n.Data, a.Key, a.Val)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		assert.GreaterOrEqual(t, counts["svg"], 3, p)
		assert.GreaterOrEqual(t, counts["table"], 2, p)
		assert.Zero(t, counts["script"]+counts["link"]+counts["img"], p)
	}
}

// TestReportRendersInChromium renders each report in headless Chromium
// (when installed) and checks the screenshot is not blank.
func TestReportRendersInChromium(t *testing.T) {
	chrome, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install chromium); the report's rendering is not checked")
	}
	for _, p := range reports(t) {
		shot := p + ".png"
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		cmd := exec.CommandContext(ctx, chrome, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir="+t.TempDir(),
			"--hide-scrollbars", "--window-size=1100,1600", "--screenshot="+shot, "file://"+p)
		out, err := cmd.CombinedOutput()
		cancel()
		require.NoError(t, err, string(out))
		f, err := os.Open(shot)
		require.NoError(t, err)
		img, _, err := image.Decode(f)
		f.Close()
		require.NoError(t, err)
		assert.Greater(t, pixelVariance(img), 0.003, "%s renders blank", p)
	}
}
