"""The simulated FreeBSD kernel: functions over the ``World`` state.

One module per subsystem, each owning the rules of its part of the machine:

- ``errno``: FreeBSD error numbers and their ``strerror`` texts (``KernelError``)
- ``entropy``: seeded random streams; ``clock``: the virtual clock
- ``iftypes``: per-driver traits (flags, options, media, groups, nd6)
- ``interfaces``: look-up, cloning, destroy, rename, up/down, ether, mtu
- ``addresses``: adding and removing IPv4/IPv6 addresses, link-local rules
- ``bridge``: bridge membership; ``routes``: routing tables per stack
- ``sysctl``, ``modules``, ``pf``, ``files``

The kernel raises ``KernelError`` with an errno; the userland turns that into
the message of the command that made the call, as FreeBSD's programs do.
"""
