"""Fuzzing (tools/fuzz.py): bounded runs of every target, and the inputs that once crashed a reader."""
