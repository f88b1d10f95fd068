"""Seeded random streams: every random choice of the world comes from here.

A stream is named by its use (``mac`` for interface addresses, ``host`` for
the engine's ``random_bytes``; later ``ping``, ``tcp``). Block ``n`` of
stream ``s`` is SHA-256 of ``"<seed>/<s>/<n>"``, and the world persists how
many blocks each stream has used, so a fresh world with the same seed and the
same calls yields the same bytes, and one stream never shifts another.
"""

from __future__ import annotations

import hashlib

from kleene.backends.sim.world import World


def draw(world: World, stream: str, count: int) -> bytes:
    """Return ``count`` bytes from a stream and advance its counter."""
    if count < 0:
        raise ValueError(f"cannot draw {count} random bytes")
    counter = world.entropy.get(stream, 0)
    out = bytearray()
    while len(out) < count:
        seed = f"{world.seed}/{stream}/{counter}".encode()
        out += hashlib.sha256(seed).digest()
        counter += 1
    world.entropy[stream] = counter
    return bytes(out[:count])
