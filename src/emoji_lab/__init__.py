"""emoji_lab: build an emoji predictor with TensorFlow/Keras, step by step, and run it on an iPhone.

The library is a few wings, each importing only the ones listed before it (tests/test_architecture.py checks it):
    common     errors, files, paths, formatting, the quiet TensorFlow import, the machine check
    data       the sources, the cleaning, the dataset and its splits, the encoders
    models     the registry of the course's models and what they are built from, the keyword baseline
    training   training, runs on disk, metrics, the yardstick and the student, held-out scores, the background worker
    deploy     the converter, LiteRT in Python, quantization, the iPhone app's files
    teaching   what the lessons show and check: data exploration and its traps, keyword failures, run comparison,
               widgets
    repl       the guided console (`python -m emoji_lab.repl`); it imports common, data and training, and reads
               what it knows of the course (which lessons train in the background, a dry run's sandbox) from the
               lesson files
    authoring  the benchmark, the workshop guide and the notebooks
The lessons themselves (`emoji_lab.lessons`, the repository's lessons/ folder) use any wing; no wing imports them.

Importing the package is cheap on purpose: TensorFlow is imported only by the functions that need it
(see `emoji_lab.common.backend`), so the guided console starts in well under a second.
"""

__version__ = "0.1.0"
