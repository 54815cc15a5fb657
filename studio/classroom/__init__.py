"""The classroom: labs, their checks, assignment packs, the perceptron lab and the activation curves.

No Qt; Keras is imported lazily."""
