#!/usr/bin/env bash
# down.sh - stop the Fabric test network started by up.sh, by PID only (never by process name).
# Reads $NET_DIR/pids ("name pid executable" per line), prints each process's
# current and peak resident memory, sends SIGTERM, waits up to 10 s, then SIGKILL.
# A PID is only signalled while /proc/PID/exe still is the recorded executable,
# so a recycled PID is never hit.  --purge also deletes $NET_DIR.
set -euo pipefail
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ledgergate/fabric}
NET_DIR=${NET_DIR:-$CACHE_DIR/run}
PIDS=$NET_DIR/pids
[[ -f $PIDS ]] || { echo "[down] no $PIDS - nothing to stop"; exit 0; }

alive() { # alive PID EXE : process exists and still runs EXE
  [[ -e /proc/$1 ]] && [[ $(readlink -f "/proc/$1/exe" 2>/dev/null) == "$(readlink -f "$2")" ]]
}

printf '%-12s %8s %10s %10s\n' process pid "RSS(MiB)" "peak(MiB)"
mapfile -t lines <"$PIDS"
for ((i = ${#lines[@]} - 1; i >= 0; i--)); do   # reverse start order: chaincodes, peers, orderer
  read -r name pid exe <<<"${lines[i]}"
  if alive "$pid" "$exe"; then
    awk -v n="$name" -v p="$pid" '/^VmRSS/{r=$2} /^VmHWM/{h=$2} END{printf "%-12s %8s %10.1f %10.1f\n", n, p, r/1024, h/1024}' "/proc/$pid/status"
    kill -TERM "$pid" 2>/dev/null || true
  else
    printf '%-12s %8s %10s\n' "$name" "$pid" "(not running)"
  fi
done
for ((t = 0; t < 100; t++)); do
  left=0
  for l in "${lines[@]}"; do read -r name pid exe <<<"$l"; alive "$pid" "$exe" && left=1; done
  ((left == 0)) && break
  sleep 0.1
done
for l in "${lines[@]}"; do
  read -r name pid exe <<<"$l"
  if alive "$pid" "$exe"; then echo "[down] $name ($pid) ignored SIGTERM, sending SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
done
rm -f "$PIDS" "$NET_DIR/connection.json"
echo "[down] stopped"
if [[ ${1:-} == --purge ]]; then rm -rf "$NET_DIR"; echo "[down] removed $NET_DIR"; fi
