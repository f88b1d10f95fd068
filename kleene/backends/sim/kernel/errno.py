"""FreeBSD error numbers and their texts, and ``KernelError`` that carries one.

The texts are FreeBSD's ``strerror`` strings, which differ from Linux's for
some numbers (``Can't assign requested address``, ``Device busy``,
``Operation timed out``), so the host's ``os.strerror`` is never used.
"""

from __future__ import annotations

from enum import IntEnum


class Errno(IntEnum):
    """The FreeBSD errno values the simulation uses."""

    EPERM = 1
    ENOENT = 2
    ESRCH = 3
    ENXIO = 6
    EACCES = 13
    EBUSY = 16
    EEXIST = 17
    EINVAL = 22
    EPROTONOSUPPORT = 43
    EAFNOSUPPORT = 47
    EADDRINUSE = 48
    EADDRNOTAVAIL = 49
    ENETDOWN = 50
    ENETUNREACH = 51
    ECONNRESET = 54
    ETIMEDOUT = 60
    ECONNREFUSED = 61
    ENAMETOOLONG = 63
    EHOSTUNREACH = 65


_STRERROR = {
    Errno.EPERM: "Operation not permitted",
    Errno.ENOENT: "No such file or directory",
    Errno.ESRCH: "No such process",
    Errno.ENXIO: "Device not configured",
    Errno.EACCES: "Permission denied",
    Errno.EBUSY: "Device busy",
    Errno.EEXIST: "File exists",
    Errno.EINVAL: "Invalid argument",
    Errno.ENAMETOOLONG: "File name too long",
    Errno.EPROTONOSUPPORT: "Protocol not supported",
    Errno.EAFNOSUPPORT: "Address family not supported by protocol family",
    Errno.EADDRINUSE: "Address already in use",
    Errno.EADDRNOTAVAIL: "Can't assign requested address",
    Errno.ENETDOWN: "Network is down",
    Errno.ENETUNREACH: "Network is unreachable",
    Errno.ECONNRESET: "Connection reset by peer",
    Errno.ETIMEDOUT: "Operation timed out",
    Errno.ECONNREFUSED: "Connection refused",
    Errno.EHOSTUNREACH: "No route to host",
}


def strerror(errno: Errno) -> str:
    """Return FreeBSD's text for an errno."""
    return _STRERROR[errno]


class KernelError(Exception):
    """A kernel call failed with an errno (the userland words the message)."""

    def __init__(self, errno: Errno) -> None:
        super().__init__(strerror(errno))
        self.errno = errno

    @property
    def text(self) -> str:
        """Return the errno's text, as err(3) appends it."""
        return strerror(self.errno)
