"""pf in a stack: enable, disable, check and load a ruleset.

``check_ruleset`` is the one place where the pf.conf parser plugs in (SPEC
§7.10): it returns the lines pfctl prints for an invalid ruleset
(``<source>:<line>: syntax error`` ... and pfctl's closing line), none when
the text is valid; ``load`` keeps the text as loaded.
"""

from __future__ import annotations

import logging

from kleene.backends.sim.kernel import modules
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.world import Stack, World

logger = logging.getLogger(__name__)


def check_ruleset(text: str, source: str) -> list[str]:
    """Return the errors pfctl reports for a ruleset read from ``source``."""
    from kleene.backends.sim import pf as pfconf

    return pfconf.check(text, source)


def device_present(world: World) -> bool:
    """Tell whether ``/dev/pf`` exists (the pf module is loaded)."""
    return modules.is_loaded(world, "pf")


def enable(world: World, stack: Stack) -> None:
    """Enable pf and note the time; EEXIST when it is enabled already."""
    if stack.pf.enabled:
        raise KernelError(Errno.EEXIST)
    stack.pf.enabled = True
    stack.pf.since_us = world.clock_us
    logger.info("pf enabled in stack %s", stack.name)


def disable(world: World, stack: Stack) -> None:
    """Disable pf; ENOENT when it is not enabled."""
    if not stack.pf.enabled:
        raise KernelError(Errno.ENOENT)
    stack.pf.enabled = False
    stack.pf.since_us = world.clock_us
    logger.info("pf disabled in stack %s", stack.name)


def load(world: World, stack: Stack, text: str, source: str) -> list[str]:
    """Load a ruleset unless it has errors; return the errors."""
    del world
    errors = check_ruleset(text, source)
    if not errors:
        stack.pf.ruleset = text
        logger.info("pf ruleset loaded in stack %s from %s", stack.name, source)
    return errors
