"""emoji_lab: build an emoji predictor with TensorFlow/Keras, step by step, and run it on an iPhone.

Importing the package is cheap on purpose: TensorFlow is imported only by the functions that need it
(see `emoji_lab.backend`), so the guided REPL starts in about a second.
"""

__version__ = "0.1.0"
