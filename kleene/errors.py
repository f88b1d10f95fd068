"""The one exception tree of kleene.

Every error a user can see is a ``KleeneError``: its ``str()`` is the one line
that ``klee`` reports on stderr, and ``exit_code`` is the status klee exits with.

    KleeneError                     anything klee reports (exit 1)
    ├── ConfigError                 the configuration file is missing or wrong
    ├── ValidationError             a value given by the user is invalid
    ├── NotFound                    a network, container, endpoint or image is unknown
    ├── Conflict                    the request contradicts the current state
    │   └── Ambiguous               an id prefix matches several objects
    ├── AllocationError             address management refused the request
    │   ├── PoolExhausted           no free address is left in a subnet
    │   └── AddressUnavailable      a requested address is not free
    ├── StateError                  stored state is unreadable or of another version
    └── HostError                   the host could not do what was asked
        ├── CommandFailed           a host command exited non-zero (argv, status)
        ├── CommandNotFound         the host has no such command (exit 127)
        ├── PrivilegeError          a mutating command needs root
        └── PfLoadError             pf refused the rendered ruleset

Messages are one sentence naming the object, the bad value and, where known,
the fix. Backends map their own failures into this tree with ``raise ... from``.
"""

from __future__ import annotations

from collections.abc import Sequence


class KleeneError(Exception):
    """Base of every error that klee reports to the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(KleeneError):
    """The configuration file cannot be used."""


class ValidationError(KleeneError):
    """A value given on the command line or in the configuration is invalid."""


class NotFound(KleeneError):
    """An object named by the user does not exist."""


class Conflict(KleeneError):
    """The request contradicts the current state (name taken, already connected)."""


class Ambiguous(Conflict):
    """An identifier prefix matches more than one object."""


class AllocationError(KleeneError):
    """Address management refused a request."""


class PoolExhausted(AllocationError):
    """No free address is left in a subnet."""


class AddressUnavailable(AllocationError):
    """A requested address is reserved or already allocated."""


class StateError(KleeneError):
    """Stored state cannot be read."""


class HostError(KleeneError):
    """The host could not carry out a change."""


class CommandFailed(HostError):
    """A host command exited with a non-zero status."""

    def __init__(self, argv: Sequence[str], status: int, output: str) -> None:
        self.argv = list(argv)
        self.status = status
        self.output = output
        detail = output.strip()
        super().__init__(f"host command failed: {' '.join(self.argv)}: {detail}")


class CommandNotFound(HostError):
    """The host has no command of that name."""

    exit_code = 127

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"command not found: {name}")


class PrivilegeError(HostError):
    """A command that changes the host was run without root privileges."""


class PfLoadError(HostError):
    """pf refused the rendered ruleset; ``output`` is what pfctl printed."""

    def __init__(self, output: str, *, rolled_back: bool = True) -> None:
        self.output = output
        self.rolled_back = rolled_back
        first = (
            "could not load the pf ruleset; the change was rolled back"
            if rolled_back
            else "could not load the pf ruleset; the previous ruleset stays loaded"
        )
        text = output.rstrip("\n")
        super().__init__(f"{first}\n{text}" if text else first)
