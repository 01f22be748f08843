"""One recognizer per identifier; ``registry.py`` assembles them per language."""
