"""Benchmarks: each figure measured beside a floor built in the same run, on the same database.

Run with `python -m bench` (see bench/__main__.py); `make bench` calls scripts/bench.sh, which runs it on
SQLite and, when PostgreSQL is available, on a throwaway PostgreSQL cluster too.
"""
