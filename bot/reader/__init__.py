"""The reader stage: a model that reads the question and each candidate reorders the best
candidates and, when `reader.min_score` is set, decides "not covered" (README, A reader)."""
