#!/bin/bash
# Submits a sweep as a Slurm job array and its merge as a dependent job.
#
#   ./submit.sh SWEEP.yaml SHARED_DIR [SHARDS]
#
# writes SHARED_DIR/shards/shard-I-of-N/ (one per task) and, when all tasks
# have succeeded, SHARED_DIR/merged/. Extra sbatch options go in
# SBATCH_SWEEP_OPTS / SBATCH_MERGE_OPTS (e.g. --partition, --account).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
spec=$(realpath "$1"); dir=$(realpath -m "$2"); shards=${3:-16}
mkdir -p "$dir"
export TURNCOAT=${TURNCOAT:-$(command -v turncoat)} SPEC=$spec OUT=$dir/shards MERGED=$dir/merged
# shellcheck disable=SC2086
jid=$(sbatch --parsable --chdir "$dir" --array "0-$((shards - 1))" ${SBATCH_SWEEP_OPTS:-} "$here/sweep.sbatch")
jid=${jid%%;*}
# shellcheck disable=SC2086
mid=$(sbatch --parsable --chdir "$dir" --dependency "afterok:$jid" ${SBATCH_MERGE_OPTS:-} "$here/merge.sbatch")
echo "sweep: job array $jid ($shards tasks); merge: job ${mid%%;*} after it"
echo "watch: squeue -j $jid,${mid%%;*}; result: $dir/merged"
