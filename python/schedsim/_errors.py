"""ReapiError and the small value types shared by both bindings."""

import collections
import errno as _errno
import os


class ReapiError(Exception):
    """A failed resource-API call.

    ``str(e)`` (and ``e.message``) is the engine's (or the RPC's) message,
    ``e.errno`` Fluxion's errno for the failure: ``errno.EBUSY`` when the
    request cannot be satisfied now, ``errno.ENODEV`` when it never can,
    ``errno.ENOENT`` for an unknown job, ``errno.EINVAL`` for bad input,
    ``errno.EPROTO`` for a graph or options initialize() cannot use.
    """

    def __init__(self, message, errno=0):
        message = (message or "").rstrip("\n")
        if not message:
            message = os.strerror(errno) if errno else "unknown error"
        super().__init__(message)
        self.message = message
        self.errno = errno

    @property
    def errname(self):
        """Symbolic name of errno ("EBUSY"), or "" when unset."""
        return _errno.errorcode.get(self.errno, "")

    def __repr__(self):
        return "ReapiError(%r, errno=%s)" % (self.message, self.errname or self.errno)


#: stat(): graph size, jobs matched (canceled ones included), graph load
#: seconds, and min/max/average seconds per match.
Stat = collections.namedtuple("Stat", "V E J load min max avg")
