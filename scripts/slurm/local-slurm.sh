#!/usr/bin/env bash
# A private single-node Slurm on this machine from Debian's slurm-wlm (slurmctld, slurmd, munge), to
# run scripts/slurm/sweep.sbatch and tests/cli/sweep_slurm.sh for real.
#
#   scripts/slurm/local-slurm.sh start [DIR]   # prints the `export SLURM_CONF=...` line to use
#   scripts/slurm/local-slurm.sh stop  [DIR]
#   scripts/slurm/local-slurm.sh status [DIR]
#
# Everything lives in DIR (default ${TMPDIR:-/tmp}/accsim-slurm-$UID): slurm.conf, a fresh munge
# key, sockets, state, logs. Nothing under /etc is touched and no system service is started; the
# daemons run as the calling user, talk over 127.0.0.1 on ports derived from DIR, and are stopped by
# their pid files. Clients find the cluster through SLURM_CONF=DIR/slurm.conf.
# Needs: apt-get install --no-install-recommends slurm-wlm munge   (scripts/setup.sh installs them)
set -euo pipefail
cmd="${1:-}"
D="${2:-${TMPDIR:-/tmp}/accsim-slurm-$(id -u)}"

need() { command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ] || { echo "local-slurm: $1 missing (apt-get install slurm-wlm munge)" >&2; exit 3; }; }
sbin() { command -v "$1" 2>/dev/null || echo "/usr/sbin/$1"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop() {
  for f in "$D/slurmd.pid" "$D/slurmctld.pid" "$D/munged.pid"; do
    if alive "$f"; then
      pid="$(cat "$f")"; kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
}

start() {
  need munged; need slurmctld; need slurmd; need sinfo
  mkdir -p "$D/ctld" "$D/d"
  chmod 700 "$D"
  stop   # a previous run in the same DIR
  # A fresh key per cluster: 1 KiB from the kernel's CSPRNG, readable by this user only.
  [ -f "$D/munge.key" ] || { head -c 1024 /dev/urandom > "$D/munge.key"; chmod 600 "$D/munge.key"; }
  "$(sbin munged)" --force --key-file="$D/munge.key" --socket="$D/munge.sock" --pid-file="$D/munged.pid" \
    --log-file="$D/munged.log" --seed-file="$D/munged.seed" || { echo "local-slurm: munged did not start" >&2; exit 3; }
  # Ports from DIR's inode, so two clusters (two test runs) on one machine do not collide.
  local base=$(( 20000 + $(stat -c %i "$D") % 20000 ))
  local user; user="$(id -un)"
  cat > "$D/slurm.conf" <<CONF
# accsim private single-node Slurm (scripts/slurm/local-slurm.sh)
ClusterName=accsimlocal
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$D/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SchedulerParameters=sched_interval=1
StateSaveLocation=$D/ctld
SlurmdSpoolDir=$D/d
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$D/slurm.conf"
  "$(sbin slurmctld)" -c -f "$SLURM_CONF" || { echo "local-slurm: slurmctld did not start (see $D/slurmctld.log)" >&2; stop; exit 3; }
  "$(sbin slurmd)" -c -f "$SLURM_CONF" -N localhost || { echo "local-slurm: slurmd did not start (see $D/slurmd.log)" >&2; stop; exit 3; }
  for _ in $(seq 60); do
    sinfo -h -o %T 2>/dev/null | grep -qx "idle" && { echo "export SLURM_CONF=$SLURM_CONF"; return 0; }
    sleep 0.5
  done
  echo "local-slurm: the node did not come up within 30 s (see $D/slurmctld.log, $D/slurmd.log)" >&2
  stop; exit 3
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) SLURM_CONF="$D/slurm.conf" sinfo && SLURM_CONF="$D/slurm.conf" squeue ;;
  *) echo "usage: $0 start|stop|status [DIR]" >&2; exit 2 ;;
esac
