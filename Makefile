# Convenience targets; each one is also spelled out in the README.
.PHONY: setup demo test lint bench

setup:
	python3 -m venv .venv
	.venv/bin/pip install --quiet -e '.[test]'

demo: setup
	./scripts/walkthrough

test:
	.venv/bin/pytest

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy --strict

bench:
	.venv/bin/python bench/bench_startup.py
	.venv/bin/python bench/bench_ipam.py
