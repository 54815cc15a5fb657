"""Using a trained model: predictions on new data (a CSV, an image, a drawn digit) made as in training."""
