"""Synthetic population, scenarios and load for demos, tests and benchmarks."""
