"""What leaves the studio for people: the HTML run report and the standalone Keras script.

No Qt; Keras is imported lazily."""
