"""The simulated FreeBSD kernel: functions over the ``World`` state.

One module per subsystem, each owning the rules of its part of the machine:

- ``errno``: FreeBSD error numbers and their ``strerror`` texts (``KernelError``)
- ``entropy``: seeded random streams; ``clock``: the virtual clock
- ``runtime``: ``Runtime``, one session's kernel: the frame queue, caches,
  output to exec logs, and the handlers of waiting programs
- ``iftypes``: per-driver traits (flags, options, media, groups, nd6)
- ``interfaces``: look-up, cloning, destroy, rename, up/down, ether, mtu
- ``addresses``: adding and removing IPv4/IPv6 addresses, link-local rules
- ``bridge``: bridge membership; ``routes``: routing tables per stack
- ``link``: frames on epairs, bridges (learning, flooding) and em0's segment
- ``neighbor``: ARP and NDP with caches; ``ip``: input, output, forwarding,
  source selection; ``icmp``: echo and errors; ``tcp``, ``udp``, ``sockets``
- ``pfhook``: where pf sees packets (``pf_filter``); ``capture``: pcap
  captures and the pf log
- ``outside``: the gateway, resolvers and internet behind em0; ``dnszone``
- ``procs``: processes, timers, signals; ``jails``: jails and vnet stacks;
  ``mounts``: ZFS datasets and devfs
- ``sysctl``, ``modules``, ``pf`` (rulesets), ``files``

The kernel raises ``KernelError`` with an errno; the userland turns that into
the message of the command that made the call, as FreeBSD's programs do.
"""
