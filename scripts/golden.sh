#!/usr/bin/env bash
# scripts/golden.sh OLD_BIN NEW_BIN [WORKDIR]
#
# Behaviour check for refactors that must not change what racesim does: runs the same matrix of
# commands with two racesim binaries, each in its own folder (WORKDIR/old, WORKDIR/new), and diffs
# the two folders byte for byte — stdout, stderr, exit status and every file written with --out
# (JSON, CSV, HTML, PNG, SVG). Exit status 0 when they are identical, 1 when anything differs
# (the differing files are listed, and the diff of the text ones printed).
#
#   cargo build --release && cp target/release/racesim /tmp/racesim-before   # on the old commit
#   ... change the code, cargo build --release ...
#   scripts/golden.sh /tmp/racesim-before target/release/racesim
#
# The matrix: `run` of every shipped scenario (with --out; the stdout table; --no-charts;
# --compare-with a real record), every variant of millrose-2025-kerr-plan.toml, `compare` (the
# scenario's variants, named variants, ad-hoc NAME@PATH=VALUE variants, --runner,
# --independent-streams, repeated variants), `sweep` (one and two parameters, several metrics),
# `optimize` (one and two parameters, both objectives), `validate` of every shared race (table,
# --json, --out, --model) and of the field file, `calibrate` (a scenario, --json, the athlete
# database), `tune` (one pass, few races), `plot race` of every record, the help texts, and bad
# input (each must fail the same way: message and exit status). Runs are small and seeded.
#
# Paths are relative inside each folder (scenarios/ and shared/ are symlinks to the repository's
# scenarios and to ../shared), so the two folders' outputs can be compared directly. Only lines
# that hold wall-clock timings are removed from stderr before the comparison.
#
# WORKDIR defaults to a fresh /tmp/racesim-golden.XXXXXX; it is kept for inspection. Given again
# with the same OLD_BIN, its old side is reused (see the stamp below).

set -uo pipefail

if [ $# -lt 2 ]; then
    sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
OLD=$(realpath "$1")
NEW=$(realpath "$2")
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${3:-$(mktemp -d /tmp/racesim-golden.XXXXXX)}
mkdir -p "$WORK"
WORK=$(realpath "$WORK")

# ---------------------------------------------------------------------------------------------
# Inputs that must be rejected (from tests/cli/bad_input.rs and tests/cli/validate.rs)
# ---------------------------------------------------------------------------------------------

GOOD='[race]
name = "test"
track = "outdoor400"
distance = "1500m"

[[runner]]
name = "A"
reported = { "1500m" = "3:30.00" }

[[runner]]
name = "B"
reported = { "1500m" = "3:31.00", mile = "3:48.00" }
'

make_inputs() {
    local d=$1
    mkdir -p "$d/bad" "$d/in"
    ln -sfn "$REPO/scenarios" "$d/scenarios"
    ln -sfn "$REPO/../shared" "$d/shared"
    ln -sfn "$REPO/docs" "$d/docs"
    printf '%s' "$GOOD" >"$d/bad/good.toml"
    printf '%s' "${GOOD/name = \"A\"/name = \"A\"
speed = 7.0}" >"$d/bad/unknown-field.toml"
    printf '%s' "${GOOD/distance = \"1500m\"/distance = true}" >"$d/bad/wrong-type.toml"
    printf '%s' "${GOOD/\"3:30.00\"/\"-3:30.00\"}" >"$d/bad/negative-time.toml"
    printf '%s' "${GOOD/\"3:30.00\"/\"1:10.00\"}" >"$d/bad/absurd-time.toml"
    printf '%s' "${GOOD/distance = \"1500m\"/distance = \"1400m\"}" >"$d/bad/unknown-distance.toml"
    printf '%s\n[[pacer]]\nname = "Rabbit"\ndrop_out_m = 1600\nlap = "55.0"\n' "$GOOD" \
        >"$d/bad/pacer-beyond-finish.toml"
    printf '%s' "${GOOD/name = \"B\"/name = \"A\"}" >"$d/bad/duplicate-runner.toml"
    printf '%s' "${GOOD/track = \"outdoor400\"/track = \"outdoor400}" >"$d/bad/syntax.toml"
    printf '%s' "${GOOD/reported = \{ \"1500m\" = \"3:30.00\" \}/prior = \"field\"}" \
        >"$d/in/field-prior.toml"
    printf '[race]\nname = "t"\ntrack = "indoor200"\ndistance = "mile"\n\n[[runner]]\nname = "A"\nprior = "field"\n\n[[runner]]\nname = "B"\nprior = "field"\n' \
        >"$d/bad/prior-all.toml"
    printf '%s\n[[variant]]\nname = "v"\n[variant.runner.Nobody]\nkick_m = 300\n' "$GOOD" \
        >"$d/bad/variant-nobody.toml"
    printf '%s\n[model]\ndraft_scal = 1.0\n' "$GOOD" >"$d/bad/model-typo.toml"
    printf 'draft_scale = -1.0\n' >"$d/bad/model-negative.toml"
    printf 'no_such = 1.0\n' >"$d/bad/model-unknown.toml"
    local paris="$REPO/../shared/data/races/paris2024_oly_m1500_final.json"
    jq 'del(.distance_m)' "$paris" >"$d/bad/rec-missing.json"
    jq '.splits[2].leader_time_s = 100.0' "$paris" >"$d/bad/rec-order.json"
    jq '.results[4].name = "Somebody Else"' "$paris" >"$d/bad/rec-finisher.json"
    sed 's/"track": "outdoor400"/"track": "clay"/' "$paris" >"$d/bad/rec-track.json"
}

# ---------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------

KERR=scenarios/millrose-2025-kerr-plan.toml
PARIS=scenarios/paris-2024-olympic-1500.toml
M2024=scenarios/millrose-2024-two-mile.toml
SOLO=scenarios/solo-time-trial.toml

# c NAME ARGS...: run the binary with ARGS in the current folder; keep stdout, stderr, status.
c() {
    local name=$1
    shift
    "$BIN" "$@" >"res/$name.stdout" 2>"res/$name.stderr.raw"
    echo $? >"res/$name.status"
    # wall-clock timings are the only thing allowed to differ
    sed -E \
        -e '/^\([0-9]+ races in [0-9.]+ s/d' \
        -e '/^\([0-9]+ variants × [0-9]+ races in [0-9.]+ s/d' \
        -e '/^\([0-9]+ points × [0-9]+ races = [0-9]+ races in [0-9.]+ s/d' \
        -e '/^\([0-9]+ \+ [0-9]+ points, [0-9.]+ s\)$/d' \
        "res/$name.stderr.raw" >"res/$name.stderr"
    rm "res/$name.stderr.raw"
}

matrix() {
    local R=300
    local RACES=(shared/data/races/*.json)
    # ---- help ----
    c help --help
    c version --version
    for sub in run validate tune calibrate compare sweep optimize plot; do
        c "help-$sub" "$sub" --help
    done
    c help-plot-race plot race --help

    # ---- run ----
    for sc in "$PARIS" "$M2024" "$KERR" "$SOLO"; do
        local n
        n=$(basename "$sc" .toml)
        c "run-$n" run "$sc" --runs $R --seed 7 --out "out/run-$n"
    done
    for v in race-the-field chase-record race-the-field-kick-500; do
        c "run-kerr-$v" run "$KERR" --variant "$v" --runs $R --seed 7 --out "out/run-kerr-$v"
    done
    c run-paris-table run "$PARIS" --runs $R --threads 1
    c run-kerr-nocharts run "$KERR" --runs 200 --no-charts --out out/run-kerr-nocharts
    c run-paris-vs-real run "$PARIS" --runs $R --seed 9 \
        --compare-with shared/data/races/paris2024_oly_m1500_final.json --out out/run-paris-vs-real
    c run-m2024-vs-real run "$M2024" --runs $R --seed 9 \
        --compare-with shared/data/races/millrose2024_m2mile.json --out out/run-m2024-vs-real
    c run-kerr-vs-2023 run "$KERR" --runs 200 --seed 9 \
        --compare-with shared/data/races/millrose2023_wanamaker_mile.json
    c run-field-prior run in/field-prior.toml --runs 200 --out out/run-field-prior

    # ---- compare ----
    c cmp-default compare "$KERR" --runs $R --seed 3 --out out/cmp-default
    c cmp-named compare "$KERR" --variants race-the-field,chase-record --runs $R
    c cmp-adhoc compare "$KERR" --runs $R --seed 4 \
        --variants 'base,base@runner."Josh Kerr".kick_m=300,race-the-field@model.draft_scale=0.8' \
        --runner "Josh Kerr" --runner "Yared Nuguse" --out out/cmp-adhoc
    c cmp-indep compare "$KERR" --variants race-the-field,chase-record --runs $R \
        --independent-streams --out out/cmp-indep
    c cmp-same compare "$KERR" --variants base,base,base --runs 100
    c cmp-pacer compare "$M2024" --variants 'base,base@pacer.2.drop_out_m=2400' --runs 200 \
        --out out/cmp-pacer

    # ---- sweep ----
    c sweep-kick sweep "$KERR" --variant race-the-field \
        --param 'runner."Josh Kerr".kick_m=250..450:100' --runs $R --out out/sweep-kick
    c sweep-draft sweep "$PARIS" --param 'model.draft_scale=0.5..1:0.25' --metric median \
        --runner "Josh Kerr" --runner "Cole Hocker" --runs 200 --out out/sweep-draft
    c sweep-2d sweep "$KERR" --param 'runner."Josh Kerr".kick_m=300..400:100' \
        --param 'model.draft_scale=0.8..1:0.2' --runs 200 --out out/sweep-2d
    c sweep-pacer sweep "$M2024" --param 'pacer.1.drop_out_m=600..1000:200' \
        --metric mean-place --runs 200
    c sweep-podium sweep "$SOLO" --param 'runner."Josh Kerr".target=208..210:1' \
        --metric podium --runs 200

    # ---- optimize ----
    c opt-kick optimize "$KERR" --variant race-the-field --runner "Josh Kerr" \
        --param 'runner."Josh Kerr".kick_m=200..500:100' --runs 200 --out out/opt-kick
    c opt-2d optimize "$KERR" --runner "Josh Kerr" \
        --param 'runner."Josh Kerr".kick_m=200..400:100' \
        --param 'runner."Josh Kerr".max_place=1..3:1' --runs 150 --out out/opt-2d
    c opt-median optimize "$KERR" --variant chase-record --runner "Josh Kerr" \
        --param 'runner."Josh Kerr".target=226..228' --objective median --runs 150 \
        --out out/opt-median
    c opt-noeffect optimize "$KERR" --variant race-the-field --runner "Josh Kerr" \
        --param 'runner."Josh Kerr".drive_m=500..700:100' --runs 100

    # ---- validate ----
    c val-table validate "${RACES[@]}" --runs 200 --out out/val-table
    c val-json validate "${RACES[@]}" --runs 200 --json --out out/val-json
    c val-field validate shared/data/fields/millrose2025_wanamaker_mile.json --runs 100
    c val-model validate shared/data/races/paris2024_oly_m1500_final.json --runs 100 \
        --model docs/model-before-tuning.toml

    # ---- calibrate ----
    c cal-paris calibrate "$PARIS"
    c cal-kerr-json calibrate "$KERR" --json
    c cal-m2024 calibrate "$M2024"
    c cal-athletes calibrate --athletes shared/data/athletes.json --as-of 2024-08-01
    c cal-athletes-json calibrate --athletes shared/data/athletes.json --as-of 2024-08-06 \
        --name "Josh Kerr" --name "Faith Kipyegon" --json

    # ---- tune ----
    c tune tune shared/data/races/paris2024_oly_m1500_final.json \
        shared/data/races/oslo2023_dl_m1500.json --passes 1 --runs 30 --out out/tune

    # ---- plot race ----
    for r in "${RACES[@]}" shared/data/fields/*.json; do
        local n
        n=$(basename "$r" .json)
        c "plot-$n" plot race "$r" --out "out/plot-$n"
    done

    # ---- bad input: message and exit status ----
    for f in unknown-field wrong-type negative-time absurd-time unknown-distance \
        pacer-beyond-finish duplicate-runner syntax prior-all variant-nobody model-typo; do
        c "bad-$f" run "bad/$f.toml" --runs 20 --out "out/bad-$f"
    done
    c bad-missing-file run no/such/file.toml
    c bad-runs-zero run "$PARIS" --runs 0
    c bad-variant run "$PARIS" --variant nope
    c bad-compare-novariants compare "$PARIS" --runs 10
    c bad-compare-variant compare "$KERR" --variants race-the-field,nope
    c bad-compare-runner compare "$KERR" --runner Nobody
    c bad-compare-adhoc compare "$KERR" --variants 'base,base@runner."Josh Kerr".kick_m=fast'
    c bad-compare-seed compare "$KERR" --variants 'base,base@race.seed=3'
    c bad-sweep-path sweep "$KERR" --param 'runner."Josh Kerr".kik_m=200..300:50'
    c bad-sweep-nobody sweep "$KERR" --param 'runner.Nobody.kick_m=200..300:50'
    c bad-sweep-model sweep "$KERR" --param 'model.no_such=1..2:1'
    c bad-sweep-pacer sweep "$KERR" --param 'pacer.7.drop_out_m=1..2:1'
    for range in 300..150:25 0..1:0 abc..300:25 150..450:40 0..1000:1 150..450; do
        c "bad-sweep-range-${range//[.:]/_}" sweep "$KERR" --param "runner.\"Josh Kerr\".kick_m=$range"
    done
    c bad-sweep-grid sweep "$KERR" --param 'runner."Josh Kerr".kick_m=0..1400:100' \
        --param 'runner."Josh Kerr".drive_m=0..1400:100'
    c bad-sweep-value sweep "$KERR" --param 'runner."Josh Kerr".kick_m=1000..2000:500'
    c bad-sweep-seed sweep "$KERR" --param 'race.seed=1..3:1'
    c bad-sweep-variant sweep "$KERR" --variant nope --param 'runner."Josh Kerr".kick_m=200..300:50'
    c bad-opt-runner optimize "$KERR" --runner Nobody --param 'runner.Nobody.kick_m=200..300:50'
    c bad-opt-other optimize "$KERR" --runner "Josh Kerr" \
        --param 'runner."Yared Nuguse".kick_m=200..300:50'
    c bad-opt-model optimize "$KERR" --runner "Josh Kerr" --param 'model.draft_scale=0..1:0.5'
    c bad-opt-objective optimize "$KERR" --runner "Josh Kerr" \
        --param 'runner."Josh Kerr".kick_m=200..300:50' --objective fast
    c bad-sweep-metric sweep "$KERR" --param 'runner."Josh Kerr".kick_m=200..300:50' --metric best
    for f in rec-missing rec-order rec-finisher rec-track; do
        c "bad-$f" validate "bad/$f.json" --runs 50 --out "out/bad-$f"
    done
    c bad-val-missing validate no/such/race.json
    c bad-val-model validate shared/data/races/paris2024_oly_m1500_final.json --runs 10 \
        --model bad/model-negative.toml
    c bad-val-model-unknown validate shared/data/races/paris2024_oly_m1500_final.json --runs 10 \
        --model bad/model-unknown.toml
    c bad-cal-date calibrate --athletes shared/data/athletes.json --as-of 2024-13-40
    c bad-cal-name calibrate --athletes shared/data/athletes.json --as-of 2024-08-06 --name Nobody
    c bad-cal-none calibrate
    c bad-cmpwith-distance run "$KERR" --runs 10 \
        --compare-with shared/data/races/paris2024_oly_m1500_final.json
    c bad-cmpwith-field run "$KERR" --runs 10 \
        --compare-with shared/data/fields/millrose2025_wanamaker_mile.json
    c bad-cmpwith-missing run "$KERR" --runs 10 --compare-with no/such/race.json
    c bad-plot-missing plot race no/such/race.json --out out/bad-plot
    c bad-plot-record plot race bad/rec-order.json --out out/bad-plot-record
}

# The old side is reused when WORKDIR/old was made by the same old binary and the same script
# (its stamp matches): a series of checks against one baseline then costs one run each.
stamp() { cat "$OLD" "$0" | sha256sum | cut -d' ' -f1; }
for side in old new; do
    BIN=$OLD
    [ "$side" = new ] && BIN=$NEW
    d="$WORK/$side"
    if [ "$side" = old ] && [ -f "$d/.stamp" ] && [ "$(cat "$d/.stamp")" = "$(stamp)" ]; then
        echo "golden: reusing $d (same old binary and script)" >&2
        continue
    fi
    rm -rf "$d"
    mkdir -p "$d/res" "$d/out" "$d/bin"
    make_inputs "$d"
    # both binaries run as `racesim` (clap's usage lines name the program as invoked)
    ln -s "$BIN" "$d/bin/racesim"
    BIN="$d/bin/racesim"
    echo "golden: running the matrix with $(readlink "$BIN") in $d" >&2
    t0=$(date +%s)
    (cd "$d" && matrix)
    echo "golden: $side done in $(($(date +%s) - t0)) s" >&2
    [ "$side" = old ] && stamp >"$d/.stamp"
done

echo "golden: comparing $WORK/old and $WORK/new" >&2
cd "$WORK"
n_files=$(cd old && find res out -type f | wc -l)
if diff -r -q old/res new/res >"$WORK/diff-files.txt" 2>&1 &&
    diff -r -q old/out new/out >>"$WORK/diff-files.txt" 2>&1; then
    echo "golden: IDENTICAL — $n_files files (stdout, stderr, status, --out files) compared"
    exit 0
fi
echo "golden: DIFFERENT — $(wc -l <"$WORK/diff-files.txt") differences:"
cat "$WORK/diff-files.txt"
diff -r old/res new/res | head -200
exit 1
