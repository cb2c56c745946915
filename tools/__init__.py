"""Developer tools beside the product: benchmarks and evaluation (`python -m tools.…`)."""
