#!/usr/bin/env bash
# Browser tests for the biobank web app.
#
# Starts the already-built server in a fresh temporary directory (fresh SQLite database, free
# port), waits for /health, reads the one-time setup URL from the server's stdout, runs
# registry.test.mjs with Node's built-in test runner (TAP output, ending in "# pass N" /
# "# fail N"), stops the server and exits non-zero when a test failed.
#
#   bash scripts/browser/run.sh            # from any directory
#   BIOBANK_BIN=/path/to/biobank bash scripts/browser/run.sh
#
# Environment:
#   BIOBANK_BIN        server binary (default: <repo>/target/debug/biobank); this script builds nothing
#   CHROMIUM_PATH      browser executable (default: /usr/bin/chromium)
#   KEEP_TMP=1         keep the server's temporary directory (database, stdout) for inspection
#
# Artifacts (git-ignored) go to scripts/browser/artifacts/: server.log (the server's stderr),
# screenshots, and a screenshot of the page at the moment a step failed.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
ARTIFACTS="$SCRIPT_DIR/artifacts"

log() { printf '[run.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

# --- the server binary (resolved before anything changes directory) -------------------------
BIN="${BIOBANK_BIN:-target/debug/biobank}"
if [[ "$BIN" != /* ]]; then
  if [[ -n "${BIOBANK_BIN:-}" && -e "$PWD/$BIN" ]]; then
    BIN="$PWD/$BIN"          # a relative path the caller gave, as seen from where they are
  else
    BIN="$REPO_ROOT/$BIN"    # otherwise relative to the repository root
  fi
fi
[[ -x "$BIN" ]] || die "server binary not found or not executable: $BIN (run 'cargo build' first, or set BIOBANK_BIN)"

command -v node >/dev/null || die "node is not installed"
command -v curl >/dev/null || die "curl is not installed"

# --- test dependencies -------------------------------------------------------------------------
if [[ ! -d "$SCRIPT_DIR/node_modules/playwright-core" ]]; then
  log "installing test dependencies in $SCRIPT_DIR"
  if [[ -f "$SCRIPT_DIR/package-lock.json" ]]; then
    (cd "$SCRIPT_DIR" && npm ci --no-audit --no-fund) >&2
  else
    (cd "$SCRIPT_DIR" && npm install --no-audit --no-fund) >&2
  fi
fi

mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS"/*.png "$ARTIFACTS"/server.log "$ARTIFACTS"/server.stdout.log

# --- a fresh directory, database and port ------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/biobank-browser.XXXXXX")"
SERVER_PID=""

cleanup() {
  local rc=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  [[ -f "$WORK/stdout.log" ]] && cp "$WORK/stdout.log" "$ARTIFACTS/server.stdout.log" 2>/dev/null || true
  if [[ "${KEEP_TMP:-}" == 1 ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {
  local port="$1"
  # A private copy of the binary: others may rebuild target/ while the tests run (and a copy
  # caught half-written is replaced on the next attempt).
  cp -f "$BIN" "$WORK/biobank"
  : >"$WORK/stdout.log"
  (
    cd "$WORK"
    # Only what this run needs; nothing from a developer's own configuration leaks in.
    exec env -u BIOBANK_SECRET_KEY -u BIOBANK_PID_SCHEME -u BIOBANK_PID_PREFIX \
      BIOBANK_DATABASE_URL="sqlite://$WORK/biobank.db?mode=rwc" \
      BIOBANK_BASE_URL="http://127.0.0.1:$port" \
      ROCKET_ADDRESS=127.0.0.1 \
      ROCKET_PORT="$port" \
      ROCKET_CLI_COLORS=false \
      NO_COLOR=1 \
      "$WORK/biobank" serve >"$WORK/stdout.log" 2>"$ARTIFACTS/server.log"
  ) &
  SERVER_PID=$!
}

# Waits for /health; returns 1 when the server died (e.g. the port was taken meanwhile).
wait_healthy() {
  local port="$1" deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    kill -0 "$SERVER_PID" 2>/dev/null || return 1
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  die "the server did not answer /health within 60 s (see $ARTIFACTS/server.log)"
}

PORT=""
for attempt in $(seq 1 10); do
  candidate=$((18000 + RANDOM % 2000))
  port_in_use "$candidate" && continue
  rm -f "$WORK"/biobank.db*
  start_server "$candidate"
  if wait_healthy "$candidate"; then
    PORT="$candidate"
    break
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  log "server did not start on port $candidate (attempt $attempt); retrying"
done
[[ -n "$PORT" ]] || { tail -n 30 "$ARTIFACTS/server.log" >&2 || true; die "could not start the server"; }
BASE_URL="http://127.0.0.1:$PORT"
log "server $BIN (pid $SERVER_PID) at $BASE_URL, data in $WORK"

# The setup link is printed before the server starts listening, so it is there by now; allow
# a moment for stdout to be flushed anyway.
SETUP_URL=""
for _ in $(seq 1 50); do
  SETUP_URL="$(grep -Eo 'https?://[^[:space:]]+/setup/[A-Za-z0-9_-]+' "$WORK/stdout.log" | head -n1 || true)"
  [[ -n "$SETUP_URL" ]] && break
  sleep 0.1
done
[[ -n "$SETUP_URL" ]] || { cat "$WORK/stdout.log" >&2; die "no setup URL on the server's stdout"; }

# --- the tests -----------------------------------------------------------------------------------
# Each test has its own 60 s limit; the watchdog only guards against a wedged runner.
WATCHDOG=()
command -v timeout >/dev/null && WATCHDOG=(timeout --kill-after=10 900)
set +e
(
  cd "$SCRIPT_DIR"
  BIOBANK_URL="$BASE_URL" \
  BIOBANK_SETUP_URL="$SETUP_URL" \
  BIOBANK_ARTIFACTS="$ARTIFACTS" \
  CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}" \
    "${WATCHDOG[@]}" node --test --test-reporter=tap registry.test.mjs
)
status=$?
if ((status == 0)); then
  # The scanning story needs an account; the setup link is used up by now, so the CLI makes one.
  SCAN_PASSWORD="scan-$(date +%s)-passphrase"
  printf '%s' "$SCAN_PASSWORD" | env BIOBANK_DATABASE_URL="sqlite://$WORK/biobank.db?mode=rwc" \
    "$WORK/biobank" user add scanner --role curator --password-stdin >/dev/null
  (
    cd "$SCRIPT_DIR"
    BIOBANK_URL="$BASE_URL" \
    BIOBANK_SCAN_USER=scanner \
    BIOBANK_SCAN_PASSWORD="$SCAN_PASSWORD" \
    BIOBANK_ARTIFACTS="$ARTIFACTS" \
    CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}" \
      "${WATCHDOG[@]}" node --test --test-reporter=tap scan.test.mjs storage.test.mjs
  )
  status=$?
fi
if ((status == 0)); then
  # The viability story: a curator sets the lot up over the API, a technician uses the pages.
  VIAB_PASSWORD="viab-$(date +%s)-passphrase"
  for who in viab-curator:curator viab-tech:technician; do
    printf '%s' "$VIAB_PASSWORD" | env BIOBANK_DATABASE_URL="sqlite://$WORK/biobank.db?mode=rwc" \
      "$WORK/biobank" user add "${who%%:*}" --role "${who##*:}" --password-stdin >/dev/null
  done
  (
    cd "$SCRIPT_DIR"
    BIOBANK_URL="$BASE_URL" \
    BIOBANK_VIAB_CURATOR=viab-curator BIOBANK_VIAB_CURATOR_PASSWORD="$VIAB_PASSWORD" \
    BIOBANK_VIAB_TECH=viab-tech BIOBANK_VIAB_TECH_PASSWORD="$VIAB_PASSWORD" \
    BIOBANK_ARTIFACTS="$ARTIFACTS" \
    CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}" \
      "${WATCHDOG[@]}" node --test --test-reporter=tap viability.test.mjs
  )
  status=$?
fi
if ((status == 0)); then
  # The researcher-to-receipt journey: three people, each with an account made by the CLI.
  JRNY_PASSWORD="jrny-$(date +%s)-passphrase"
  for who in jrny-researcher:researcher jrny-curator:curator jrny-tech:technician; do
    printf '%s' "$JRNY_PASSWORD" | env BIOBANK_DATABASE_URL="sqlite://$WORK/biobank.db?mode=rwc" \
      "$WORK/biobank" user add "${who%%:*}" --role "${who##*:}" --password-stdin >/dev/null
  done
  (
    cd "$SCRIPT_DIR"
    BIOBANK_URL="$BASE_URL" \
    BIOBANK_JOURNEY_RESEARCHER=jrny-researcher BIOBANK_JOURNEY_CURATOR=jrny-curator \
    BIOBANK_JOURNEY_TECH=jrny-tech BIOBANK_JOURNEY_PASSWORD="$JRNY_PASSWORD" \
    BIOBANK_ARTIFACTS="$ARTIFACTS" \
    CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}" \
      "${WATCHDOG[@]}" node --test --test-reporter=tap journey.test.mjs
  )
  status=$?
fi
set -e

if ((status != 0)); then
  log "tests failed (exit $status); server log: $ARTIFACTS/server.log, screenshots: $ARTIFACTS/"
  exit 1
fi
exit 0
