package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/regime"
)

// TestSweepDiskFullIsResumable fills a small tmpfs mid-sweep: the error
// says the disk is full and how to resume; after the file system grows,
// --resume finishes with files identical to a sweep that never failed.
func TestSweepDiskFullIsResumable(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=256k"); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	args := []string{"sweep", gridSweep, "--quiet", "--set", "replicates=400"}
	ref := filepath.Join(t.TempDir(), "ref")
	_, _, err := runCLI(t, append(args, "--out", ref)...)
	require.NoError(t, err)

	dir := filepath.Join(mnt, "s")
	_, _, err = runCLI(t, append(args, "--out", dir)...)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the disk is full")
	assert.Contains(t, err.Error(), "--resume")
	require.NoError(t, syscall.Mount("tmpfs", mnt, "tmpfs", syscall.MS_REMOUNT, "size=64m"))
	_, _, err = runCLI(t, append(args, "--out", dir, "--resume")...)
	require.NoError(t, err)
	sameDirs(t, ref, dir, sweepFiles...)
}

// TestRunDiskFull: a run that cannot write its files leaves none behind.
func TestRunDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=64k"); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	dir := filepath.Join(mnt, "run")
	_, _, err := runCLI(t, "run", "soviet1991", "--out", dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the disk is full")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Errorf("left %s behind", e.Name())
	}
}

// TestRunKilledLeavesWholeFiles kills `run --force` over an earlier run at
// random moments: every file is then either the earlier one or the new one,
// never a mixture or a fragment.
func TestRunKilledLeavesWholeFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it repeatedly")
	}
	tmp := t.TempDir()
	bin := buildBinary(t, tmp)
	args := func(seed, out string) []string {
		return []string{"run", "soviet1991", "--set", "scale=4", "--seed", seed, "--out", out, "--json"}
	}
	oldRef, newRef, dir := filepath.Join(tmp, "old"), filepath.Join(tmp, "new"), filepath.Join(tmp, "dir")
	require.NoError(t, exec.Command(bin, args("1", oldRef)...).Run())
	require.NoError(t, exec.Command(bin, args("2", newRef)...).Run())
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))
	for i := 0; i < 5; i++ {
		os.RemoveAll(dir)
		require.NoError(t, exec.Command(bin, args("1", dir)...).Run())
		cmd := exec.Command(bin, append(args("2", dir), "--force")...)
		require.NoError(t, cmd.Start())
		time.Sleep(time.Duration(50+r.IntN(900)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		for _, f := range regime.RunFiles {
			got, err := os.ReadFile(filepath.Join(dir, f))
			require.NoError(t, err, "%s vanished", f)
			if f == "meta.json" {
				var m map[string]any
				assert.NoError(t, json.Unmarshal(got, &m), "meta.json is whole")
				continue
			}
			o, _ := os.ReadFile(filepath.Join(oldRef, f))
			n, _ := os.ReadFile(filepath.Join(newRef, f))
			assert.True(t, string(got) == string(o) || string(got) == string(n), "kill %d: %s is neither the old nor the new file", i, f)
		}
		// A rerun cleans up the temporary files the kill left.
		require.NoError(t, exec.Command(bin, append(args("2", dir), "--force")...).Run())
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			assert.False(t, strings.Contains(e.Name(), ".tmp-"), "stale temporary file %s", e.Name())
		}
	}
}
