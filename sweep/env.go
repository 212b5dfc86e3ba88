package sweep

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrNoShardEnv is returned by ShardFromEnv when no scheduler's task index
// is in the environment.
var ErrNoShardEnv = errors.New("sweep: --shard auto found no array task index in the environment")

// ShardEnv is the shard a batch scheduler assigned to this process.
type ShardEnv struct {
	Shard Shard
	// Scheduler names the scheduler whose variables gave the shard.
	Scheduler string
	// Vars are the variables read, "NAME=value", for messages and logs.
	Vars []string
}

// ShardFromEnv finds this process's shard of an array job from the
// environment, read through lookup (os.LookupEnv, or a map in tests).
// shards is the number of shards given on the command line (0: none);
// where the scheduler also exposes the count, the two must agree, and
// where it does not, shards is required. The schedulers, in the order they
// are tried:
//
//   - turncoat's own TURNCOAT_SHARD_INDEX (0-based) and optional
//     TURNCOAT_SHARD_COUNT, for any scheduler that can set an environment
//     variable from its task number (HTCondor: environment =
//     "TURNCOAT_SHARD_INDEX=$(Process)");
//   - Slurm job arrays: SLURM_ARRAY_TASK_ID, _MIN, _STEP and _COUNT; the
//     shard is (ID − MIN)/STEP of COUNT, so --array=0-15, 1-16 and 0-30:2
//     all give 16 shards; an index list that is not one arithmetic
//     sequence (--array=1,2,7) is refused;
//   - Kubernetes Indexed Jobs: JOB_COMPLETION_INDEX (0-based; the count,
//     spec.completions, is not exposed: give shards);
//   - AWS Batch array jobs: AWS_BATCH_JOB_ARRAY_INDEX (0-based) and
//     AWS_BATCH_JOB_ARRAY_SIZE;
//   - Google Cloud Batch: BATCH_TASK_INDEX (0-based) and BATCH_TASK_COUNT;
//   - Grid Engine (SGE, UGE, OGS): SGE_TASK_ID, SGE_TASK_FIRST,
//     SGE_TASK_LAST and SGE_TASK_STEPSIZE (qsub -t 1-16; SGE_TASK_ID is
//     "undefined" outside an array job);
//   - LSF: LSB_JOBINDEX, 1-based as LSF arrays are by default
//     (bsub -J "name[1-16]"): the shard is LSB_JOBINDEX − 1; the count is
//     shards, else LSB_JOBINDEX_END when set (LSB_JOBINDEX is 0 outside an
//     array job);
//   - PBS Pro: PBS_ARRAY_INDEX and Torque: PBS_ARRAYID, taken as 0-based
//     (qsub -J 0-15, qsub -t 0-15); the count is not exposed: give shards.
//
// It returns ErrNoShardEnv (wrapped, with the variables it looked for) when
// none is set, and an error naming the variables when their values do not
// make a shard.
func ShardFromEnv(lookup func(string) (string, bool), shards int) (ShardEnv, error) {
	if shards < 0 {
		return ShardEnv{}, fmt.Errorf("sweep: --shards must be >= 1, got %d", shards)
	}
	var vars []string
	get := func(name string) (int, bool, error) {
		s, ok := lookup(name)
		if !ok || s == "" {
			return 0, false, nil
		}
		vars = append(vars, name+"="+s)
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return 0, true, fmt.Errorf("sweep: %s=%q is not an integer", name, s)
		}
		return v, true, nil
	}
	// need reads variables that must be there once the scheduler is known.
	need := func(names ...string) ([]int, error) {
		out := make([]int, len(names))
		for i, n := range names {
			v, ok, err := get(n)
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, fmt.Errorf("sweep: %s is set but %s is not", vars[0], n)
			}
			out[i] = v
		}
		return out, nil
	}
	finish := func(sched string, index, count int, countFrom string) (ShardEnv, error) {
		env := ShardEnv{Scheduler: sched, Vars: vars}
		switch {
		case count == 0 && shards == 0:
			return env, fmt.Errorf("sweep: %s (%s) does not tell the number of shards: add --shards N", sched, strings.Join(vars, " "))
		case count == 0:
			count = shards
		case shards != 0 && shards != count:
			return env, fmt.Errorf("sweep: --shards %d disagrees with %s (%s of %d shards)", shards, sched, countFrom, count)
		}
		if count < 1 || index < 0 || index >= count {
			return env, fmt.Errorf("sweep: %s (%s) gives shard %d of %d, outside 0..%d", sched, strings.Join(vars, " "), index, count, count-1)
		}
		env.Shard = Shard{I: index, N: count}
		return env, nil
	}

	if i, ok, err := get("TURNCOAT_SHARD_INDEX"); ok || err != nil {
		if err != nil {
			return ShardEnv{}, err
		}
		n, _, err := get("TURNCOAT_SHARD_COUNT")
		if err != nil {
			return ShardEnv{}, err
		}
		return finish("TURNCOAT_SHARD_INDEX", i, n, "TURNCOAT_SHARD_COUNT")
	}
	if id, ok, err := get("SLURM_ARRAY_TASK_ID"); ok || err != nil {
		if err != nil {
			return ShardEnv{}, err
		}
		v, err := need("SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_STEP", "SLURM_ARRAY_TASK_COUNT")
		if err != nil {
			return ShardEnv{}, err
		}
		lo, step, count := v[0], v[1], v[2]
		if step < 1 {
			return ShardEnv{}, fmt.Errorf("sweep: Slurm job array step %d (SLURM_ARRAY_TASK_STEP) must be >= 1", step)
		}
		hi, hasMax, err := get("SLURM_ARRAY_TASK_MAX")
		if err != nil {
			return ShardEnv{}, err
		}
		if (id-lo)%step != 0 || (hasMax && (hi-lo)/step+1 != count) {
			return ShardEnv{}, fmt.Errorf("sweep: the Slurm job array's indices are not one arithmetic sequence (%s): submit with --array=MIN-MAX[:STEP]", strings.Join(vars, " "))
		}
		return finish("Slurm job array", (id-lo)/step, count, "SLURM_ARRAY_TASK_COUNT")
	}
	if i, ok, err := get("JOB_COMPLETION_INDEX"); ok || err != nil {
		if err != nil {
			return ShardEnv{}, err
		}
		return finish("Kubernetes Indexed Job", i, 0, "")
	}
	if i, ok, err := get("AWS_BATCH_JOB_ARRAY_INDEX"); ok || err != nil {
		if err != nil {
			return ShardEnv{}, err
		}
		n, _, err := get("AWS_BATCH_JOB_ARRAY_SIZE")
		if err != nil {
			return ShardEnv{}, err
		}
		return finish("AWS Batch array job", i, n, "AWS_BATCH_JOB_ARRAY_SIZE")
	}
	if i, ok, err := get("BATCH_TASK_INDEX"); ok || err != nil {
		if err != nil {
			return ShardEnv{}, err
		}
		n, _, err := get("BATCH_TASK_COUNT")
		if err != nil {
			return ShardEnv{}, err
		}
		return finish("Google Cloud Batch", i, n, "BATCH_TASK_COUNT")
	}
	if s, ok := lookup("SGE_TASK_ID"); ok && s != "" && s != "undefined" {
		id, _, err := get("SGE_TASK_ID")
		if err != nil {
			return ShardEnv{}, err
		}
		v, err := need("SGE_TASK_FIRST", "SGE_TASK_LAST", "SGE_TASK_STEPSIZE")
		if err != nil {
			return ShardEnv{}, err
		}
		first, last, step := v[0], v[1], v[2]
		if step < 1 || last < first || (id-first)%step != 0 {
			return ShardEnv{}, fmt.Errorf("sweep: the Grid Engine task range is inconsistent (%s)", strings.Join(vars, " "))
		}
		return finish("Grid Engine array job", (id-first)/step, (last-first)/step+1, "SGE_TASK_FIRST..SGE_TASK_LAST")
	}
	if s, ok := lookup("LSB_JOBINDEX"); ok && s != "" && s != "0" {
		id, _, err := get("LSB_JOBINDEX")
		if err != nil {
			return ShardEnv{}, err
		}
		n := 0
		if shards == 0 {
			if n, _, err = get("LSB_JOBINDEX_END"); err != nil {
				return ShardEnv{}, err
			}
		}
		return finish("LSF job array", id-1, n, "LSB_JOBINDEX_END")
	}
	for _, name := range []string{"PBS_ARRAY_INDEX", "PBS_ARRAYID"} {
		if i, ok, err := get(name); ok || err != nil {
			if err != nil {
				return ShardEnv{}, err
			}
			sched := "PBS Pro job array"
			if name == "PBS_ARRAYID" {
				sched = "Torque job array"
			}
			return finish(sched, i, 0, "")
		}
	}
	return ShardEnv{}, fmt.Errorf("%w (looked for TURNCOAT_SHARD_INDEX, SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, BATCH_TASK_INDEX, SGE_TASK_ID, LSB_JOBINDEX, PBS_ARRAY_INDEX, PBS_ARRAYID): run it as an array task, or give --shard i/n", ErrNoShardEnv)
}
