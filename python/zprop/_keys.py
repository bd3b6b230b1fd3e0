"""The parameter table of libzprop, seen from Python: the keys of each
command, their help text, and setting them on a zp_params set."""
import ctypes as C
import difflib
import functools

from ._errors import raise_for
from ._lib import Error, lib

_libc = C.CDLL(None)
_libc.open_memstream.restype = C.c_void_p
_libc.open_memstream.argtypes = [C.POINTER(C.c_void_p), C.POINTER(C.c_size_t)]
_libc.fclose.argtypes = [C.c_void_p]
_libc.free.argtypes = [C.c_void_p]

COMMANDS = ("spectrum", "batch", "fit", "scan", "gm2")
_KIND = ("real", "int", "word", "oscillation", "ratio", "path", "text")


def _s(b):
    return b.decode() if b is not None else ""


def keys(command):
    """The keys of ``command`` as dicts (name, kind, default, unit, allowed,
    help), in the order of ``zprop <command> --help``."""
    return [dict(k) for k in _keys(command)]


@functools.lru_cache(maxsize=None)
def _keys(command):
    """keys(), read from the library once per command (the table is static)."""
    bit = lib.zp_param_command(command.encode())
    out = []
    for i in range(lib.zp_param_count()):
        row = lib.zp_param_at(i).contents
        if not row.commands & bit:
            continue
        own = lib.zp_param_find_in(row.name, bit).contents
        out.append({"name": _s(own.name), "kind": _KIND[own.kind], "default": _s(own.default),
                    "unit": _s(own.unit), "allowed": _s(own.allowed), "help": _s(own.help)})
    return tuple(out)


def key_doc(command):
    """The key list of a docstring, generated from the table."""
    lines = []
    for k in keys(command):
        unit = f" [{k['unit']}]" if k["unit"] else ""
        default = k["default"] or '""'
        lines.append(f"    {k['name']}{unit} = {default}\n        {k['help']}; allowed {k['allowed']}")
    return "\n".join(lines)


def to_text(name, value):
    """A Python value as the text of ``name=value`` on the command line."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (list, tuple)):
        return ",".join(to_text(name, v) for v in value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, slice):
        raise TypeError(f"{name}: give a range as 'lo:hi:n' or zprop.axis(lo, hi, n)")
    try:  # numpy scalars and the like
        import numpy as np
        if isinstance(value, np.generic):
            return to_text(name, value.item())
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    return str(value)


class Params:
    """A zp_params set of one command, freed with the object."""

    def __init__(self, command, values, extra_allowed=()):
        self.command = command
        self._p = C.c_void_p()
        err = Error()
        raise_for(lib.zp_params_create(command.encode(), C.byref(self._p), C.byref(err)), err)
        names = [k["name"] for k in _keys(command)]
        for name, value in values.items():
            if name in extra_allowed:
                continue
            if name not in names:
                close = difflib.get_close_matches(name, names, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise TypeError(f"zprop.{command}() got an unknown key {name!r}{hint}")
            self.set(name, value)

    def set(self, name, value):
        err = Error()
        raise_for(lib.zp_params_set(self._p, name.encode(), to_text(name, value).encode(),
                                    C.byref(err)), err)

    def get(self, name):
        return _s(lib.zp_params_get(self._p, name.encode()))

    def effective(self):
        """The effective parameters as `zprop <command> --dry-run` prints
        them (presets resolved), once the set has been checked."""
        buf, size = C.c_void_p(), C.c_size_t()
        f = _libc.open_memstream(C.byref(buf), C.byref(size))
        if not f:
            raise MemoryError("open_memstream")
        err = Error()
        st = lib.zp_params_write(self._p, f, C.byref(err))
        _libc.fclose(f)
        text = C.string_at(buf, size.value).decode()
        _libc.free(buf)
        if st != 0:  # not checked (never computed): the texts as set
            return {k["name"]: self.get(k["name"]) for k in _keys(self.command)}
        return dict(line.split(" = ", 1) for line in text.splitlines() if " = " in line)

    @property
    def handle(self):
        return self._p

    def __del__(self):
        if getattr(self, "_p", None):
            lib.zp_params_free(self._p)
            self._p = None
