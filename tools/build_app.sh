#!/usr/bin/env bash
# Build the one-folder client with PyInstaller (build.spec) into dist/payout-desk/, check it, and run its self-test.
#   tools/build_app.sh              build + check + self-test (what `./dev build` and CI run)
#   tools/build_app.sh --no-test    build only
# Uses the project's virtual environment (.venv, made by ./dev) unless PYTHON names another interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
DIST=dist/payout-desk
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) EXE="$DIST/payout-desk.exe" ;; *) EXE="$DIST/payout-desk" ;; esac

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
built=$(date +%s)
echo "build: $DIST in $((built - start)) s, $(du -sh "$DIST" | cut -f1) ($(find "$DIST" -type f | wc -l) files)"

# Every library in the bundle must find the Qt libraries it links to inside the bundle (the spec leaves some out).
if command -v ldd >/dev/null && [ "$(uname -s)" = Linux ]; then
  missing=$(find "$DIST" -name '*.so*' -type f -print0 \
    | xargs -0 -n 50 ldd 2>/dev/null | grep 'not found' | grep -E 'libQt6|libpyside6|libshiboken6' | sort -u || true)
  if [ -n "$missing" ]; then
    echo "build: libraries missing from the bundle (see unused_qt and without_orphans in build.spec):" >&2
    echo "$missing" >&2
    exit 1
  fi
fi

[ "${1:-}" = "--no-test" ] && exit 0

# The self-test runs on throw-away folders: demo data, key file and settings never touch the user's own.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# A store that fails to open shows an error box, which nobody closes offscreen: a time limit keeps CI from hanging.
limit=()
command -v timeout >/dev/null && limit=(timeout 300)
set +e
QT_QPA_PLATFORM=offscreen PAYOUT_DESK_KEYRING=file PAYOUT_DESK_KEY_DIR="$scratch/keys" \
  XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
  "${limit[@]+"${limit[@]}"}" "$EXE" demo --self-test --communes 2 --data-dir "$scratch/demo" >"$scratch/out.txt" 2>&1
status=$?
set -e
cat "$scratch/out.txt"
if [ $status -ne 0 ] || ! grep -qx 'self-test: ok' "$scratch/out.txt"; then
  echo "build: the built program's self-test FAILED (exit $status)" >&2
  exit 1
fi
echo "build: self-test of the built program passed in $(( $(date +%s) - built )) s"
