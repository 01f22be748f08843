"""Analysis stage: pages of text in, Presidio recognizer results out."""
