#!/usr/bin/env bash
# Azurite (the Azure Storage emulator) for local runs and tests.
#
#   infra/azurite.sh install   install azurite (pinned) under .azurite/tool if missing
#   infra/azurite.sh start     install if needed, start on 127.0.0.1, wait until the ports answer
#   infra/azurite.sh stop      stop the server this script started (by its recorded PID)
#   infra/azurite.sh status    say whether it runs
#
# Environment (all optional):
#   AZURITE_HOME         folder for the PID file and the log (default: <repo>/.azurite/run)
#   AZURITE_BLOB_PORT    default 10000
#   AZURITE_QUEUE_PORT   default 10001
#   AZURITE_TABLE_PORT   default 10002
#
# `start` prints AZURITE_PID, and the three ports as KEY=VALUE lines, so that a caller can read them.
# The connection string for the default ports is `UseDevelopmentStorage=true`.
#
# The server keeps its data in memory and sends no telemetry: every start is a fresh account, so nothing
# needs Azurite's files, and persisting them (its databases are saved whole every few seconds) and
# collecting telemetry cost the emulator CPU in the webhook benchmark, CPU that the code
# under test shares on a small machine.
#
# Node's young generation is raised to 64 MB a semi-space (16 MB by default here): every request's
# garbage and every table row the emulator keeps start there, so the default scavenged every 100 ms under
# the webhook benchmark. Fewer, larger scavenges cost it less CPU and lowered p99 in paired runs
# (figures in src/Connectors.Functions/README.md).
set -euo pipefail

readonly AZURITE_VERSION=3.37.0
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tool_dir="$repo/.azurite/tool"
bin="$tool_dir/node_modules/.bin/azurite"
home=${AZURITE_HOME:-$repo/.azurite/run}
blob_port=${AZURITE_BLOB_PORT:-10000}
queue_port=${AZURITE_QUEUE_PORT:-10001}
table_port=${AZURITE_TABLE_PORT:-10002}
pid_file="$home/azurite.pid"
log_file="$home/azurite.log"

log() { echo "azurite.sh: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

recorded_pid() { [ -f "$pid_file" ] && cat "$pid_file" || true; }

install() {
  if [ -x "$bin" ] && [ "$(node -p "require('$tool_dir/node_modules/azurite/package.json').version" 2>/dev/null)" = "$AZURITE_VERSION" ]; then
    return 0
  fi
  command -v npm >/dev/null || { log "npm is needed to install azurite"; exit 1; }
  mkdir -p "$tool_dir"
  # Several test processes may start at once: one installs, the others wait for it.
  exec 9>"$tool_dir/.install.lock"
  flock 9
  if [ ! -x "$bin" ]; then
    log "installing azurite@$AZURITE_VERSION into $tool_dir"
    [ -f "$tool_dir/package.json" ] || echo '{ "name": "azurite-tool", "private": true }' >"$tool_dir/package.json"
    # azurite 3.37 declares node >= 22 but runs on node 20 (checked); the engine warning is noise.
    npm install --prefix "$tool_dir" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >&2
  fi
  flock -u 9
  # Close the lock's descriptor, or the server started next would inherit it and hold the lock.
  exec 9>&-
}

start() {
  local pid
  pid=$(recorded_pid)
  if alive "$pid" && port_open "$queue_port"; then
    log "already running (pid $pid)"
    report "$pid"
    return 0
  fi
  for port in "$blob_port" "$queue_port" "$table_port"; do
    if port_open "$port"; then
      log "port $port is taken by another process; set AZURITE_*_PORT or stop it"
      exit 1
    fi
  done
  install
  mkdir -p "$home"
  # Run the server binary itself (not through npx) so that $! is the server's own PID.
  NODE_OPTIONS="--max-semi-space-size=64${NODE_OPTIONS:+ $NODE_OPTIONS}" "$bin" --silent --loose --skipApiVersionCheck --inMemoryPersistence --disableTelemetry \
    --blobHost 127.0.0.1 --blobPort "$blob_port" \
    --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --tableHost 127.0.0.1 --tablePort "$table_port" \
    >"$log_file" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pid_file"
  for _ in $(seq 1 300); do
    if port_open "$blob_port" && port_open "$queue_port" && port_open "$table_port"; then
      report "$pid"
      return 0
    fi
    if ! alive "$pid"; then
      log "azurite exited during start; its log:"
      cat "$log_file" >&2 || true
      rm -f "$pid_file"
      exit 1
    fi
    sleep 0.1
  done
  log "azurite did not open its ports within 30 s"
  stop
  exit 1
}

report() {
  echo "AZURITE_PID=$1"
  echo "AZURITE_BLOB_PORT=$blob_port"
  echo "AZURITE_QUEUE_PORT=$queue_port"
  echo "AZURITE_TABLE_PORT=$table_port"
}

stop() {
  local pid
  pid=$(recorded_pid)
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    # SIGTERM closes the ports within about 2 s, but node may linger after that: then SIGKILL.
    for _ in $(seq 1 50); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped (pid $pid)"
  fi
  rm -f "$pid_file"
}

status() {
  local pid
  pid=$(recorded_pid)
  if alive "$pid"; then
    echo "running (pid $pid)"
  else
    echo "not running"
    return 1
  fi
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
