"""Copy the README's pictures out of the journeys' screenshots (``make screenshots``).

The journeys (tests/journeys) run the studio in a real X server with a window
manager and drive it with real input, saving a picture of every step under
build/journeys/. The README shows a few of those steps, so every picture in it
is the real window as a person saw it, never an offscreen rendering.

    .venv/bin/python docs/screenshots.py [--shots build/journeys] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# README picture -> (journey, step name)
PICTURES = {
    "1-empty": ("test_build_mnist_mlp_by_hand_and_train", "first-start"),
    "2-model-and-data": ("test_build_mnist_mlp_by_hand_and_train", "data-chosen"),
    "3-training": ("test_build_mnist_mlp_by_hand_and_train", "training"),
    "4-results": ("test_build_mnist_mlp_by_hand_and_train", "results"),
    "5-mistakes": ("test_build_mnist_mlp_by_hand_and_train", "mistakes"),
    "6-code": ("test_build_mnist_mlp_by_hand_and_train", "code"),
    "7-korean": ("test_korean_window_with_a_cp949_csv", "cp949-loaded"),
    "8-tune": ("test_build_mnist_mlp_by_hand_and_train", "tune"),
    "9-lab": ("test_lab_2_until_it_passes", "checked"),
    "10-regression": ("test_semicolon_decimal_comma_regression", "scatter"),
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", default=str(ROOT / "build" / "journeys"))
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    shots, out = Path(args.shots), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    missing = []
    for picture, (journey, step) in PICTURES.items():
        found = sorted((shots / journey).glob(f"[0-9][0-9]-{step}.png"))
        if not found:
            missing.append(f"{journey}/{step}")
            continue
        shutil.copyfile(found[-1], out / f"{picture}.png")
        print(out / f"{picture}.png")
    if missing:
        print("not among the journeys' screenshots (run make journeys): " + ", ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
