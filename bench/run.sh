#!/usr/bin/env bash
# bench/run.sh: awsgen's SDK crates side by side with the official aws-sdk-rust crates
# (aws-sdk-qconnect, aws-sdk-personalize, aws-sdk-qbusiness, with aws-config), in one run on
# one machine, reported as ratios in BENCHMARKS.md.
#
# usage: bench/run.sh [--quick] [--runs N] [--services "qconnect personalize qbusiness"]
#                     [--doc FILE | --no-doc]
#
#   (full)      all three services, debug and release, 3 runs of each own-crate build, 5 of the
#               generator, long call batches: tens of minutes on 2 cores.
#   --quick     qconnect only, debug only, one run each, short call batches, the call harness
#               built with opt-level 1 (profile bench-quick): a few minutes.
#               Builds and runs both SDKs, so that the harness keeps working (CI runs it).
#   --runs N    own-crate rebuilds (and generator runs) per configuration.
#   --no-doc    print the tables only; leave BENCHMARKS.md alone (CI).
#
# Environment: BENCH_WORK_DIR (target dirs and logs; default bench/target),
# AWSGEN_SHARED_DIR (the shared folder with bench-data/; default ../shared beside the repo),
# CARGO_TARGET_DIR (the main workspace's, for the generator only), BENCH_KEEP_TARGETS=1 (keep
# the cold-build target dirs).
#
# Build figures use a fresh target dir per (side, service, profile): a cold build of the
# one-call example (all dependencies), then `cargo clean -p <SDK crate>` and a rebuild, with
# CARGO_INCREMENTAL=0, whose figure is the wall time of that crate's rustc process. Every rustc
# runs under bench/rustc-rss.sh, which records its max RSS (GNU time): "peak rustc memory" is
# per rustc process, not the sum over parallel ones. The script fails on harness errors
# (a build or a checked call failing), never on a missed target.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/bench"
COMMAND="bench/run.sh${*:+ $*}"

quick=0
runs=""
services=""
doc="$ROOT/BENCHMARKS.md"
write_doc=1
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1 ;;
        --runs) runs="${2:?--runs needs a number}"; shift ;;
        --services) services="${2:?--services needs a list}"; shift ;;
        --doc) doc="${2:?--doc needs a file}"; shift ;;
        --no-doc) write_doc=0 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench/run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ "$quick" = 1 ]; then
    mode=quick
    services="${services:-qconnect}"
    profiles="debug"
    runs="${runs:-1}"
    calls_args=(--quick)
    harness_profile=bench-quick
else
    mode=full
    services="${services:-qconnect personalize qbusiness}"
    profiles="debug release"
    runs="${runs:-3}"
    calls_args=()
    harness_profile=release
fi
case "$runs" in ''|*[!0-9]*|0) echo "bench/run.sh: --runs must be a positive number" >&2; exit 2 ;; esac
for svc in $services; do
    case "$svc" in qconnect|personalize|qbusiness) ;;
        *) echo "bench/run.sh: unknown service $svc" >&2; exit 2 ;; esac
done

WORK="${BENCH_WORK_DIR:-$BENCH/target}"
mkdir -p "$WORK/logs"
WORK="$(cd "$WORK" && pwd)"
export AWSGEN_SHARED_DIR="${AWSGEN_SHARED_DIR:-$(cd "$ROOT/.." && pwd)/shared}"
export CARGO_INCREMENTAL=0
export CARGO_TERM_COLOR=never
# The main workspace's target dir (the generator); every bench build names its own.
MAIN_TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
unset CARGO_TARGET_DIR RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER

started=$(date +%s)
log() { printf '[bench %s +%4ss] %s\n' "$(date +%H:%M:%S)" "$(( $(date +%s) - started ))" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ -f "$AWSGEN_SHARED_DIR/bench-data/list_large.json" ] ||
    die "bench data not found in $AWSGEN_SHARED_DIR/bench-data (set AWSGEN_SHARED_DIR)"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed for wall times and max RSS"
case " $profiles " in
    *" release "*) command -v strip >/dev/null || die "strip (binutils) is needed for the binary sizes" ;;
esac

# Results: one file per section group, concatenated in report order at the end.
BUILD_TSV="$WORK/build.tsv"
SIZE_TSV="$WORK/size.tsv"
CALLS_TSV="$WORK/calls.tsv"
GEN_TSV="$WORK/generator.tsv"
: >"$BUILD_TSV"; : >"$SIZE_TSV"; : >"$CALLS_TSV"; : >"$GEN_TSV"

# stats v1 v2 ...: "median<TAB>min<TAB>max<TAB>n" (median of an even count: mean of the middle two).
stats() {
    if [ $# -eq 0 ]; then
        printf -- '-\t-\t-\t-\n'
        return
    fi
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "-\t-\t-\t-"; exit }
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.6g\t%.6g\t%.6g\t%d\n", m, v[1], v[NR], NR
        }'
}

# row FILE SECTION MEASURE UNIT BETTER TARGET OURS_STATS PEER_LABEL PEER_STATS
row() {
    local file="$1"
    shift
    (IFS=$'\t'; printf '%s\n' "$*") >>"$file"
}

# Seconds between two `date +%s.%N` stamps.
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
# Busy time of all CPUs (user nice system irq softirq steal), in clock ticks: at the end, what
# this script and its children did not use is what other processes took from the run.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
busy_start="$(busy_ticks)"
log "mode $mode: services [$services], profiles [$profiles], $runs run(s) each; work dir $WORK"
log "load average at start: $load_start ($(nproc) CPUs usable)"
if awk -v l="${load_start%% *}" 'BEGIN { exit !(l >= 1.0) }'; then
    log "warning: the machine is busy (load >= 1.0): timings will be noisy"
fi

# ---------------------------------------------------------------------------------------------
# The bench's own Rust is workspace quality: formatted (clippy is left to developers: it would
# build everything once more).
bench_packages=(bench-harness)
for side in ours peer; do
    for svc in qconnect personalize qbusiness; do bench_packages+=("bench-$side-$svc"); done
done
fmt_args=()
for p in "${bench_packages[@]}"; do fmt_args+=(-p "$p"); done
log "checking the format of bench/ (cargo fmt --check)"
(cd "$BENCH" && cargo fmt --check "${fmt_args[@]}") || die "bench/ is not formatted: run cargo fmt ${fmt_args[*]} in bench/"

log "fetching the bench workspace's dependencies (cargo fetch --locked)"
(cd "$BENCH" && cargo fetch --locked -q) ||
    die "cargo fetch failed (if bench/Cargo.lock is stale after a change to runtime/'s dependencies, run \`cargo fetch\` in bench/ and commit the lock file)"

# ---------------------------------------------------------------------------------------------
# The generator: regenerate the three services with the CLI into a temporary directory.
if [ "$quick" = 1 ]; then
    # A debug build: the "< 1 s" target is for release builds, so it is not judged here.
    gen_profile=debug; gen_flag=(); gen_runs=1; gen_target=-
else
    gen_profile=release; gen_flag=(--release); gen_runs="$(( runs > 5 ? runs : 5 ))"; gen_target="ours<1"
fi
log "building the generator CLI ($gen_profile) in $MAIN_TARGET"
(cd "$ROOT" && CARGO_TARGET_DIR="$MAIN_TARGET" cargo build --locked -q "${gen_flag[@]}" \
    -p awsgen-generator --bin generator) || die "building the generator failed"
generator="$MAIN_TARGET/$gen_profile/generator"
gen_times=()
gen_cpu=()
for ((r = 1; r <= gen_runs; r++)); do
    out="$(mktemp -d "$WORK/gen.XXXXXX")"
    : >"$WORK/logs/generator.cpu"
    t0=$(date +%s.%N)
    for svc in qconnect personalize qbusiness; do
        /usr/bin/time -a -o "$WORK/logs/generator.cpu" -f '%U %S' \
            "$generator" --quiet generate --model "$ROOT/models/$svc" --out "$out" ||
            die "the generator failed on $svc"
    done
    t1=$(date +%s.%N)
    rm -rf "$out"
    gen_times+=("$(seconds "$t0" "$t1")")
    gen_cpu+=("$(awk 'NF == 2 { s += $1 + $2 } END { printf "%.3f", s }' "$WORK/logs/generator.cpu")")
done
log "generator: ${gen_times[*]} s wall, ${gen_cpu[*]} s CPU for the three services"
row "$GEN_TSV" "Generator" \
    "regenerate qconnect, personalize and qbusiness (generator CLI, $gen_profile build, 3 processes): wall time" \
    s lower "$gen_target" "$(stats "${gen_times[@]}")" - "$(stats)"
row "$GEN_TSV" "Generator" "the same: CPU time (user + system)" \
    s lower - "$(stats "${gen_cpu[@]}")" - "$(stats)"

# ---------------------------------------------------------------------------------------------
# Per-call figures: the harness, in release, in a target dir of its own.
log "building the call harness (profile $harness_profile; both SDKs)"
harness_log="$WORK/logs/harness-build.log"
(cd "$BENCH" && CARGO_TARGET_DIR="$WORK/harness" cargo build --locked --offline \
    --profile "$harness_profile" -p bench-harness) >"$harness_log" 2>&1 ||
    { tail -40 "$harness_log" >&2; die "building the harness failed"; }
harness="$WORK/harness/$harness_profile/sdk-compare"
log "running the call benchmarks (both SDKs, interleaved batches)"
"$harness" calls "${calls_args[@]}" --tsv "$CALLS_TSV" || die "the call benchmarks failed"

# ---------------------------------------------------------------------------------------------
# Builds.
BUILD_SECTION_OWN="Build time: the SDK crate alone (dependencies built; cargo clean -p, then build; rustc wall time)"
BUILD_SECTION_COLD="Build time: cold build of a one-call example (fresh target dir, all dependencies)"
SIZE_SECTION="Binary size and compiler memory"

# cold_build SIDE SVC PROFILE: sets cold_s, cold_rss (KiB), cold_rss_crate, own_s (array),
# own_rss (KiB), size_bytes (release only).
cold_build() {
    local side="$1" svc="$2" profile="$3"
    local pkg="bench-$side-$svc" bin="$side-$svc" crate
    if [ "$side" = ours ]; then crate="awsgen-$svc"; else crate="aws-sdk-$svc"; fi
    local rust_crate="${crate//-/_}" rust_bin="${bin//-/_}"
    local flag=() dir="$WORK/cold/$side-$svc-$profile"
    [ "$profile" = release ] && flag=(--release)
    local logs="$WORK/logs/$side-$svc-$profile"
    rm -rf "$dir"
    : >"$logs.cold.rss"
    log "cold $profile build of $pkg (fresh target dir)"
    if ! (cd "$BENCH" && CARGO_TARGET_DIR="$dir" RUSTC_WRAPPER="$BENCH/rustc-rss.sh" \
        BENCH_RSS_LOG="$logs.cold.rss" /usr/bin/time -f '%e %M' -o "$logs.cold.time" \
        cargo build --locked --offline "${flag[@]}" -p "$pkg") >"$logs.cold.log" 2>&1; then
        tail -40 "$logs.cold.log" >&2
        die "cold build of $pkg failed"
    fi
    cold_s="$(tail -n 1 "$logs.cold.time" | cut -d' ' -f1)"
    read -r cold_rss cold_rss_crate < <(awk -F'\t' 'NF == 3 && $2 + 0 > m { m = $2 + 0; c = $1 }
        END { print m + 0, (c == "" ? "-" : c) }' "$logs.cold.rss")
    log "  $cold_s s; peak rustc RSS $((cold_rss / 1024)) MiB ($cold_rss_crate)"
    size_bytes=""
    if [ "$profile" = release ]; then
        strip -o "$dir/$bin.stripped" "$dir/release/$bin"
        size_bytes="$(stat -c %s "$dir/$bin.stripped")"
        log "  stripped $bin: $size_bytes bytes"
    fi
    own_s=()
    own_rss=()
    for ((r = 1; r <= runs; r++)); do
        (cd "$BENCH" && CARGO_TARGET_DIR="$dir" cargo clean --locked --offline -q "${flag[@]}" \
            -p "$crate") || die "cargo clean -p $crate failed"
        : >"$logs.own.rss"
        if ! (cd "$BENCH" && CARGO_TARGET_DIR="$dir" RUSTC_WRAPPER="$BENCH/rustc-rss.sh" \
            BENCH_RSS_LOG="$logs.own.rss" cargo build --locked --offline "${flag[@]}" \
            -p "$pkg") >"$logs.own.log" 2>&1; then
            tail -40 "$logs.own.log" >&2
            die "rebuild of $crate failed"
        fi
        local line
        line="$(awk -F'\t' -v c="$rust_crate" 'NF == 3 && $1 == c' "$logs.own.rss" | tail -n 1)"
        [ -n "$line" ] || die "rebuild of $crate: no rustc run of $rust_crate was recorded"
        own_s+=("$(cut -f3 <<<"$line")")
        own_rss+=("$(cut -f2 <<<"$line")")
        local others
        others="$(awk -F'\t' -v c="$rust_crate" -v b="$rust_bin" \
            'NF == 3 && $1 != c && $1 != b { printf "%s ", $1 }' "$logs.own.rss")"
        [ -z "$others" ] || log "  warning: the rebuild also compiled: $others"
        log "  own crate $crate, run $r: ${own_s[-1]} s, $(( ${own_rss[-1]} / 1024 )) MiB"
    done
    [ "${BENCH_KEEP_TARGETS:-0}" = 1 ] || rm -rf "$dir"
}

mib() { awk -v k="$1" 'BEGIN { printf "%.6g", k / 1024 }'; }

for profile in $profiles; do
    for svc in $services; do
        cold_build ours "$svc" "$profile"
        ours_cold="$cold_s" ours_rss="$cold_rss" ours_rss_crate="$cold_rss_crate"
        ours_own=("${own_s[@]}") ours_own_rss=("${own_rss[@]}") ours_size="$size_bytes"
        cold_build peer "$svc" "$profile"
        row "$BUILD_TSV" "$BUILD_SECTION_OWN" "$svc, $profile: awsgen-$svc vs aws-sdk-$svc" \
            s lower "ratio>=5" "$(stats "${ours_own[@]}")" aws-sdk-rust "$(stats "${own_s[@]}")"
        row "$BUILD_TSV" "$BUILD_SECTION_COLD" "$svc example, $profile" \
            s lower "ratio>=3" "$(stats "$ours_cold")" aws-sdk-rust "$(stats "$cold_s")"
        if [ -n "$ours_size" ]; then
            row "$SIZE_TSV" "$SIZE_SECTION" "$svc example, release, stripped" \
                MiB lower "ratio>=3" "$(stats "$(mib "$((ours_size / 1024))")")" aws-sdk-rust \
                "$(stats "$(mib "$((size_bytes / 1024))")")"
        fi
        ours_rss_mib=() peer_rss_mib=()
        for k in "${ours_own_rss[@]}"; do ours_rss_mib+=("$(mib "$k")"); done
        for k in "${own_rss[@]}"; do peer_rss_mib+=("$(mib "$k")"); done
        row "$SIZE_TSV" "$SIZE_SECTION" "peak RSS of the SDK crate's rustc, $svc, $profile" \
            MiB lower - "$(stats "${ours_rss_mib[@]}")" aws-sdk-rust "$(stats "${peer_rss_mib[@]}")"
        row "$SIZE_TSV" "$SIZE_SECTION" \
            "peak RSS of any rustc in the cold $svc example build, $profile (awsgen: $ours_rss_crate; peer: $cold_rss_crate)" \
            MiB lower - "$(stats "$(mib "$ours_rss")")" aws-sdk-rust "$(stats "$(mib "$cold_rss")")"
    done
done

# ---------------------------------------------------------------------------------------------
results="$WORK/results.tsv"
cat "$BUILD_TSV" "$SIZE_TSV" "$CALLS_TSV" "$GEN_TSV" >"$results"
elapsed=$(( $(date +%s) - started ))
# Our CPU time: bash's `times` (in this shell, not a subshell), second line (children):
# "XmY.YYYs XmY.YYYs".
times >"$WORK/logs/times.txt"
ours_cpu="$(awk 'NR == 2 {
    t = 0
    for (i = 1; i <= 2; i++) { split($i, p, "m"); sub(/s$/, "", p[2]); t += p[1] * 60 + p[2] }
    print t }' "$WORK/logs/times.txt")"
others_cpu="$(awk -v b0="$busy_start" -v b1="$(busy_ticks)" -v hz="$(getconf CLK_TCK)" \
    -v ours="$ours_cpu" -v secs="$elapsed" -v cpus="$(nproc)" 'BEGIN {
        share = ((b1 - b0) / hz - ours) / (secs * cpus) * 100
        printf "%.0f", (share < 0 ? 0 : share) }')"
log "CPU: this run ${ours_cpu}s; other processes used ${others_cpu}% of the machine meanwhile"
if [ "$write_doc" = 0 ]; then
    doc="$WORK/BENCHMARKS.$mode.md"
    rm -f "$doc"
fi
log "all measured in ${elapsed}s; results in $results; writing $doc"
"$harness" report --results "$results" --doc "$doc" --lock "$BENCH/Cargo.lock" --mode "$mode" \
    --command "$COMMAND" --load-start "$load_start" --others-cpu "$others_cpu" \
    --elapsed "$elapsed" ||
    die "the report failed"
log "done in $(( $(date +%s) - started ))s"
