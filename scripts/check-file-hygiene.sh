#!/usr/bin/env bash
# Pre-commit check: no trailing whitespace in text files, no file over 2 MB (generated reports excepted).
set -uo pipefail
status=0
for f in "$@"; do
  case "$f" in reports/*|requirements.txt) continue ;; esac
  size=$(stat -c %s "$f")
  if [ "$size" -gt 2097152 ]; then echo "$f: $size bytes (over 2 MB)"; status=1; fi
  if grep -Iq . "$f" 2>/dev/null && grep -nE '[[:space:]]+$' "$f" >/dev/null; then
    echo "$f: trailing whitespace"; grep -nE '[[:space:]]+$' "$f" | head -3; status=1
  fi
done
exit $status
