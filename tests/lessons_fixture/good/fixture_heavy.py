"""Stands in for a heavy library (TensorFlow) in the test lesson's `needs`."""

LOADED = True
