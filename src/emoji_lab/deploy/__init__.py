"""From a run to the phone: the converter to `.tflite`, LiteRT in Python (run as the app runs it), quantization,
and the iPhone app's files. Imports `common`, `data`, `models` and `training`."""
