"""Shared pytest configuration: the ``--backend`` option of the features."""

from __future__ import annotations

import os
import sys

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=("sim", "freebsd"),
        default="sim",
        help="host the Gherkin features drive (default: the simulated host)",
    )


def freebsd_unavailable() -> str | None:
    """Say why the FreeBSD backend cannot run here, or None when it can."""
    if not sys.platform.startswith("freebsd"):
        return f"--backend freebsd needs a FreeBSD host (this is {sys.platform})"
    if os.geteuid() != 0:
        return "--backend freebsd needs root"
    return None


def pytest_report_header(config: pytest.Config) -> str:
    backend = config.getoption("--backend")
    reason = freebsd_unavailable() if backend == "freebsd" else None
    suffix = f" (features skipped: {reason})" if reason else ""
    return f"kleene features backend: {backend}{suffix}"
