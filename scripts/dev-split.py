#!/usr/bin/env python3
"""The development split: python3 scripts/dev-split.py SEED WORK FILE...

A line goes to development when the SHA-256 of "SEED:text" falls in the first fifth, so appending comments never moves
existing ones. School corpus files (train-*.tsv) go to WORK/train/train-*.tsv and WORK/dev/dev-*.tsv; any other file
(a shared dataset, a candidate batch) to WORK/public-train/ and WORK/public-dev/ under its own name.
"""
import hashlib, os, sys
seed, work, files = sys.argv[1], sys.argv[2], sys.argv[3:]
for path in files:
    name = os.path.basename(path)
    # A shared dataset's parts go to public-train (where `train --datasets` reads) and public-dev, under its own name.
    public = not name.startswith("train-")
    with open(path, encoding="utf-8") as f:
        header, *lines = f.read().splitlines()
    parts = {"train": [header], "dev": [header]}
    for line in lines:
        text = line.split("\t")[1] if public else line.split("\t", 1)[-1]
        digest = hashlib.sha256(f"{seed}:{text}".encode()).digest()
        parts["dev" if digest[0] < 52 else "train"].append(line)
    for part, rows in parts.items():
        folder = os.path.join(work, "public-" + part if public else part)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name if public else name.replace("train-", part + "-")), "w", encoding="utf-8") as out:
            out.write("\n".join(rows) + "\n")
