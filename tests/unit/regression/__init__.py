"""The stored regression vectors of the unit tests: vectors.py (inputs and calls), make_vectors.py."""
