"""Entry point for `flask --app run …` and gunicorn (`run:app`)."""

import ctypes
import ctypes.util

from app import create_app


def _give_big_blocks_back() -> None:
    """Let freed big blocks go back to the system at once, as they do at first.

    glibc serves a block above its mmap threshold (128 KiB) from its own mapping, returned when
    freed, but then raises the threshold to that block's size: the next such block comes from the
    heap and stays resident. Argon2 takes 19 MiB per sign-in, so each worker would keep 19 MiB it
    no longer uses. Setting the threshold fixes it at glibc's default. Other C libraries: nothing.
    """
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD


_give_big_blocks_back()
app = create_app()
