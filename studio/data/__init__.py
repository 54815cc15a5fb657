"""Data for training: CSV files, MNIST and other image sets, splits and preprocessing.

No Qt here and no TensorFlow: loaders return NumPy arrays and plain metadata.
"""
