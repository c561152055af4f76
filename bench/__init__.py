"""Benchmarks that print measured ratios (``make bench``); the views here are routed only when
``SAMEN_BENCH_VIEWS`` is true, which only the benchmark's own temporary server sets."""
