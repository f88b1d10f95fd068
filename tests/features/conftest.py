"""Step definitions shared by every Gherkin feature under ``features/``.

Given states domain facts, When runs ``klee`` as a user types it, Then says
what should be seen. Placeholders such as ``<N>`` are remembered from output
(``And I remember the output as <N>``) and substituted in later steps.
Listings are compared after expanding TABs to 8 columns, as SPEC.md shows
them.
"""

from __future__ import annotations

import json
import re
import shlex
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from tests.conftest import freebsd_unavailable
from tests.klee_runner import Outcome, run_klee

ID = re.compile(r"[0-9a-f]{12}")


@dataclass
class Session:
    """What a scenario has run and remembered."""

    backend: str
    state_dir: Path
    values: dict[str, str] = field(default_factory=dict)
    last: Outcome | None = None
    background: list[tuple[tuple[str, ...], subprocess.Popen[str]]] = field(
        default_factory=list
    )
    background_output: list[Collector] = field(default_factory=list)

    def fill(self, text: str) -> str:
        """Substitute remembered placeholders."""
        for name, value in self.values.items():
            text = text.replace(f"<{name}>", value)
        return text

    def outcome(self) -> Outcome:
        assert self.last is not None, "no klee command has run yet"
        return self.last


@pytest.fixture
def klee(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Session]:
    backend = str(request.config.getoption("--backend"))
    if backend == "freebsd":
        reason = freebsd_unavailable()
        if reason:
            pytest.skip(reason)
        if "freebsd" not in request.keywords:
            pytest.skip("this scenario is tagged for the simulated host only")
    elif "sim" not in request.keywords:
        pytest.skip("this scenario is tagged for FreeBSD only")
    state_dir = tmp_path / "state"
    config = tmp_path / "kleene.toml"
    config.write_text(f'pf_template_path = "{tmp_path / "pf.conf.kleene"}"\n')
    monkeypatch.setenv("KLEENE_BACKEND", backend)
    monkeypatch.setenv("KLEENE_STATE_DIR", str(state_dir))
    monkeypatch.setenv("KLEENE_CONFIG", str(config))
    session = Session(backend, state_dir)
    session.values["STATE"] = str(state_dir)
    yield session
    for _, process in session.background:
        process.kill()
        process.communicate()


def expand(text: str) -> str:
    """Expand TABs to 8 columns and drop the indentation common to all lines.

    Gherkin doc strings lose their common indentation, so listings whose every
    line is indented (``jls``) are compared the same way.
    """
    return textwrap.dedent("\n".join(line.expandtabs(8) for line in text.split("\n")))


def run(session: Session, command: str, stdin: str = "") -> None:
    words = shlex.split(session.fill(command))
    assert words[0] == "klee", f"steps run klee, not {words[0]}"
    session.last = run_klee(words[1:], stdin)


@given("a fresh host")
def fresh_host(klee: Session) -> None:
    if klee.backend == "sim":
        run(klee, "klee sim reset")
        assert klee.outcome().status == 0, klee.outcome().describe()


@given(parsers.parse('I ran "{command}"'))
def ran(klee: Session, command: str) -> None:
    run(klee, command)
    assert klee.outcome().status == 0, klee.outcome().describe()


@given(parsers.parse('I ran "{command}" and remembered the output as <{name}>'))
def ran_and_remembered(klee: Session, command: str, name: str) -> None:
    ran(klee, command)
    klee.values[name] = klee.outcome().stdout.strip()


@given(parsers.parse('the pf template has "{line}" after the filtering marker'))
def broken_template(klee: Session, line: str) -> None:
    from kleene.pf import FILTERING_MARKER, default_template

    text = default_template().replace(FILTERING_MARKER, f"{FILTERING_MARKER}\n{line}")
    path = Path(json_config_value(klee, "pf_template_path"))
    path.write_text(text)


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pf"


@given(parsers.parse('the pf template is the fixture template "{name}"'))
def fixture_template(klee: Session, name: str) -> None:
    path = Path(json_config_value(klee, "pf_template_path"))
    path.write_text((FIXTURES / name).read_text())


@then(parsers.parse('the output is the pf fixture "{name}" with network <{value}>'))
def output_is_pf_fixture(klee: Session, name: str, value: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.json").read_text())
    network_id = expected["networks"][0]["id"]
    text = (FIXTURES / f"{name}.pf").read_text().replace(network_id, klee.values[value])
    assert klee.outcome().stdout == text, klee.outcome().describe()


def json_config_value(klee: Session, key: str) -> str:
    import os
    import tomllib

    with open(os.environ["KLEENE_CONFIG"], "rb") as handle:
        return str(tomllib.load(handle)[key])


@when(parsers.parse('I run "{command}"'))
def i_run(klee: Session, command: str) -> None:
    run(klee, command)


@when(parsers.parse('I run "{command}" and answer "{answer}"'))
def i_run_and_answer(klee: Session, command: str, answer: str) -> None:
    run(klee, command, stdin=answer + "\n")


@when(parsers.parse("I remember the output as <{name}>"))
@then(parsers.parse("I remember the output as <{name}>"))
def remember(klee: Session, name: str) -> None:
    klee.values[name] = klee.outcome().stdout.strip()


@then("it succeeds")
def succeeds(klee: Session) -> None:
    assert klee.outcome().status == 0, klee.outcome().describe()


@then(parsers.parse('it fails with "{message}"'))
def fails_with(klee: Session, message: str) -> None:
    outcome = klee.outcome()
    assert outcome.status == 1, outcome.describe()
    assert outcome.stderr == klee.fill(message) + "\n", outcome.describe()
    assert outcome.stdout == "", outcome.describe()


@then("it fails with:")
def fails_with_lines(klee: Session, docstring: str) -> None:
    outcome = klee.outcome()
    assert outcome.status == 1, outcome.describe()
    assert outcome.stderr == klee.fill(docstring) + "\n", outcome.describe()


@then(parsers.parse("the exit status is {status:d}"))
def exit_status(klee: Session, status: int) -> None:
    assert klee.outcome().status == status, klee.outcome().describe()


@then("the output is an id")
def output_is_id(klee: Session) -> None:
    outcome = klee.outcome()
    assert ID.fullmatch(outcome.stdout.rstrip("\n")), outcome.describe()
    assert outcome.stdout.count("\n") == 1, outcome.describe()


@then(parsers.parse('the output is "{text}"'))
def output_is_line(klee: Session, text: str) -> None:
    assert klee.outcome().stdout == klee.fill(text) + "\n", klee.outcome().describe()


@then("the output is:")
def output_is(klee: Session, docstring: str) -> None:
    actual = expand(klee.outcome().stdout)
    assert actual == klee.fill(docstring) + "\n", klee.outcome().describe()


@then("the output is empty")
def output_is_empty(klee: Session) -> None:
    assert klee.outcome().stdout == "", klee.outcome().describe()


@then(parsers.parse('the output contains "{text}"'))
def output_contains(klee: Session, text: str) -> None:
    assert klee.fill(text) in expand(klee.outcome().stdout), klee.outcome().describe()


@then(parsers.parse('the output does not contain "{text}"'))
def output_lacks(klee: Session, text: str) -> None:
    assert klee.fill(text) not in klee.outcome().stdout, klee.outcome().describe()


@then(parsers.parse('stderr contains "{text}"'))
def stderr_contains(klee: Session, text: str) -> None:
    assert klee.fill(text) in klee.outcome().stderr, klee.outcome().describe()


@then(parsers.parse('stderr is "{text}"'))
def stderr_is(klee: Session, text: str) -> None:
    assert klee.outcome().stderr == klee.fill(text) + "\n", klee.outcome().describe()


PLACEHOLDER = re.compile(r"<([A-Z]{1,3}[0-9]*|MAC[0-9]*|date|t|xx)>")
PATTERNS = {
    "date": r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}",
    "t": r"\d+\.\d{3}",
    "xx": r"[0-9a-f]{2}",
}


def _pattern(klee: Session, expected: str) -> re.Pattern[str]:
    """Turn expected text with placeholders into a regex capturing new ones."""
    pattern, position, seen = "", 0, set()
    for found in PLACEHOLDER.finditer(expected):
        pattern += re.escape(expected[position : found.start()])
        position = found.end()
        name = found.group(1)
        if name in klee.values:
            pattern += re.escape(klee.values[name])
        elif name in PATTERNS:
            pattern += PATTERNS[name]
        elif name in seen:
            pattern += f"(?P={name})"
        else:
            seen.add(name)
            body = (
                r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2}"
                if name.startswith("MAC")
                else (r"[0-9a-f]{12}")
            )
            pattern += f"(?P<{name}>{body})"
    return re.compile(pattern + re.escape(expected[position:]), re.S)


def matches(klee: Session, expected: str, actual: str, whole: bool = True) -> None:
    """Assert actual matches expected, remembering the placeholders it fills."""
    pattern = _pattern(klee, expected)
    found = pattern.fullmatch(actual) if whole else pattern.search(actual)
    assert found, f"expected:\n{expected}\n" + klee.outcome().describe()
    klee.values.update(found.groupdict())


@then("the output matches:")
def output_matches(klee: Session, docstring: str) -> None:
    matches(klee, docstring + "\n", expand(klee.outcome().stdout))


@then("the output includes:")
def output_includes(klee: Session, docstring: str) -> None:
    matches(klee, docstring + "\n", expand(klee.outcome().stdout), whole=False)


@then(parsers.parse('the output line {number:d} is "{text}"'))
def output_line(klee: Session, number: int, text: str) -> None:
    lines = klee.outcome().stdout.split("\n")
    assert lines[number - 1] == klee.fill(text), klee.outcome().describe()


@then("stderr is:")
def stderr_is_lines(klee: Session, docstring: str) -> None:
    outcome = klee.outcome()
    assert outcome.stderr == klee.fill(docstring) + "\n", outcome.describe()


@then("the output is an empty line")
def output_is_empty_line(klee: Session) -> None:
    assert klee.outcome().stdout == "\n", klee.outcome().describe()


@then(parsers.parse('the JSON output has "{path}" equal to {value}'))
def json_value(klee: Session, path: str, value: str) -> None:
    document: Any = json.loads(klee.outcome().stdout)
    for key in path.split("."):
        document = document[int(key)] if isinstance(document, list) else document[key]
    assert document == json.loads(klee.fill(value)), klee.outcome().describe()


@then(parsers.parse("the output has {count:d} lines"))
def line_count(klee: Session, count: int) -> None:
    assert len(klee.outcome().stdout.splitlines()) == count, klee.outcome().describe()


BACKGROUND = "import sys; from kleene.cli import main; sys.exit(main(sys.argv[1:]))"


@given(parsers.parse('I started "{command}" in the background'))
@when(parsers.parse('I start "{command}" in the background'))
def start_in_background(klee: Session, command: str) -> None:
    """Start a klee command in another process, as in a second terminal."""
    words = shlex.split(klee.fill(command))
    assert words[0] == "klee", f"steps run klee, not {words[0]}"
    process = subprocess.Popen(
        [sys.executable, "-c", BACKGROUND, *words[1:]],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    klee.background.append((tuple(words[1:]), process))
    klee.background_output.append(Collector(process))


class Collector:
    """Collect a background process's stdout as it comes."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.chunks: list[str] = []
        assert process.stdout is not None
        self.thread = threading.Thread(
            target=self._read, args=(process.stdout,), daemon=True
        )
        self.thread.start()

    def _read(self, stream: Any) -> None:
        for line in stream:
            self.chunks.append(line)

    def text(self) -> str:
        return "".join(self.chunks)


@when(parsers.parse('I wait until the background command prints "{text}"'))
def wait_for_background(klee: Session, text: str) -> None:
    """Wait until the newest background command has printed text."""
    collector = klee.background_output[-1]
    deadline = time.monotonic() + 30
    while klee.fill(text) not in collector.text():
        assert time.monotonic() < deadline, collector.text()
        time.sleep(0.05)


@given(parsers.parse('I waited until "{command}" prints "{text}"'))
@when(parsers.parse('I wait until "{command}" prints "{text}"'))
def wait_until_prints(klee: Session, command: str, text: str) -> None:
    """Run a klee command again and again until its output contains text."""
    deadline = time.monotonic() + 30
    while True:
        run(klee, command)
        if klee.fill(text) in klee.outcome().stdout:
            return
        assert time.monotonic() < deadline, klee.outcome().describe()
        time.sleep(0.1)


@when("I interrupt the background command")
def interrupt_background(klee: Session) -> None:
    """Press Ctrl-C in the second terminal."""
    klee.background[0][1].send_signal(signal.SIGINT)


@when("the background command has ended")
def background_ended(klee: Session) -> None:
    """Wait for the oldest background command; its outcome is the last one."""
    args, process = klee.background.pop(0)
    collector = klee.background_output.pop(0)
    process.wait(timeout=60)
    collector.thread.join(timeout=10)
    stderr = process.stderr.read() if process.stderr is not None else ""
    klee.last = Outcome(args, process.returncode, collector.text(), stderr)
