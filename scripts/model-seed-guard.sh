#!/usr/bin/env bash
# The held-out and blind guard, judged over training seeds instead of one file against one file (one retrain's seed
# moves the rates as much as any adoption bar: models/REVISIONS.md, eleventh and twelfth revisions). Trains the
# baseline (seeds/corpus/train-*.tsv as they are) and a candidate at each seed, scores both on the held-out and blind
# splits (pooled), evasions, look-alikes and the identity and first-name test sets, and prints each model's rates, the
# mean change and how many clean or complaint comments each model hides. Write the adoption rule before running it.
#
#   scripts/model-seed-guard.sh --work DIR [--seeds "20261122 1 2"] [--add 'seeds/corpus/candidates/batch8-*.tsv']
#                               [--candidate-lexicons DIR] [--candidate-options "--school-weight 2.3"]
#                               [--candidate-dll OTHER-CHECKOUT/src/Moderator.Worker/bin/Release/net10.0/moderator.dll]
#                               [--split "7 11 13" | --sealed "blind2 [blind3 blind4]"]
#
# --split SEEDS measures on development splits instead (a round per split seed; all its models pooled), so a candidate
# is judged there before it spends the held-out and blind files. The training files, the shared datasets and the
# candidate lines are split as scripts/model-dev-split.sh splits them (scripts/dev-split.py); both models train on the
# training part (the candidate also on its lines' training part) and are scored on the baseline's development part,
# on OLID's held-out fifth (macro-F1, flagged = review or stronger) and on the candidate lines' own development fifth.
# No test file is opened.
#
# --sealed blind2 (or blind3, blind4) scores that later blind split (seeds/corpus/blind2-*.tsv) alone instead of
# held-out + blind and the targeted sets: the decisive test for a candidate chosen with what those have shown. Several
# splits given together ("blind2 blind3") are pooled into one set, as the sixteenth revision's rule J pooled them.
# Models already in --work are reused, so copying a held-out run's .bin files in scores the same six models.
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
splits=""
sealed=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --work) work="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --add) read -r -a more <<< "$2"; for pattern in "${more[@]}"; do for f in $pattern; do add+=("$f"); done; done; shift 2 ;;
    --candidate-lexicons) lexicons="$2"; shift 2 ;;
    --candidate-options) options="$2"; shift 2 ;;
    --candidate-dll) candidate_dll="$2"; shift 2 ;;
    --split) splits="$2"; shift 2 ;;
    --sealed) sealed="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n $work ]] || { echo "--work DIR is required" >&2; exit 2; }
[[ -z $sealed || -z $splits ]] || { echo "--sealed and --split exclude each other" >&2; exit 2; }
read -r -a sealed_parts <<< "$sealed"
for part in "${sealed_parts[@]}"; do
  [[ $part =~ ^blind[234]$ ]] || { echo "--sealed takes blind2, blind3 or blind4 (one or more)" >&2; exit 2; }
done
sealed=$(IFS=+; echo "${sealed_parts[*]}") # one scored set, named blind2+blind3 when pooled
dll=src/Moderator.Worker/bin/Release/net10.0/moderator.dll
[[ -f $dll ]] || dotnet build src/Moderator.Worker -c Release -v q >&2
[[ -n $candidate_dll ]] || candidate_dll=$dll
[[ -f $candidate_dll ]] || { echo "no candidate build at $candidate_dll" >&2; exit 2; }
datasets=()
if [[ -d ../shared/datasets ]]; then datasets=(--datasets ../shared/datasets); else datasets=(--no-datasets); fi
# One round per development split (or one on held-out + blind): its own folder, corpora and models.
rounds=()
for round in ${splits:-heldout}; do
  dir=$work; [[ $round == heldout ]] || dir=$work/dev-$round
  mkdir -p "$dir"
  rounds+=("$dir")
  corpus=(seeds/corpus/train-*.tsv)
  sets=(seeds/corpus/heldout-*.tsv seeds/corpus/blind-*.tsv)
  round_add=("${add[@]}")
  # The test sets are read only on held-out + blind; a development round scores its split, OLID's held-out fifth and
  # the candidate lines' own development fifth ("added"), and never opens a test file.
  names="splits evasions lookalikes identity-mentions first-name-mentions"
  [[ -z $sealed ]] || names="$sealed"
  added=()
  round_datasets=("${datasets[@]}")
  if [[ $round != heldout ]]; then
    public=()
    if [[ -d ../shared/datasets ]]; then public=(../shared/datasets/*.tsv); round_datasets=(--datasets "$dir/split/public-train"); fi
    python3 scripts/dev-split.py "$round" "$dir/split" "${corpus[@]}" "${public[@]}"
    corpus=("$dir"/split/train/train-*.tsv)
    sets=("$dir"/split/dev/dev-*.tsv)
    names="splits"
    # OLID's held-out fifth: the public tweets' out-of-sample check (offensive vs not, flagged = review or stronger).
    [[ -f $dir/split/public-dev/olid-train.tsv ]] && names="splits olid"
    if [[ ${#add[@]} -gt 0 ]]; then
      # The candidate lines' own development fifth is left out of training too, as model-dev-split.sh would.
      python3 scripts/dev-split.py "$round" "$dir/split-add" "${add[@]}"
      round_add=("$dir"/split-add/public-train/*.tsv)
      added=("$dir"/split-add/public-dev/*.tsv)
      names="$names added"
    fi
  fi
  # The report reads what this run scored, not whatever an earlier run left in the folder.
  printf '%s\n' $names > "$dir/scored-sets"

  mkdir -p "$dir/baseline-corpus" "$dir/candidate-corpus"
  cp "${corpus[@]}" "$dir/baseline-corpus/"
  cp "${corpus[@]}" "$dir/candidate-corpus/"
  python3 - "$dir/candidate-corpus" "${round_add[@]}" <<'PY'
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

  for seed in $seeds; do
    for kind in baseline candidate; do
      model="$dir/$kind-$seed.bin"
      build=$dll; [[ $kind == candidate ]] && build=$candidate_dll
      if [[ ! -f $model ]]; then
        if [[ $kind == baseline ]]; then
          # shellcheck disable=SC2086 # option lists
          dotnet "$build" train --corpus "$dir/baseline-corpus" "${round_datasets[@]}" --seed "$seed" --model-version guard ${BASELINE_OPTIONS:-} --out "$model" >&2
        else
          # shellcheck disable=SC2086
          dotnet "$build" train --corpus "$dir/candidate-corpus" --lexicons "$lexicons" "${round_datasets[@]}" --seed "$seed" --model-version guard $options --out "$model" >&2
        fi
      fi
      for name in $names; do
        case $name in
          splits) files=("${sets[@]}") ;;
          blind*) files=(); for part in ${name//+/ }; do files+=(seeds/corpus/"$part"-*.tsv); done ;;
          added) files=("${added[@]}") ;;
          olid) files=("$dir/split/public-dev/olid-train.tsv") ;;
          *) files=("seeds/corpus/$name.tsv") ;;
        esac
        python3 - "$build" "$model" "$dir/$kind-$seed-$name.tsv" "${files[@]}" <<'PY'
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
done

python3 - "$seeds" "${rounds[@]}" <<'PY'
import statistics, sys
seeds, rounds = sys.argv[1].split(), sys.argv[2:]
models = [(folder, seed) for folder in rounds for seed in seeds]
harm = ["safeguarding", "hate", "pupil_identification", "abuse", "offensive", "spam"]
hidden = {"Hide", "HideAndEscalate"}

def read(kind, model, name):
    folder, seed = model
    return [l.rstrip("\n").split("\t") for l in open(f"{folder}/{kind}-{seed}-{name}.tsv", encoding="utf-8")]

scored = {folder: open(f"{folder}/scored-sets", encoding="utf-8").read().split() for folder in rounds}

def has(kind, model, name):
    return name in scored[model[0]]

def member(lab, group):
    if group in ("clean+complaint", "harmful"):
        return (lab in ("clean", "complaint")) == (group == "clean+complaint")
    return group in lab.split(",")

def rate_of(rows, group, test):
    sel = [v for lab, v in rows if member(lab, group)]
    return 100 * sum(test(v) for v in sel) / len(sel) if sel else None

def measures(kind, model):
    rows = read(kind, model, scored[model[0]][0])
    rate = lambda group, test: rate_of(rows, group, test)
    m = {"harmful mean reviewed": statistics.mean(rate(g, lambda v: v != "Allow") for g in harm)}
    for g in harm:
        m[f"{g} reviewed"] = rate(g, lambda v: v != "Allow")
        m[f"{g} hidden"] = rate(g, lambda v: v in hidden)
    m["safeguarding escalated"] = rate("safeguarding", lambda v: v == "HideAndEscalate")
    m["clean+complaint reviewed"] = rate("clean+complaint", lambda v: v != "Allow")
    m["clean+complaint hidden"] = rate("clean+complaint", lambda v: v in hidden)
    m["clean+complaint hidden (comments)"] = sum(lab in ("clean", "complaint") and v in hidden for lab, v in rows)
    if has(kind, model, "olid"):
        olid = [(lab != "clean", v != "Allow") for lab, v in read(kind, model, "olid")]
        def f1(positive):
            tp = sum(t == positive and p == positive for t, p in olid)
            return 2 * tp / (2 * tp + sum(t != p for t, p in olid)) if tp else 0.0
        m["OLID held-out fifth: macro-F1 x 100"] = 100 * (f1(True) + f1(False)) / 2
    if has(kind, model, "added"):
        added = read(kind, model, "added")
        m["added lines' dev fifth: harmful reviewed"] = rate_of(added, "harmful", lambda v: v != "Allow")
        m["added lines' dev fifth: clean+complaint reviewed"] = rate_of(added, "clean+complaint", lambda v: v != "Allow")
        m["added lines' dev fifth: clean+complaint hidden"] = rate_of(added, "clean+complaint", lambda v: v in hidden)
    if not has(kind, model, "evasions"):
        return m
    m["evasions flagged (comments)"] = sum(lab not in ("clean", "complaint") and v != "Allow" for lab, v in read(kind, model, "evasions"))
    m["look-alikes reviewed (comments)"] = sum(v != "Allow" for _, v in read(kind, model, "lookalikes"))
    m["look-alikes hidden (comments)"] = sum(v in hidden for _, v in read(kind, model, "lookalikes"))
    for name in ("identity-mentions", "first-name-mentions"):
        rows2 = read(kind, model, name)
        m[f"{name} clean+complaint hidden (comments)"] = sum(lab in ("clean", "complaint") and v in hidden for lab, v in rows2)
    m["first-name-mentions full names hidden (comments)"] = sum(lab == "pupil_identification" and v in hidden for lab, v in read(kind, model, "first-name-mentions"))
    return m

results = {(k, m): measures(k, m) for k in ("baseline", "candidate") for m in models}
# The last column is the spread a mean change must clear: the baseline models' standard deviation times sqrt(2/n), the
# standard deviation of a difference between two means of n models (models/REVISIONS.md, thirteenth revision).
if scored[rounds[0]][0].startswith("blind"):
    where = "sealed " + scored[rounds[0]][0].replace("+", " + ") + (" pooled" if "+" in scored[rounds[0]][0] else "")
elif rounds == [rounds[0]] and "/dev-" not in rounds[0]:
    where = "held-out + blind pooled"
else:
    where = "development splits " + ", ".join(r.rsplit("-", 1)[-1] for r in rounds)
print(f"{where + '; per seed ' + ', '.join(seeds):<52} {'baseline':>24} {'candidate':>24} {'mean change':>12} {'noise (sd)':>10}")
keys = dict.fromkeys(key for r in results.values() for key in r)
for key in keys:
    # A rate over no comments (no harmful line in an innocent batch's development fifth) is left out.
    b = [x for m in models if (x := results[("baseline", m)].get(key)) is not None]
    c = [x for m in models if (x := results[("candidate", m)].get(key)) is not None]
    if not b or not c:
        continue
    fmt = lambda xs: " ".join(f"{x:.1f}" if isinstance(x, float) else str(x) for x in xs)
    noise = statistics.stdev(b) * (2 / len(b)) ** 0.5 if len(b) > 1 else float("nan")
    print(f"{key:<52} {fmt(b):>24} {fmt(c):>24} {statistics.mean(c) - statistics.mean(b):>+12.2f} {noise:>10.2f}")
PY
