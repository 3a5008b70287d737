"""Making and keeping runs: training a model on a dataset, the run folders on disk, the metrics, the n-gram
yardstick and the distilled student, held-out scores and the TweetEval leak, and the background worker that
trains the lessons' models while the learner reads. Imports `common`, `data` and `models`."""
