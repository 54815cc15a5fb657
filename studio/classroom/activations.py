"""Activation functions and their derivatives as plain NumPy (lab 3), and why linear layers collapse.

The curves are exact formulas, not finite differences, so the plot shows the
derivative a backpropagation step uses (the step function's is 0 everywhere
except at 0, where it is undefined: plotted as 0).
"""

from __future__ import annotations

import numpy as np

NAMES = ("step", "sigmoid", "tanh", "relu", "softplus")


def curve(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(f(z), f'(z)) for one of NAMES."""
    z = np.asarray(z, dtype=np.float64)
    if name == "step":
        return (z >= 0).astype(np.float64), np.zeros_like(z)
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s, s * (1.0 - s)
    if name == "tanh":
        t = np.tanh(z)
        return t, 1.0 - t * t
    if name == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(np.float64)
    if name == "softplus":
        return np.logaddexp(0.0, z), 1.0 / (1.0 + np.exp(-z))
    raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(NAMES)}")


def collapse_linear(layers: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """One (W, b) equal to a chain of Dense layers without activations.

    x W1 + b1 fed to W2: (x W1 + b1) W2 + b2 = x (W1 W2) + (b1 W2 + b2), and so on:
    however many linear layers are stacked, they compute one linear function.
    """
    if not layers:
        raise ValueError("no layers to collapse")
    w, b = layers[0]
    w, b = np.asarray(w, np.float64), np.asarray(b, np.float64)
    for w_next, b_next in layers[1:]:
        w_next = np.asarray(w_next, np.float64)
        w, b = w @ w_next, b @ w_next + np.asarray(b_next, np.float64)
    return w, b


def linear_chain(layers: list[dict]) -> list[dict]:
    """The longest run of Dense layers that computes one linear function, in order, or [] when no two do.

    ``layers`` are the model's Dense layers in order, each {name, activation, kernel, bias}; a layer without
    an activation (None or "linear") is linear, and the layer after a linear run belongs to it too: its
    weighted sum comes before its activation.
    """
    runs, current = [], []
    for layer in layers:
        if layer.get("activation") in (None, "linear"):
            current.append(layer)
        else:
            if current:
                current.append(layer)
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    runs = [run for run in runs if len(run) >= 2]
    return max(runs, key=len) if runs else []
