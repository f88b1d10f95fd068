"""The virtual clock: integer microseconds since the Unix epoch in the world.

It starts at ``2024-01-01T00:00:00Z`` and moves only when something waits
(later issues: timers, pacing); ``date`` and ``pfctl -s info`` read it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kleene.backends.sim.world import World

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
START_US = 1_704_067_200 * 1_000_000

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def now(world: World) -> datetime:
    """Return the world's time as a timezone-aware UTC datetime."""
    return EPOCH + timedelta(microseconds=world.clock_us)


def date_text(moment: datetime) -> str:
    """Format a time as FreeBSD's date(1): ``Mon Jan  1 00:00:00 UTC 2024``."""
    return (
        f"{_DAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day:2d} "
        f"{moment:%H:%M:%S} UTC {moment.year}"
    )
