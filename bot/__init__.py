"""A Discord bot that answers questions about a discussion by quoting it."""

import os

# One BLAS thread per call, set before numpy loads: the bot runs many small matrix products from
# several threads at once (each question's sentence vector), and OpenBLAS's own threads then
# fight over the cores: `bench --discord` measured event → reply p50 3.9–4.6 s with them,
# 0.10–0.11 s with one. An environment that sets it already wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
