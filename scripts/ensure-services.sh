#!/usr/bin/env bash
# Starts the local services the tests use when they are installed but not
# running: PostgreSQL (127.0.0.1:5432, database "test") and NATS JetStream
# (127.0.0.1:4222). Tests that need a missing service skip with a message
# on a developer's machine and fail when CI=true.
set -u

say() { echo "ensure-services: $*" >&2; }

# PostgreSQL
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || say "could not start PostgreSQL"
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  fi
fi
if command -v psql >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" 2>/dev/null | grep -q 1 ||
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test" >/dev/null 2>&1 || say "could not create database test"
fi

# NATS with JetStream
if command -v nats-server >/dev/null && ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
  say "starting NATS"
  mkdir -p /tmp/ledgergate-nats
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- \
    -a 127.0.0.1 -p 4222 -js -sd /tmp/ledgergate-nats -l /tmp/ledgergate-nats/nats.log || say "could not start NATS"
fi
exit 0
