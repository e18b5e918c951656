"""custgraph's benchmark suite (not a test suite): `python -m bench run --scale 10k`.

See docs/performance.md for what is measured, how, and the latest figures.
"""
