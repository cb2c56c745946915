"""Benchmarks: synthetic corpora, the index against rank-bm25, and `check` at scale."""
