#!/usr/bin/env bash
# A single-node Slurm on this machine (Debian slurm-wlm), to try scripts/slurm/sweep.sbatch and run
# tests/cli/sweep_slurm.sh for real. Needs root. Usage: local-slurm.sh start|stop|status
#   apt-get install --no-install-recommends slurmctld slurmd slurm-client munge   (once)
set -euo pipefail
CONF=/etc/slurm/slurm.conf
MARK="# accsim local single-node Slurm"
node="$(hostname -s)"

case "${1:-}" in
  start)
    command -v slurmctld >/dev/null || { echo "install slurmctld slurmd slurm-client munge first" >&2; exit 2; }
    if [ -f "$CONF" ] && ! grep -q "^$MARK" "$CONF"; then
      echo "$CONF exists and is not ours; not touching it" >&2; exit 2
    fi
    mkdir -p /var/spool/accsim-slurmctld /var/spool/accsim-slurmd /var/log/slurm /run/munge
    chown munge:munge /run/munge
    # linuxproc/none plugins: no cgroups needed, so it also runs in containers.
    cat > "$CONF" <<CONF
$MARK (scripts/slurm/local-slurm.sh)
ClusterName=accsimlocal
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=/var/spool/accsim-slurmctld
SlurmdSpoolDir=/var/spool/accsim-slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$node CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    pgrep -x munged >/dev/null || su -s /bin/sh munge -c /usr/sbin/munged || true
    pgrep -x munged >/dev/null || { echo "munged did not start" >&2; exit 1; }
    [ -f /run/slurmctld.pid ] && kill -0 "$(cat /run/slurmctld.pid)" 2>/dev/null || /usr/sbin/slurmctld
    [ -f /run/slurmd.pid ] && kill -0 "$(cat /run/slurmd.pid)" 2>/dev/null || /usr/sbin/slurmd
    for _ in $(seq 20); do sinfo -h >/dev/null 2>&1 && break; sleep 0.5; done
    sinfo
    ;;
  stop)
    for f in /run/slurmd.pid /run/slurmctld.pid; do
      [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    done
    [ -f /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
    ;;
  status) sinfo && squeue ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
