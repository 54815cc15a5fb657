"""Perceptron Studio: a desktop studio for building and training Keras models."""

__version__ = "0.1.0"
