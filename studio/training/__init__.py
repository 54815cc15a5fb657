"""The one training engine, its settings, runs and records, model files and safe loading. No Qt; Keras is imported lazily.

Hyperparameter search and the learning-rate finder are in studio.tuning, labs and packs in studio.classroom,
the report and the script export in studio.exports."""
