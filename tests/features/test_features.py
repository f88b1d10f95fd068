"""Bind every feature file under ``features/`` to pytest."""

from pytest_bdd import scenarios

scenarios("features")
