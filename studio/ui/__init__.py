"""The application: the only package that imports Qt."""
