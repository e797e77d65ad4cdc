"""The benchmark: generated plans, one command, one table (see bench/run.py)."""
