#!/usr/bin/env python3
"""python3 seeds/corpus/tools/check_corpus.py REPO_DIR BASE_REV : checks lines added to seeds/corpus/train-*.tsv since BASE_REV.
Reports format errors, invalid labels/order, exact (normalised) duplicates and near-copies (word Jaccard >= 0.55)
against every other training line. Prints counts of added lines per file and label."""
import glob, os, re, subprocess, sys, collections
repo, base = sys.argv[1], sys.argv[2]
ORDER = ["safeguarding", "hate", "pupil_identification", "abuse", "offensive", "spam"]
def norm(t): return re.sub(r"[^\w\s]", "", t.lower()).split()
old, new = [], []
for path in sorted(glob.glob(os.path.join(repo, "seeds/corpus/train-*.tsv"))):
    name = os.path.basename(path)
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines[-1] == "": lines.pop()
    if lines[0] != "labels\ttext": print(f"{name}: bad header")
    try:
        before = subprocess.run(["git", "-C", repo, "show", f"{base}:seeds/corpus/{name}"], capture_output=True, text=True, check=True).stdout.split("\n")
        if before[-1] == "": before.pop()
    except subprocess.CalledProcessError:
        before = ["labels\ttext"]
    if lines[:len(before)] != before: print(f"{name}: existing lines were changed (append only)")
    for i, line in enumerate(lines[1:], start=2):
        (new if i > len(before) else old).append((name, i, line))
problems = 0
seen = {}
sets = []
for name, i, line in old:
    parts = line.split("\t")
    if len(parts) == 2:
        seen[" ".join(norm(parts[1]))] = (name, i); sets.append((set(norm(parts[1])), name, i))
counts = collections.Counter()
for name, i, line in new:
    parts = line.split("\t")
    where = f"{name}:{i}"
    if len(parts) != 2: print(f"{where}: expected 2 tab-separated fields"); problems += 1; continue
    labels, text = parts
    ls = labels.split(",")
    if ls in (["clean"], ["complaint"]): pass
    elif any(l not in ORDER for l in ls) or ls != sorted(set(ls), key=ORDER.index):
        print(f"{where}: bad labels '{labels}' (valid: clean | complaint | {','.join(ORDER)} in that order)"); problems += 1
    words = norm(text)
    if not 3 <= len(text.split()) <= 60: print(f"{where}: {len(text.split())} words (3-60)"); problems += 1
    key = " ".join(words)
    if key in seen: print(f"{where}: duplicate of {seen[key][0]}:{seen[key][1]}"); problems += 1
    ws = set(words)
    for s, n2, i2 in sets:
        if ws and s and len(ws & s) / len(ws | s) >= 0.55:
            print(f"{where}: near-copy (Jaccard >= 0.55) of {n2}:{i2}"); problems += 1; break
    seen[key] = (name, i); sets.append((ws, name, i))
    counts[(name, labels)] += 1
for (name, labels), n in sorted(counts.items()): print(f"added {n:5} {name} {labels}")
print(f"{problems} problem(s)")
sys.exit(1 if problems else 0)
