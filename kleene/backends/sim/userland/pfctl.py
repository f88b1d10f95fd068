"""pfctl(8): enable and disable pf, check and load rulesets, show status.

Supported options (SPEC §7.5): ``-e``, ``-d``, ``-f FILE`` (``-`` is stdin),
``-n`` (check only) and ``-s info|rules|nat|states``; they combine as
pfctl's do: disable first, then the ruleset, then enable. Messages (SPEC
§7.7): ``pf enabled``, ``pfctl: pf already enabled`` (exit 1), ``pf
disabled``, ``pfctl: pf not enabled`` (exit 1); a ruleset with errors
prints them, then ``pfctl: Syntax error in config file: pf rules not
loaded`` (exit 1). ``-s info`` prints only its status line and an empty
line (sim wording: FreeBSD goes on with counters); ``-s rules``, ``-s nat``
and ``-s states`` print the loaded rules, translation rules and states one
per line (``kleene.backends.sim.pf``).
"""

from __future__ import annotations

import getopt

from kleene.backends.sim.kernel import files, pf
from kleene.backends.sim.kernel.errno import KernelError
from kleene.backends.sim.userland.process import Process, Usage

USAGE = "usage: pfctl [-den] [-f file] [-s info|rules|nat|states]"
SHOW = ("info", "rules", "nat", "states")

SYNTAX_ERROR = "pfctl: Syntax error in config file: pf rules not loaded"


def main(proc: Process, args: list[str]) -> int:
    """Run pfctl."""
    try:
        options, rest = getopt.getopt(args, "denf:s:")
    except getopt.GetoptError:
        raise Usage from None
    given = dict(options)
    if rest or not given or given.get("-s", "info") not in SHOW:
        raise Usage
    if not pf.device_present(proc.world):
        proc.fail("pfctl: /dev/pf: No such file or directory")

    status = 0
    if "-d" in given:
        status |= _disable(proc)
    if "-s" in given:
        _show(proc, given["-s"])
    if "-f" in given:
        status |= _load(proc, given["-f"], check_only="-n" in given)
    if "-e" in given and status == 0:
        status |= _enable(proc)
    return status


def _enable(proc: Process) -> int:
    try:
        pf.enable(proc.world, proc.stack)
    except KernelError:
        proc.print("pfctl: pf already enabled")
        return 1
    proc.print("pf enabled")
    return 0


def _disable(proc: Process) -> int:
    try:
        pf.disable(proc.world, proc.stack)
    except KernelError:
        proc.print("pfctl: pf not enabled")
        return 1
    proc.print("pf disabled")
    return 0


def _load(proc: Process, path: str, *, check_only: bool) -> int:
    if path == "-":
        text, source = proc.stdin, "stdin"
    else:
        found = files.read(proc.world, path)
        if found is None:
            proc.print(f"pfctl: {path}: No such file or directory")
            proc.print(
                "pfctl: cannot open the main config file!: No such file or directory"
            )
            proc.print(SYNTAX_ERROR)
            return 1
        text, source = found, path

    if check_only:
        errors = pf.check_ruleset(text, source)
    else:
        errors = pf.load(proc.world, proc.stack, text, source)
    for line in errors:  # the parser's lines end with pfctl's own last line
        proc.print(line)
    return 1 if errors else 0


def _show(proc: Process, what: str) -> None:
    if what == "info":
        _show_info(proc)
        return
    from kleene.backends.sim.pf import runtime

    lines = runtime.show(proc.world, proc.stack, what)
    proc.write("".join(line + "\n" for line in lines))


def _show_info(proc: Process) -> None:
    state = proc.stack.pf
    if state.enabled and state.since_us is not None:
        seconds = (proc.world.clock_us - state.since_us) // 1_000_000
        days, seconds = divmod(seconds, 86400)
        hours, seconds = divmod(seconds, 3600)
        minutes, seconds = divmod(seconds, 60)
        status = f"Status: Enabled for {days} days {hours:02}:{minutes:02}:{seconds:02}"
    else:
        status = "Status: Disabled"
    proc.write(f"{status:<44}{'Debug: Urgent':>15}\n\n")
