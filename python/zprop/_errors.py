"""zp_status codes as Python exceptions."""
from ._lib import lib

OK, EINVAL, ENOMEM, EIO, EFORMAT, ENUMERIC, EBACKEND, ECUDA, ECUBLAS, ESTOPPED = range(10)


class ZpropError(RuntimeError):
    """A failure reported by libzprop; ``code`` is its zp_status."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


class ZpropValueError(ZpropError, ValueError):
    """A bad parameter value (ZP_EINVAL): the message is the CLI's line."""


class ZpropFileError(ZpropError, OSError):
    """A file that cannot be read or written, or departs from its format."""


def raise_for(status, err):
    """Raises the exception of a failed call (status != 0) with its message."""
    if status == OK:
        return
    message = err.msg.decode(errors="replace") or lib.zp_strerror(status).decode()
    if status == EINVAL:
        raise ZpropValueError(message, status)
    if status in (EIO, EFORMAT):
        raise ZpropFileError(message, status)
    if status == ENOMEM:
        raise MemoryError(message)
    raise ZpropError(message, status)
