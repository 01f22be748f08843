"""Act stage: write a copy of a document with its findings removed, then prove it."""
