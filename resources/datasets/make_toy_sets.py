"""Write xor.csv and circles.csv, the two small 2-D sets of labs 2 and 3.

Run from this folder: python make_toy_sets.py. The seed is fixed, so the
files are the same every time; only NumPy is needed.
"""

import numpy as np


def xor(rng, per_corner=100, spread=0.15):
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    x = np.concatenate([c + rng.normal(0, spread, size=(per_corner, 2)) for c in corners])
    label = np.repeat([0, 1, 1, 0], per_corner)
    return x, label


def circles(rng, per_ring=200, noise=0.08):
    rows = []
    for radius, name in ((0.5, "inner"), (1.0, "outer")):
        angle = rng.uniform(0, 2 * np.pi, per_ring)
        r = radius + rng.normal(0, noise, per_ring)
        rows += [(a, b, name) for a, b in zip(r * np.cos(angle), r * np.sin(angle))]
    return rows


def main():
    rng = np.random.default_rng(2026)
    x, label = xor(rng)
    order = rng.permutation(len(label))
    with open("xor.csv", "w", encoding="utf-8", newline="\n") as out:
        out.write("x1,x2,label\n")
        for i in order:
            out.write(f"{x[i, 0]:.4f},{x[i, 1]:.4f},{label[i]}\n")
    rows = circles(rng)
    order = rng.permutation(len(rows))
    with open("circles.csv", "w", encoding="utf-8", newline="\n") as out:
        out.write("x1,x2,ring\n")
        for i in order:
            a, b, name = rows[i]
            out.write(f"{a:.4f},{b:.4f},{name}\n")


if __name__ == "__main__":
    main()
