#!/usr/bin/env bash
# Picks and checks the model's default thresholds without touching the held-out files: splits every
# seeds/corpus/train-*.tsv into a training part and a development part (a comment goes to development when the
# SHA-256 of "SEED:text" falls in the first fifth, so appending comments never moves existing ones), trains a model
# on the training part (plus ../shared/datasets when present), and evaluates it on the development part, optionally
# with threshold overrides:
#
#   scripts/model-dev-split.sh [--seed N] [--keep DIR] [--public-holdout] [-- evaluate options such as --thresholds hate=0.3,0.55,never]
#
# --public-holdout also holds out a fifth of every shared dataset (same hash rule), trains on the rest and, after the
# school development report, scores the held-out tweets: an out-of-sample estimate on public comments.
# Train options (such as --public-negative-weight 0.1) can be passed in TRAIN_OPTIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=20261122
work=""
public=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seed) seed="$2"; shift 2 ;;
    --keep) work="$2"; shift 2 ;;
    --public-holdout) public=1; shift ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
work="${work:-$(mktemp -d)}"
mkdir -p "$work/train" "$work/dev"

datasets=../shared/datasets
public_files=()
if [[ $public == 1 && -d $datasets ]]; then public_files=("$datasets"/*.tsv); fi
python3 scripts/dev-split.py "$seed" "$work" seeds/corpus/train-*.tsv "${public_files[@]}"

moderator() { dotnet "src/Moderator.Worker/bin/Release/net10.0/moderator.dll" "$@"; }
if [[ ! -f src/Moderator.Worker/bin/Release/net10.0/moderator.dll ]]; then dotnet build src/Moderator.Worker -c Release -v q >&2; fi
if [[ ! -f "$work/dev.bin" ]]; then
  dataset_option=()
  if [[ $public == 1 ]]; then dataset_option=(--datasets "$work/public-train"); fi
  # shellcheck disable=SC2086 # TRAIN_OPTIONS is a list of options
  moderator train --corpus "$work/train" "${dataset_option[@]}" ${TRAIN_OPTIONS:-} --out "$work/dev.bin" >&2
fi
echo "development split in $work (seed $seed)" >&2
moderator evaluate --model "$work/dev.bin" --data "$work/dev/dev-*.tsv" "$@"
if [[ $public == 1 && -d "$work/public-dev" ]]; then
  for file in "$work"/public-dev/*.tsv; do
    echo "public tweets held out of training: $file" >&2
    moderator evaluate --model "$work/dev.bin" --data "$file" "$@"
  done
fi
