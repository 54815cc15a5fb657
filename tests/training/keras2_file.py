"""Write an .h5 file exactly as tf.keras 2.x saved a Sequential model (for compatibility tests).

Layout of Keras 2's HDF5 format: root attributes keras_version, backend,
model_config (JSON) and training_config (JSON); group model_weights with a
layer_names attribute; one group per layer with a weight_names attribute and
datasets named like "dense/kernel:0".
"""

import json

import h5py
import numpy as np


def write_keras2_h5(path, seed=0):
    rng = np.random.default_rng(seed)
    weights = {
        "dense": [rng.normal(size=(4, 8)).astype("float32"), rng.normal(size=8).astype("float32")],
        "dense_1": [rng.normal(size=(8, 3)).astype("float32"), rng.normal(size=3).astype("float32")],
    }

    def dense(name, units, activation):
        return {"class_name": "Dense", "config": {
            "name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
            "use_bias": True,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None}}

    model_config = {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32",
                                                "sparse": False, "ragged": False, "name": "dense_input"}},
        dense("dense", 8, "relu"), dense("dense_1", 3, "softmax")]}}
    training_config = {"loss": "sparse_categorical_crossentropy", "metrics": [[{"class_name": "MeanMetricWrapper",
                       "config": {"name": "accuracy", "dtype": "float32", "fn": "sparse_categorical_accuracy"}}]],
                       "weighted_metrics": None, "loss_weights": None,
                       "optimizer_config": {"class_name": "Adam", "config": {
                           "name": "Adam", "learning_rate": 0.001, "decay": 0.0, "beta_1": 0.9, "beta_2": 0.999,
                           "epsilon": 1e-07, "amsgrad": False}}}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = "2.15.0"
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(model_config)
        f.attrs["training_config"] = json.dumps(training_config)
        group = f.create_group("model_weights")
        group.attrs["layer_names"] = [b"dense", b"dense_1"]
        group.attrs["backend"] = b"tensorflow"
        group.attrs["keras_version"] = b"2.15.0"
        for name, (kernel, bias) in weights.items():
            layer = group.create_group(name)
            layer.attrs["weight_names"] = [f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()]
            layer.create_dataset(f"{name}/kernel:0", data=kernel)
            layer.create_dataset(f"{name}/bias:0", data=bias)
    return weights
