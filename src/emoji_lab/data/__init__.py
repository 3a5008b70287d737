"""Texts and their emoji: the sources (the shipped `sample` corpus, TweetEval, the learner's own file), the cleaning
every text gets, the dataset with its splits, and the encoders that turn text into the ids a model reads.
Imports `common` only."""
