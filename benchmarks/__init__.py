"""Benchmarks of briefgen: a generator of synthetic briefing projects and `make bench`.

python -m benchmarks.generate DIR --cases 30     write a synthetic project
python -m benchmarks.run [--quick]               the side-by-side benchmarks (README.md)
"""
