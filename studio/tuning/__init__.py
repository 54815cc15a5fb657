"""Tuning a model: hyperparameter search (keras-tuner) and the learning-rate finder, both clients of the engine.

No Qt; Keras and keras-tuner are imported lazily."""
