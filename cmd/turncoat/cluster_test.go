package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/sweep"
)

const sobolSweep = "../../sweep/testdata/sobol.yaml"

var sobolFiles = append(append([]string{}, sweepFiles...), sweep.SensitivityFile)

// slurmEnv is what Slurm sets in task i of `sbatch --array=0-(n-1)` (as
// seen on Slurm 22.05).
func slurmEnv(i, n int) []string {
	return []string{"SLURM_ARRAY_JOB_ID=41", "SLURM_ARRAY_TASK_ID=" + strconv.Itoa(i), "SLURM_ARRAY_TASK_MIN=0",
		"SLURM_ARRAY_TASK_MAX=" + strconv.Itoa(n-1), "SLURM_ARRAY_TASK_STEP=1", "SLURM_ARRAY_TASK_COUNT=" + strconv.Itoa(n)}
}

func setEnv(t *testing.T, kv []string) {
	t.Helper()
	for _, e := range kv {
		k, v, _ := strings.Cut(e, "=")
		t.Setenv(k, v)
	}
}

// TestSweepShardAutoSimulated runs a sweep as the four tasks of a Slurm
// job array would (the variables Slurm sets, one task after another),
// requeues one, merges the parent directory and compares the bytes with
// the unsharded sweep. TestSlurmJobArray does the same on a real Slurm.
func TestSweepShardAutoSimulated(t *testing.T) {
	tmp := t.TempDir()
	full := filepath.Join(tmp, "full")
	_, _, err := runCLI(t, "sweep", sobolSweep, "--out", full, "--quiet")
	require.NoError(t, err)

	parent := filepath.Join(tmp, "shards")
	for i := 0; i < 4; i++ {
		setEnv(t, slurmEnv(i, 4))
		out, _, err := runCLI(t, "sweep", sobolSweep, "--shard", "auto", "--out", parent, "--quiet")
		require.NoError(t, err)
		assert.Contains(t, out, "shard "+strconv.Itoa(i)+"/4, from Slurm job array: SLURM_ARRAY_TASK_ID="+strconv.Itoa(i))
		assert.Contains(t, out, filepath.Join(parent, "shard-"+strconv.Itoa(i)+"-of-4"))
	}
	// A requeued task finds its shard complete and does nothing.
	setEnv(t, slurmEnv(2, 4))
	out, _, err := runCLI(t, "sweep", sobolSweep, "--shard", "auto", "--out", parent, "--quiet")
	require.NoError(t, err)
	assert.Contains(t, out, "shard 2/4 is already complete")

	merged := filepath.Join(tmp, "merged")
	out, _, err = runCLI(t, "merge", parent, "--out", merged)
	require.NoError(t, err)
	assert.Contains(t, out, "merged ")
	sameDirs(t, full, merged, sobolFiles...)
}

func TestSweepShardAutoErrors(t *testing.T) {
	for _, k := range []string{"TURNCOAT_SHARD_INDEX", "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX",
		"BATCH_TASK_INDEX", "SGE_TASK_ID", "LSB_JOBINDEX", "PBS_ARRAY_INDEX", "PBS_ARRAYID"} {
		t.Setenv(k, "")
	}
	out := filepath.Join(t.TempDir(), "o")
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"no scheduler", nil, []string{"--out", out}, "--shard auto found no array task index in the environment"},
		{"no --out", nil, nil, "--shard auto needs --out DIR"},
		{"with --resume", nil, []string{"--out", out, "--resume"}, "drop --resume and --force"},
		{"kubernetes without --shards", []string{"JOB_COMPLETION_INDEX=1"}, []string{"--out", out}, "Kubernetes Indexed Job (JOB_COMPLETION_INDEX=1) does not tell the number of shards: add --shards N"},
		{"--shards without auto", nil, []string{"--shards", "4"}, "--shards goes with --shard auto"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			setEnv(t, tc.env)
			args := []string{"sweep", gridSweep, "--shard", "auto"}
			if tc.name == "--shards without auto" {
				args = []string{"sweep", gridSweep}
			}
			_, _, err := runCLI(t, append(args, tc.args...)...)
			require.Error(t, err)
			assert.ErrorIs(t, err, errUsage)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// Kubernetes with --shards works, into DIR/shard-1-of-3.
	t.Setenv("JOB_COMPLETION_INDEX", "1")
	_, _, err := runCLI(t, "sweep", gridSweep, "--shard", "auto", "--shards", "3", "--out", out, "--quiet")
	require.NoError(t, err)
	m, err := sweep.ReadManifest(filepath.Join(out, "shard-1-of-3"))
	require.NoError(t, err)
	assert.Equal(t, "1/3", m.Shard)
}

// TestSlurmJobArray submits a sweep to a real Slurm with the recipe of
// examples/cluster/slurm (submit.sh: a job array of four tasks running
// `turncoat sweep --shard auto`, and the merge as a job that depends on the
// array), and compares
// the merged files with the local unsharded sweep, byte for byte; then it
// submits the array again, as a requeue would, and checks that every task
// finds its shard complete. It needs a running Slurm (.ci/slurm-setup.sh
// starts one on localhost) and TURNCOAT_SLURM_TEST=1.
func TestSlurmJobArray(t *testing.T) {
	if os.Getenv("TURNCOAT_SLURM_TEST") == "" {
		t.Skip("set TURNCOAT_SLURM_TEST=1 to submit to the local Slurm (start one with .ci/slurm-setup.sh)")
	}
	if _, err := exec.LookPath("sbatch"); err != nil {
		t.Fatal("TURNCOAT_SLURM_TEST is set but sbatch is not on PATH")
	}
	start := time.Now()
	tmp, err := os.MkdirTemp("", "turncoat-slurm-") // not t.TempDir: the jobs write there too
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(tmp) })
	bin := buildBinary(t, tmp)
	spec, err := filepath.Abs(sobolSweep)
	require.NoError(t, err)

	full := filepath.Join(tmp, "full")
	require.NoError(t, exec.Command(bin, "sweep", spec, "--out", full, "--quiet").Run())

	// The recipe itself: submit.sh submits sweep.sbatch as an array of 4
	// and merge.sbatch after it (--wait: sbatch returns when the merge
	// has run). Options that suit a 2-CPU machine override the recipe's.
	recipe, err := filepath.Abs("../../examples/cluster/slurm")
	require.NoError(t, err)
	dir := filepath.Join(tmp, "sweep")
	submit := exec.Command(filepath.Join(recipe, "submit.sh"), spec, dir, "4")
	submit.Env = append(os.Environ(), "TURNCOAT="+bin,
		"SBATCH_SWEEP_OPTS=--cpus-per-task=1 --mem-per-cpu=100M --time=5",
		"SBATCH_MERGE_OPTS=--mem=100M --time=5 --wait")
	out, err := submit.CombinedOutput()
	require.NoError(t, err, "submit.sh: %s", out)
	t.Logf("submit.sh: %s", out)
	var arrayID string
	_, err = fmt.Sscanf(string(out), "sweep: job array %s", &arrayID)
	require.NoError(t, err)
	logs, _ := filepath.Glob(filepath.Join(dir, "*.out"))
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		t.Logf("%s:\n%s", filepath.Base(l), b)
	}
	sameDirs(t, full, filepath.Join(dir, "merged"), sobolFiles...)
	for i := 0; i < 4; i++ {
		b, err := os.ReadFile(filepath.Join(dir, "turncoat-sweep-"+arrayID+"_"+strconv.Itoa(i)+".out"))
		require.NoError(t, err)
		assert.Contains(t, string(b), "shard "+strconv.Itoa(i)+"/4, from Slurm job array")
	}

	// The same array again (a requeue, or a user resubmitting): no-op.
	again := exec.Command("sbatch", "--parsable", "--wait", "--chdir", dir, "--array", "0-3", "--cpus-per-task=1", "--mem-per-cpu=100M", "--time=5",
		"--output", filepath.Join(dir, "again-%A_%a.out"), "--export", "ALL,TURNCOAT="+bin+",SPEC="+spec+",OUT="+filepath.Join(dir, "shards"),
		filepath.Join(recipe, "sweep.sbatch"))
	out, err = again.CombinedOutput()
	require.NoError(t, err, "sbatch: %s", out)
	id, _, _ := strings.Cut(strings.TrimSpace(string(out)), ";")
	for i := 0; i < 4; i++ {
		b, err := os.ReadFile(filepath.Join(dir, "again-"+id+"_"+strconv.Itoa(i)+".out"))
		require.NoError(t, err)
		assert.Contains(t, string(b), "is already complete", "task %d", i)
	}
	t.Logf("Slurm job array test took %s", time.Since(start).Round(time.Millisecond))
}
