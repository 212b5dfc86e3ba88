#!/usr/bin/env bash
# Installs and starts a single-node Slurm cluster on localhost for the
# integration test (cmd/turncoat TestSlurmJobArray). Needs root and Debian's
# packages slurm-wlm and munge. Starts the daemons directly (no systemd):
# munged, slurmctld and slurmd, with process tracking by /proc
# (proctrack/linuxproc) and no task plugin, so no cgroups are needed.
# Exits 0 when `sinfo` shows the node idle; non-zero with the reason
# otherwise. Logs go to $SLURM_LOG_DIR (default /tmp/turncoat-slurm).
#
# What worked on the development machines (Debian 12, Slurm 22.05.8, a
# gVisor container without systemd, cgroup v1 mounted): munged started as
# the munge user; `slurmctld -c` and `slurmd` started directly (they
# daemonise); the node idle within 5 s. What did not: CgroupPlugin=disabled
# in cgroup.conf (22.05 has no such plugin: slurmd exits), so no
# cgroup.conf is written. Addresses are pinned to 127.0.0.1 so that the
# host name need not resolve.
set -euo pipefail
LOG=${SLURM_LOG_DIR:-/tmp/turncoat-slurm}
mkdir -p "$LOG"

if [ "$(id -u)" != 0 ]; then echo "slurm-setup: needs root"; exit 1; fi

if ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
  echo "slurm-setup: installing slurm-wlm and munge"
  (timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq slurm-wlm munge) \
    > "$LOG/apt.log" 2>&1 || { echo "slurm-setup: apt-get install failed (see $LOG/apt.log)"; tail -5 "$LOG/apt.log"; exit 1; }
fi

# If a controller already answers with an idle node, reuse it.
if timeout 5 sinfo -h -o %t 2> /dev/null | grep -qx idle; then
  echo "slurm-setup: Slurm already running"; exit 0
fi

# munge: a key, its directories, the daemon.
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
[ -s /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2> /dev/null
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge 2> /dev/null || true
chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key
if ! pgrep -x munged > /dev/null; then
  if id munge > /dev/null 2>&1; then
    runuser -u munge -- munged > "$LOG/munged.out" 2>&1 || munged --force > "$LOG/munged.out" 2>&1
  else
    munged --force > "$LOG/munged.out" 2>&1
  fi
fi
munge -n | unmunge > /dev/null || { echo "slurm-setup: munge does not work"; cat "$LOG/munged.out"; exit 1; }

# slurm.conf for one node: this host, all its CPUs and memory.
host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=turncoat
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
# No cgroup.conf: slurmd loads the cgroup/v1 plugin but, with
# proctrack/linuxproc and task/none, never needs to create a cgroup.

pgrep -x slurmctld > /dev/null || slurmctld -c > "$LOG/slurmctld.out" 2>&1 || { echo "slurm-setup: slurmctld did not start"; tail -20 "$LOG/slurmctld.out" "$LOG/slurmctld.log" 2> /dev/null; exit 1; }
pgrep -x slurmd > /dev/null || slurmd > "$LOG/slurmd.out" 2>&1 || { echo "slurm-setup: slurmd did not start"; tail -20 "$LOG/slurmd.out" "$LOG/slurmd.log" 2> /dev/null; exit 1; }

for _ in $(seq 1 30); do
  state=$(timeout 5 sinfo -h -o %t 2> /dev/null || true)
  if [ "$state" = idle ]; then echo "slurm-setup: node $host idle ($cpus CPUs)"; exit 0; fi
  if [ "$state" = down ] || [ "$state" = "down*" ] || [ "$state" = drain ]; then
    scontrol update nodename="$host" state=resume > /dev/null 2>&1 || true
  fi
  sleep 1
done
echo "slurm-setup: the node did not become idle (state: ${state:-none})"
tail -20 "$LOG/slurmctld.log" "$LOG/slurmd.log" 2> /dev/null
exit 1
