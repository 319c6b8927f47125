"""One module per Japanese recognizer; each registers itself in ``RECOGNIZERS``."""
