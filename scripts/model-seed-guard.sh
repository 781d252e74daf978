#!/usr/bin/env bash
# The held-out and blind guard, judged over training seeds instead of one file against one file (one retrain's seed
# moves the rates as much as any adoption bar: models/MODEL_CARD.md, eleventh and twelfth revisions). Trains the
# baseline (seeds/corpus/train-*.tsv as they are) and a candidate at each seed, scores both on the held-out and blind
# splits (pooled), evasions, look-alikes and the identity and first-name test sets, and prints each model's rates, the
# mean change and how many clean or complaint comments each model hides. Write the adoption rule before running it.
#
#   scripts/model-seed-guard.sh --work DIR [--seeds "20261122 1 2"] [--add 'seeds/corpus/candidates/batch12-*.tsv']
#                               [--candidate-lexicons DIR] [--candidate-options "--school-weight 2.3"]
#                               [--candidate-dll OTHER-CHECKOUT/src/Moderator.Worker/bin/Release/net10.0/moderator.dll]
#
# --candidate-dll trains and scores the candidate with another build (a branch with scoring-time code changes), so the
# baseline stays this checkout's code, lexicons and options, and the candidate is exactly what would ship.
# --add routes each labelled line into the train-*.tsv file of its first label (safeguarding before pupils, hate,
# abuse, offensive, spam, clean, complaint), as an adopted batch would be. Baseline options come from BASELINE_OPTIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
work=""
seeds="20261122 1 2"
add=()
lexicons=seeds/lexicons
options=""
candidate_dll=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) work="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --add) read -r -a more <<< "$2"; for pattern in "${more[@]}"; do for f in $pattern; do add+=("$f"); done; done; shift 2 ;;
    --candidate-lexicons) lexicons="$2"; shift 2 ;;
    --candidate-options) options="$2"; shift 2 ;;
    --candidate-dll) candidate_dll="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n $work ]] || { echo "--work DIR is required" >&2; exit 2; }
dll=src/Moderator.Worker/bin/Release/net10.0/moderator.dll
[[ -f $dll ]] || dotnet build src/Moderator.Worker -c Release -v q >&2
[[ -n $candidate_dll ]] || candidate_dll=$dll
[[ -f $candidate_dll ]] || { echo "no candidate build at $candidate_dll" >&2; exit 2; }
datasets=()
if [[ -d ../shared/datasets ]]; then datasets=(--datasets ../shared/datasets); else datasets=(--no-datasets); fi

mkdir -p "$work/baseline-corpus" "$work/candidate-corpus"
cp seeds/corpus/train-*.tsv "$work/baseline-corpus/"
cp seeds/corpus/train-*.tsv "$work/candidate-corpus/"
python3 - "$work/candidate-corpus" "${add[@]}" <<'PY'
import os, sys
folder, files = sys.argv[1], sys.argv[2:]
route = [("safeguarding", "train-harmful-safeguarding.tsv"), ("pupil_identification", "train-pupil-identification.tsv"),
         ("hate", "train-harmful-hate.tsv"), ("abuse", "train-harmful-abuse.tsv"), ("offensive", "train-harmful-offensive.tsv"),
         ("spam", "train-harmful-spam.tsv"), ("clean", "train-benign.tsv"), ("complaint", "train-complaint.tsv")]
routed = {}
for path in files:
    for number, line in enumerate(open(path, encoding="utf-8").read().splitlines()[1:], start=2):
        labels = line.split("\t")[0].split(",")
        target = next((t for label, t in route if label in labels), None)
        if target is None:
            sys.exit(f"{path}:{number}: no training file for labels {labels}")
        routed.setdefault(target, []).append(line)
for target, lines in routed.items():
    with open(os.path.join(folder, target), "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print(f"candidate: {len(lines)} lines added to {target}", file=sys.stderr)
PY

sets=(seeds/corpus/heldout-*.tsv seeds/corpus/blind-*.tsv)
for seed in $seeds; do
  for kind in baseline candidate; do
    model="$work/$kind-$seed.bin"
    build=$dll; [[ $kind == candidate ]] && build=$candidate_dll
    if [[ ! -f $model ]]; then
      if [[ $kind == baseline ]]; then
        # shellcheck disable=SC2086 # option lists
        dotnet "$build" train --corpus "$work/baseline-corpus" "${datasets[@]}" --seed "$seed" --model-version guard ${BASELINE_OPTIONS:-} --out "$model" >&2
      else
        # shellcheck disable=SC2086
        dotnet "$build" train --corpus "$work/candidate-corpus" --lexicons "$lexicons" "${datasets[@]}" --seed "$seed" --model-version guard $options --out "$model" >&2
      fi
    fi
    for name in splits evasions lookalikes identity-mentions first-name-mentions; do
      case $name in splits) files=("${sets[@]}") ;; *) files=("seeds/corpus/$name.tsv") ;; esac
      python3 - "$build" "$model" "$work/$kind-$seed-$name.tsv" "${files[@]}" <<'PY'
import json, subprocess, sys
dll, model, out, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
lines = [l.split("\t", 1) for f in files for l in open(f, encoding="utf-8").read().splitlines()[1:] if l.strip()]
rows, texts = [lab for lab, _ in lines], [text for _, text in lines]
p = subprocess.run(["dotnet", dll, "score", "--model", model], input="\n".join(t.replace("\n", " ") for t in texts) + "\n",
                   capture_output=True, text=True, check=True)
verdicts = [json.loads(x)["verdict"] for x in p.stdout.splitlines()]
assert len(verdicts) == len(rows)
open(out, "w", encoding="utf-8").write("".join(f"{lab}\t{v}\n" for lab, v in zip(rows, verdicts)))
PY
    done
  done
done

python3 - "$work" $seeds <<'PY'
import statistics, sys
work, seeds = sys.argv[1], sys.argv[2:]
harm = ["safeguarding", "hate", "pupil_identification", "abuse", "offensive", "spam"]
hidden = {"Hide", "HideAndEscalate"}

def read(kind, seed, name):
    return [l.rstrip("\n").split("\t") for l in open(f"{work}/{kind}-{seed}-{name}.tsv", encoding="utf-8")]

def measures(kind, seed):
    rows = read(kind, seed, "splits")
    def rate(group, test):
        sel = [v for lab, v in rows if (lab in ("clean", "complaint") if group == "clean+complaint" else group in lab.split(","))]
        return 100 * sum(test(v) for v in sel) / len(sel)
    m = {"harmful mean reviewed": statistics.mean(rate(g, lambda v: v != "Allow") for g in harm)}
    for g in harm:
        m[f"{g} reviewed"] = rate(g, lambda v: v != "Allow")
        m[f"{g} hidden"] = rate(g, lambda v: v in hidden)
    m["safeguarding escalated"] = rate("safeguarding", lambda v: v == "HideAndEscalate")
    m["clean+complaint reviewed"] = rate("clean+complaint", lambda v: v != "Allow")
    m["clean+complaint hidden"] = rate("clean+complaint", lambda v: v in hidden)
    m["clean+complaint hidden (comments)"] = sum(lab in ("clean", "complaint") and v in hidden for lab, v in rows)
    m["evasions flagged (comments)"] = sum(lab not in ("clean", "complaint") and v != "Allow" for lab, v in read(kind, seed, "evasions"))
    m["look-alikes reviewed (comments)"] = sum(v != "Allow" for _, v in read(kind, seed, "lookalikes"))
    m["look-alikes hidden (comments)"] = sum(v in hidden for _, v in read(kind, seed, "lookalikes"))
    for name in ("identity-mentions", "first-name-mentions"):
        rows2 = read(kind, seed, name)
        m[f"{name} clean+complaint hidden (comments)"] = sum(lab in ("clean", "complaint") and v in hidden for lab, v in rows2)
    m["first-name-mentions full names hidden (comments)"] = sum(lab == "pupil_identification" and v in hidden for lab, v in read(kind, seed, "first-name-mentions"))
    return m

results = {(k, s): measures(k, s) for k in ("baseline", "candidate") for s in seeds}
# The last column is the spread a mean change must clear: the baseline models' standard deviation times sqrt(2/n), the
# standard deviation of a difference between two means of n models (models/MODEL_CARD.md, thirteenth revision).
print(f"{'held-out + blind pooled; per seed ' + ', '.join(seeds):<52} {'baseline':>24} {'candidate':>24} {'mean change':>12} {'noise (sd)':>10}")
for key in results[("baseline", seeds[0])]:
    b = [results[("baseline", s)][key] for s in seeds]
    c = [results[("candidate", s)][key] for s in seeds]
    fmt = lambda xs: " ".join(f"{x:.1f}" if isinstance(x, float) else str(x) for x in xs)
    noise = statistics.stdev(b) * (2 / len(b)) ** 0.5 if len(b) > 1 else float("nan")
    print(f"{key:<52} {fmt(b):>24} {fmt(c):>24} {statistics.mean(c) - statistics.mean(b):>+12.2f} {noise:>10.2f}")
PY
