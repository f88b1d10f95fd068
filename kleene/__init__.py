"""kleene: Kleene-compatible container networking for FreeBSD jails.

The package is laid out as DESIGN.md describes: pure domain modules (model,
ipam, pf, plans) on top, the engine in the middle, and one ``Host`` seam with
a FreeBSD, a simulated and a recording host below it.
"""

__version__ = "0.1.0"
