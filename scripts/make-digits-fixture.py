#!/usr/bin/python3
"""Writes the 8x8 handwritten digits that scikit-learn ships (sklearn.datasets.load_digits: 1,797 images,
pixels 0..16, the test part of the UCI "Optical Recognition of Handwritten Digits" set by E. Alpaydin and
C. Kaynak) as the example GAN's data: one line per image, the label then the 64 pixels row by row, comma
separated, gzipped without a time stamp so the file is the same on every run.

scikit-learn is BSD-3-Clause; the UCI data set is CC BY 4.0 (credit above and in docs/GAN.md).
Needs scikit-learn (Debian: apt-get install python3-sklearn). Run from the repository root:
    /usr/bin/python3 scripts/make-digits-fixture.py
"""
import gzip
import io

import numpy as np
from sklearn.datasets import load_digits

OUT = "specnorm-examples/src/main/resources/dev/specnorm/examples/gan/digits.csv.gz"


def main():
    digits = load_digits()
    pixels = digits.data.astype(np.int64)
    labels = digits.target.astype(np.int64)
    assert pixels.shape == (1797, 64) and pixels.min() == 0 and pixels.max() == 16
    text = io.StringIO()
    for label, row in zip(labels, pixels):
        text.write(",".join(str(v) for v in [label, *row]) + "\n")
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(text.getvalue().encode("ascii"))
    print(f"wrote {OUT}: {len(labels)} images, class counts {np.bincount(labels).tolist()}")


if __name__ == "__main__":
    main()
