"""The one training engine, model files and safe loading. No Qt; Keras is imported lazily."""
