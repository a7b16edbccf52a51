#!/usr/bin/env bash
# RUSTC_WRAPPER for bench/run.sh: runs rustc under GNU time and appends one line per crate,
# "<crate name> <TAB> <max RSS of that rustc process, KiB> <TAB> <its wall time, s>",
# to $BENCH_RSS_LOG. Without the variable (or for cargo's `rustc -vV` probes) it just runs rustc.
set -euo pipefail
crate=""
prev=""
for arg in "$@"; do
    if [ "$prev" = "--crate-name" ]; then
        crate="$arg"
        break
    fi
    prev="$arg"
done
# `___` is cargo probing the target (`--print=file-names`), not a compile.
if [ -z "$crate" ] || [ "$crate" = "___" ] || [ -z "${BENCH_RSS_LOG:-}" ]; then
    exec "$@"
fi
exec /usr/bin/time -a -o "$BENCH_RSS_LOG" -f "$crate	%M	%e" "$@"
