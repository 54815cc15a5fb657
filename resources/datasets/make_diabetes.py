"""Write diabetes.csv, the 442-row regression set of Efron et al. (2004), from scikit-learn's own copy.

scikit-learn ships the raw (unscaled) table inside its package
(sklearn/datasets/data/diabetes_data_raw.csv.gz), so nothing is downloaded.
It is needed only to regenerate the file, never by the studio:

    python -m pip install scikit-learn && python make_diabetes.py

Columns: age, sex (1 or 2), bmi, bp (mean blood pressure), s1 to s6 (six
blood serum measurements), and the target ``progression`` (a measure of the
disease's progression one year after the baseline).
"""

import os

from sklearn.datasets import load_diabetes


def cell(value: float) -> str:
    """The value as the source writes it: 59.0 -> 59, 4.8598 -> 4.8598 (float repr, no trailing .0)."""
    return f"{int(value)}" if float(value).is_integer() else repr(float(value))


def main():
    data = load_diabetes(scaled=False)
    header = [*data.feature_names, "progression"]
    rows = [",".join(cell(v) for v in (*x, y)) for x, y in zip(data.data, data.target)]
    with open("diabetes.csv.tmp", "w", encoding="utf-8", newline="\n") as out:
        out.write(",".join(header) + "\n")
        out.write("\n".join(rows) + "\n")
    os.replace("diabetes.csv.tmp", "diabetes.csv")  # never a half-written file in place


if __name__ == "__main__":
    main()
