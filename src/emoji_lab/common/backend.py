"""Import TensorFlow and Keras only when a step needs them, without their start-up noise.

TensorFlow prints oneDNN, CUDA-stub and absl lines on stderr while its shared libraries load,
before `TF_CPP_MIN_LOG_LEVEL` takes effect, so the import runs with stderr sent to a temporary file
that is shown only if the import fails.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile


@contextlib.contextmanager
def quiet_stderr():
    """Send file descriptor 2 to a temporary file; replay it if the block raises."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        except BaseException:
            os.dup2(saved, 2)
            sink.seek(0)
            sys.stderr.write(sink.read().decode("utf-8", errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def import_tensorflow():
    """`tensorflow` and `keras` (TensorFlow backend), imported quietly; returns the tf module."""
    if "tensorflow" in sys.modules and "keras" in sys.modules:
        return sys.modules["tensorflow"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # later C++ logs, such as cuInit failures
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    with quiet_stderr():
        import keras  # noqa: F401  (its import loads a second library that logs again)
        import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    import absl.logging

    absl.logging.set_verbosity(absl.logging.ERROR)
    return tf
