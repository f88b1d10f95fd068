"""The real FreeBSD host: the one subprocess runner and ``FreeBSDHost``.

``runner`` is the only module of kleene that starts processes; ``host`` puts
the ``Host`` protocol on top of it and of the local filesystem. The output of
the commands is parsed by ``kleene.inventory``, shared with the simulated host.
"""
