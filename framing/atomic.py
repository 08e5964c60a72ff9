"""Atomic file output: write beside the target, rename over it only when everything is written.

An error, Ctrl-C or a termination signal mid-way leaves any existing file
untouched and no partial file behind. A new file gets the usual mode
(``0666 & ~umask``); a replaced file keeps its own.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from .errors import OutputError

__all__ = ["atomic_file"]


def _create_beside(path: Path):
    """Open a new, unique temporary file in ``path``'s folder; returns (fd, its path)."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.part"
        try:
            # 0o666: the kernel applies the umask, as for any file a program creates.
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise OutputError(f"{path}: could not create a temporary file beside it")


@contextlib.contextmanager
def atomic_file(path):
    """A binary file object for ``path`` that replaces it only when the block ends without error.

    Raises
    ------
    OutputError
        When the target is a folder, or its folder is missing or not writable.
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder, expected a file name")
    try:
        fd, tmp = _create_beside(path)
    except FileNotFoundError:
        raise OutputError(f"{path}: no such folder: {path.parent}") from None
    except PermissionError:
        raise OutputError(f"{path}: permission denied: cannot write in {path.parent}") from None
    f = os.fdopen(fd, "wb")
    try:
        with f:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))  # replacing a file: keep its mode
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
