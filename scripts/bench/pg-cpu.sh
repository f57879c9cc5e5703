#!/usr/bin/env bash
# pg-cpu.sh CMD [ARGS...]: runs CMD and then prints the CPU time (user +
# system) the local PostgreSQL server's processes spent meanwhile, the
# backends that exited included (the postmaster's reaped children). It
# reads /proc, so the server must run on this machine, under Linux.
# docs/performance.md ("Session 15") divides it by the records a run
# accepted:
#   scripts/bench/pg-cpu.sh go run ./cmd/ledgergate bench ingest --store postgres --runs batch --duration 8s --batch-clients 16
set -euo pipefail
ticks() {
	local t=0 p s
	for p in $(pgrep -x postgres); do
		s=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
		t=$((t + s))
	done
	p=$(pgrep -xo postgres) || { echo "pg-cpu.sh: no postgres process on this machine" >&2; exit 1; }
	echo $((t + $(awk '{print $16 + $17}' "/proc/$p/stat")))
}
before=$(ticks)
"$@"
after=$(ticks)
hz=$(getconf CLK_TCK)
awk -v d=$((after - before)) -v hz="$hz" 'BEGIN { printf "postgres CPU: %.2f s\n", d / hz }'
