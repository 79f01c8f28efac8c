"""Benchmarks: the data generator, the floor app and the runner behind `make bench`."""
