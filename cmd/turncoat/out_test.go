package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOutNeverDestroysUserFiles: issue 20 items 1 and 9. Every command
// that takes --out, given a path it did not create (a regular file, a
// symlink, a FIFO), fails without deleting, truncating or replacing it.
// report --out FILE.html replaces a regular file (it names the file to
// write), never a special one.
func TestOutNeverDestroysUserFiles(t *testing.T) {
	base := t.TempDir()
	grid, err := filepath.Abs("../../sweep/testdata/grid.yaml")
	require.NoError(t, err)
	runDir := filepath.Join(base, "run")
	_, _, err = runCLI(t, "run", "../../sweep/testdata/tiny.yaml", "--out", runDir)
	require.NoError(t, err)
	var shards []string
	for i := 0; i < 2; i++ {
		d := filepath.Join(base, "s"+string(rune('0'+i)))
		_, _, err = runCLI(t, "sweep", grid, "--shard", string(rune('0'+i))+"/2", "--out", d, "--quiet")
		require.NoError(t, err)
		shards = append(shards, d)
	}
	fifo := filepath.Join(base, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	target := filepath.Join(base, "target")
	require.NoError(t, os.WriteFile(target, []byte("target"), 0o644))
	link := filepath.Join(base, "link")
	require.NoError(t, os.Symlink(target, link))

	commands := map[string]func(out string) []string{
		"run":   func(out string) []string { return []string{"run", "../../sweep/testdata/tiny.yaml", "--out", out} },
		"sweep": func(out string) []string { return []string{"sweep", grid, "--out", out, "--quiet"} },
		"merge": func(out string) []string { return append([]string{"merge", "--out", out}, shards...) },
		"plot":  func(out string) []string { return []string{"plot", runDir, "--out", out} },
		"cases build": func(out string) []string {
			return []string{"cases", "build", "uprisings.csv", "--case", "iran1978", "--out", out}
		},
	}
	for name, args := range commands {
		t.Run(name, func(t *testing.T) {
			precious := filepath.Join(t.TempDir(), "precious.txt")
			require.NoError(t, os.WriteFile(precious, []byte("keep me"), 0o644))
			_, _, err := runCLI(t, args(precious)...)
			assert.Error(t, err)
			b, rerr := os.ReadFile(precious)
			require.NoError(t, rerr, "%s deleted the file named by --out", name)
			assert.Equal(t, "keep me", string(b))
		})
	}
	t.Run("report", func(t *testing.T) {
		for _, p := range []string{link, fifo} {
			before, _ := os.Lstat(p)
			_, _, err := runCLI(t, "report", runDir, "--out", p)
			assert.Error(t, err, p)
			after, lerr := os.Lstat(p)
			require.NoError(t, lerr)
			assert.Equal(t, before.Mode(), after.Mode(), "%s was replaced", p)
		}
		b, _ := os.ReadFile(target)
		assert.Equal(t, "target", string(b))
		html := filepath.Join(base, "r.html")
		require.NoError(t, os.WriteFile(html, []byte("old"), 0o644))
		_, _, err := runCLI(t, "report", runDir, "--out", html)
		require.NoError(t, err)
		b, _ = os.ReadFile(html)
		assert.True(t, strings.Contains(string(b), "<html") || strings.Contains(string(b), "<!DOCTYPE"), "report written")
	})
}

// TestNamesStayInsideRuns: issue 20 item 7. A scenario or sweep name
// with "..", "/" or "\" gives a default directory inside runs/.
func TestNamesStayInsideRuns(t *testing.T) {
	for _, name := range []string{"../escaped", "a/b", "..", "/abs", `c:\x`} {
		s := safeName(name)
		assert.NotContains(t, s, "/")
		assert.NotContains(t, s, "..")
		assert.NotEmpty(t, s)
	}
	dir := t.TempDir()
	scen, err := os.ReadFile("../../sweep/testdata/tiny.yaml")
	require.NoError(t, err)
	evil := filepath.Join(dir, "evil.yaml")
	require.NoError(t, os.WriteFile(evil, []byte(strings.Replace(string(scen), "name: tiny", `name: "../escaped"`, 1)), 0o644))
	work := filepath.Join(dir, "work")
	require.NoError(t, os.Mkdir(work, 0o755))
	t.Chdir(work)
	_, _, err = runCLI(t, "run", evil)
	require.NoError(t, err)
	entries, _ := os.ReadDir(".")
	require.Len(t, entries, 1, "only runs/ in the working directory")
	assert.Equal(t, "runs", entries[0].Name())
	_, err = os.Stat(filepath.Join(dir, "escaped"))
	assert.True(t, os.IsNotExist(err))
	m, _ := filepath.Glob(filepath.Join(dir, "escaped*"))
	assert.Empty(t, m, "nothing outside runs/")
}

// TestRunForceRemovesStaleFiles: issue 20 item 8. run --force into a
// directory that held an Epstein run leaves no grid.csv behind, so plot
// reads the new run.
func TestRunForceRemovesStaleFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "grid.csv"), []byte("tick,x,y,kind\n0,NaN,0,1\n"), 0o644))
	own := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(own, []byte("mine"), 0o644))
	_, _, err := runCLI(t, "run", "../../sweep/testdata/tiny.yaml", "--out", dir, "--force")
	require.NoError(t, err)
	assert.NoFileExists(t, filepath.Join(dir, "grid.csv"))
	assert.FileExists(t, own, "a file turncoat does not write is kept")
	_, _, err = runCLI(t, "plot", dir, "--out", filepath.Join(dir, "figures"))
	assert.NoError(t, err)
}
