# shellcheck shell=bash
# A live `soundstream serve` for the proof scripts (scripts/fuzz-api, scripts/load-test), sourced
# by them: a fresh SQLite file in a temporary folder, loaded with the real dataset, a write key
# made with `soundstream keys create`, the per-client rate limit off unless asked (one client sends
# everything here), served on a free loopback port. `proof_start_server` returns once
# /health/ready answers 200 with a trained recommender; the server is stopped and the folder
# removed when the calling script exits.
#
# Inputs: SOUNDSTREAM_BIN (the binary; else $CARGO_TARGET_DIR/{release,debug}/soundstream),
# SOUNDSTREAM_DATA_DIR (the .dat files; else ../shared/data/hetrec2011-lastfm-2k beside the
# clone), SOUNDSTREAM_LOG (server log filter, default `warn`: a JSON line per request would
# cost the load test more than the API does), PROOF_RATE_LIMIT (requests a second per client,
# default 0: off).
# Sets: PROOF_BASE_URL, PROOF_KEY (the write key), PROOF_PID, PROOF_WORK, PROOF_LOG.

# shellcheck disable=SC2034 # PROOF_* are read by the scripts that source this file.
true
proof_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Seconds to wait for the server to be ready; training the first model takes ~15 s with the
# debug build on 2 busy cores, so this is generous.
PROOF_STARTUP_TIMEOUT=${PROOF_STARTUP_TIMEOUT:-240}

proof_die() {
  echo "error: $*" >&2
  exit 1
}

proof_binary() {
  if [ -n "${SOUNDSTREAM_BIN:-}" ]; then
    echo "$SOUNDSTREAM_BIN"
    return
  fi
  local target=${CARGO_TARGET_DIR:-/var/tmp/soundstream-target} profile
  for profile in release debug; do
    if [ -x "$target/$profile/soundstream" ]; then
      echo "$target/$profile/soundstream"
      return
    fi
  done
  echo ""
}

proof_data_dir() {
  if [ -n "${SOUNDSTREAM_DATA_DIR:-}" ]; then
    echo "$SOUNDSTREAM_DATA_DIR"
  else
    echo "$proof_root/../shared/data/hetrec2011-lastfm-2k"
  fi
}

# A port nobody listens on now: the kernel picks it (bind to port 0).
proof_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

proof_stop_server() {
  if [ -n "${PROOF_PID:-}" ] && kill -0 "$PROOF_PID" 2>/dev/null; then
    kill -TERM "$PROOF_PID" 2>/dev/null || true
    # SIGTERM drains in-flight requests for at most 20 s; kill for good after 25.
    local _
    for _ in $(seq 1 250); do
      kill -0 "$PROOF_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$PROOF_PID" 2>/dev/null || true
    wait "$PROOF_PID" 2>/dev/null || true
  fi
  PROOF_PID=
  if [ -n "${PROOF_WORK:-}" ] && [ -z "${PROOF_KEEP:-}" ]; then
    rm -rf "$PROOF_WORK"
  fi
}

# The server log's last 40 lines, for a failure message.
proof_server_log_tail() {
  [ -f "${PROOF_LOG:-}" ] && tail -n 40 "$PROOF_LOG" >&2
  return 0
}

proof_start_server() {
  local bin data_dir db port key ready="" _ body
  bin=$(proof_binary)
  if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    proof_die "no soundstream binary '$bin': set SOUNDSTREAM_BIN (e.g. \$CARGO_TARGET_DIR/debug/soundstream after cargo build -p soundstream)"
  fi
  data_dir=$(proof_data_dir)
  [ -f "$data_dir/artists.dat" ] || proof_die "no dataset in '$data_dir': set SOUNDSTREAM_DATA_DIR to the unpacked hetrec2011-lastfm-2k folder"
  command -v curl >/dev/null || proof_die "curl is needed (apt-get install -y curl)"

  PROOF_WORK=$(mktemp -d "${TMPDIR:-/tmp}/soundstream-proof.XXXXXX")
  PROOF_LOG=$PROOF_WORK/serve.log
  trap proof_stop_server EXIT
  # A fresh SQLite file, or the database of PROOF_DATABASE_URL (its content is replaced).
  db=${PROOF_DATABASE_URL:-sqlite://$PROOF_WORK/soundstream.db}

  "$bin" --database-url "$db" import --data-dir "$data_dir" >"$PROOF_WORK/import.log" 2>&1 \
    || { cat "$PROOF_WORK/import.log" >&2; proof_die "soundstream import failed"; }
  key=$("$bin" --database-url "$db" keys create --name proof --scope write 2>&1 | grep -oE 'ss_[0-9A-Za-z_]+' | tail -n 1) \
    || proof_die "soundstream keys create printed no key"
  PROOF_KEY=$key

  port=$(proof_free_port)
  PROOF_BASE_URL="http://127.0.0.1:$port"
  SOUNDSTREAM_LOG=${SOUNDSTREAM_LOG:-warn} "$bin" --database-url "$db" serve \
    --addr "127.0.0.1:$port" --data-dir "$data_dir" --rate-limit "${PROOF_RATE_LIMIT:-0}" >"$PROOF_LOG" 2>&1 &
  PROOF_PID=$!

  # Ready = 200 and a trained recommender (recommendations answer 503 until the first model).
  for _ in $(seq 1 $((PROOF_STARTUP_TIMEOUT * 4))); do
    if ! kill -0 "$PROOF_PID" 2>/dev/null; then
      proof_server_log_tail
      proof_die "soundstream serve exited before it was ready (log above)"
    fi
    body=$(curl -fsS --max-time 5 "$PROOF_BASE_URL/health/ready" 2>/dev/null || true)
    if grep -qE '"model_version": ?[1-9]' <<<"$body"; then
      ready=1
      break
    fi
    sleep 0.25
  done
  if [ -z "$ready" ]; then
    proof_server_log_tail
    proof_die "server not ready after ${PROOF_STARTUP_TIMEOUT}s: ${body:-no answer}"
  fi
  echo "server: $bin at $PROOF_BASE_URL (pid $PROOF_PID, database ${db%%\?*}, rate limit ${PROOF_RATE_LIMIT:-0}/s)"
}
