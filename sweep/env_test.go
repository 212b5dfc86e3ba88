package sweep_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turncoat-abm/turncoat/sweep"
)

func TestShardFromEnv(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		shards int
		want   sweep.Shard
		sched  string
		err    string // substring of the error; "" for success
	}{
		// Values as the schedulers set them (Slurm's checked on a real
		// Slurm 22.05: sbatch --array=0-3, 1-7:3 and 1,2,7).
		{name: "slurm 0-3", env: map[string]string{"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "3", "SLURM_ARRAY_TASK_STEP": "1", "SLURM_ARRAY_TASK_COUNT": "4"},
			want: sweep.Shard{I: 2, N: 4}, sched: "Slurm job array"},
		{name: "slurm 1-16 (1-based)", env: map[string]string{"SLURM_ARRAY_TASK_ID": "16", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "16", "SLURM_ARRAY_TASK_STEP": "1", "SLURM_ARRAY_TASK_COUNT": "16"},
			want: sweep.Shard{I: 15, N: 16}, sched: "Slurm job array"},
		{name: "slurm 1-7:3 with a step", env: map[string]string{"SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_STEP": "3", "SLURM_ARRAY_TASK_COUNT": "3"},
			want: sweep.Shard{I: 1, N: 3}, sched: "Slurm job array"},
		{name: "slurm throttled 0-99%10 (count unchanged)", env: map[string]string{"SLURM_ARRAY_TASK_ID": "99", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "99", "SLURM_ARRAY_TASK_STEP": "1", "SLURM_ARRAY_TASK_COUNT": "100"},
			want: sweep.Shard{I: 99, N: 100}, sched: "Slurm job array"},
		{name: "slurm agrees with --shards", env: map[string]string{"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_STEP": "1", "SLURM_ARRAY_TASK_COUNT": "4"}, shards: 4,
			want: sweep.Shard{I: 0, N: 4}, sched: "Slurm job array"},
		{name: "slurm disagrees with --shards", env: map[string]string{"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_STEP": "1", "SLURM_ARRAY_TASK_COUNT": "4"}, shards: 8,
			err: "--shards 8 disagrees with Slurm job array (SLURM_ARRAY_TASK_COUNT of 4 shards)"},
		{name: "slurm index list 1,2,7", env: map[string]string{"SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_STEP": "1", "SLURM_ARRAY_TASK_COUNT": "3"},
			err: "not one arithmetic sequence"},
		{name: "slurm without MIN", env: map[string]string{"SLURM_ARRAY_TASK_ID": "7"},
			err: "SLURM_ARRAY_TASK_ID=7 is set but SLURM_ARRAY_TASK_MIN is not"},
		{name: "slurm garbage", env: map[string]string{"SLURM_ARRAY_TASK_ID": "x"},
			err: `SLURM_ARRAY_TASK_ID="x" is not an integer`},

		{name: "kubernetes indexed job", env: map[string]string{"JOB_COMPLETION_INDEX": "5"}, shards: 8,
			want: sweep.Shard{I: 5, N: 8}, sched: "Kubernetes Indexed Job"},
		{name: "kubernetes without --shards", env: map[string]string{"JOB_COMPLETION_INDEX": "5"},
			err: "Kubernetes Indexed Job (JOB_COMPLETION_INDEX=5) does not tell the number of shards: add --shards N"},
		{name: "kubernetes index past --shards", env: map[string]string{"JOB_COMPLETION_INDEX": "8"}, shards: 8,
			err: "gives shard 8 of 8, outside 0..7"},

		{name: "aws batch with size", env: map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "0", "AWS_BATCH_JOB_ARRAY_SIZE": "10"},
			want: sweep.Shard{I: 0, N: 10}, sched: "AWS Batch array job"},
		{name: "aws batch with --shards only", env: map[string]string{"AWS_BATCH_JOB_ARRAY_INDEX": "9"}, shards: 10,
			want: sweep.Shard{I: 9, N: 10}, sched: "AWS Batch array job"},

		{name: "google batch", env: map[string]string{"BATCH_TASK_INDEX": "3", "BATCH_TASK_COUNT": "4"},
			want: sweep.Shard{I: 3, N: 4}, sched: "Google Cloud Batch"},

		{name: "grid engine qsub -t 1-16", env: map[string]string{"SGE_TASK_ID": "1", "SGE_TASK_FIRST": "1", "SGE_TASK_LAST": "16", "SGE_TASK_STEPSIZE": "1"},
			want: sweep.Shard{I: 0, N: 16}, sched: "Grid Engine array job"},
		{name: "grid engine qsub -t 2-10:2", env: map[string]string{"SGE_TASK_ID": "10", "SGE_TASK_FIRST": "2", "SGE_TASK_LAST": "10", "SGE_TASK_STEPSIZE": "2"},
			want: sweep.Shard{I: 4, N: 5}, sched: "Grid Engine array job"},
		{name: "grid engine, not an array job", env: map[string]string{"SGE_TASK_ID": "undefined"},
			err: "found no array task index"},

		{name: "lsf [1-16] with --shards", env: map[string]string{"LSB_JOBINDEX": "16"}, shards: 16,
			want: sweep.Shard{I: 15, N: 16}, sched: "LSF job array"},
		{name: "lsf with LSB_JOBINDEX_END", env: map[string]string{"LSB_JOBINDEX": "1", "LSB_JOBINDEX_END": "16"},
			want: sweep.Shard{I: 0, N: 16}, sched: "LSF job array"},
		{name: "lsf, not an array job", env: map[string]string{"LSB_JOBINDEX": "0"},
			err: "found no array task index"},

		{name: "pbs pro -J 0-15", env: map[string]string{"PBS_ARRAY_INDEX": "15"}, shards: 16,
			want: sweep.Shard{I: 15, N: 16}, sched: "PBS Pro job array"},
		{name: "torque -t 0-15", env: map[string]string{"PBS_ARRAYID": "0"}, shards: 16,
			want: sweep.Shard{I: 0, N: 16}, sched: "Torque job array"},
		{name: "pbs without --shards", env: map[string]string{"PBS_ARRAY_INDEX": "3"},
			err: "add --shards N"},

		{name: "htcondor through TURNCOAT_SHARD_INDEX", env: map[string]string{"TURNCOAT_SHARD_INDEX": "7"}, shards: 8,
			want: sweep.Shard{I: 7, N: 8}, sched: "TURNCOAT_SHARD_INDEX"},
		{name: "turncoat variables win over a scheduler's", env: map[string]string{"TURNCOAT_SHARD_INDEX": "1", "TURNCOAT_SHARD_COUNT": "2", "JOB_COMPLETION_INDEX": "5"},
			want: sweep.Shard{I: 1, N: 2}, sched: "TURNCOAT_SHARD_INDEX"},

		{name: "nothing", env: map[string]string{"HOME": "/root"},
			err: "--shard auto found no array task index in the environment"},
		{name: "negative --shards", env: map[string]string{}, shards: -1, err: "--shards must be >= 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			got, err := sweep.ShardFromEnv(lookup, tc.shards)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.Shard)
			assert.Equal(t, tc.sched, got.Scheduler)
			assert.NotEmpty(t, got.Vars)
		})
	}
	_, err := sweep.ShardFromEnv(func(string) (string, bool) { return "", false }, 0)
	assert.True(t, errors.Is(err, sweep.ErrNoShardEnv))
}
