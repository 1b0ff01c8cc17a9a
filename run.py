"""Entry point for `flask --app run …` and gunicorn (`run:app`)."""

import ctypes
import ctypes.util
import gc

from app import create_app


def _give_big_blocks_back() -> None:
    """Let freed big blocks go back to the system at once, as they do at first.

    glibc serves a block above its mmap threshold (128 KiB) from its own mapping, returned when
    freed, but then raises the threshold to that block's size: the next such block comes from the
    heap and stays resident. Argon2 takes 12 MiB per sign-in, so each worker would keep 12 MiB it
    no longer uses. Setting the threshold fixes it at glibc's default. Other C libraries: nothing.
    """
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD


def _set_aside_what_lives_for_good() -> None:
    """Keep the garbage collector's full passes off what lives as long as the process.

    A worker starts with over 100,000 objects that the cyclic collector follows (modules, mapped
    classes, compiled routes and templates), none of which ever becomes garbage; yet each of its
    full passes walks them all, in the middle of some request. Freezing them after start-up leaves
    the collector with what requests make. Garbage from start-up is collected first.
    """
    gc.collect()
    gc.freeze()


_give_big_blocks_back()
app = create_app()
_set_aside_what_lives_for_good()
