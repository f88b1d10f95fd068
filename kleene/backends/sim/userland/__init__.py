"""The simulated userland: one module per program, over the simulated kernel.

- ``process``: ``Process``, the context a program runs in (its record, the
  runtime, stdin, output, what its jail allows)
- ``execute``: ``run_program`` and ``spawn``; ``Waiting``, the base handler
- ``registry``: the programs by name and the handlers of waiting ones
- one module per program: ``ifconfig`` (with ``ifconfig_show``), ``route``,
  ``netstat``, ``sysctl``, ``kldload``, ``pfctl``, ``misc`` (cat, echo,
  true, false, hostname, date, sleep), ``env``, ``sh`` (with ``shparse``),
  ``rc`` (``/etc/rc``, ``/etc/rc.shutdown``, cron, syslogd), ``jail`` (with
  ``jailparams``), ``jexec``, ``jls``, ``storage`` (zfs, mount, umount)

Unsupported options print the program's usage line and exit 64 (sim
wording).
"""
