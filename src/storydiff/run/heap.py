"""Linking leaves the objects that were alive before it out of the garbage collector's walks.

A full collection walks every tracked object in the process: the spaCy pipeline and the embedder
(about 120,000 objects), this run's analysed articles, and whatever a caller holds. Linking
allocates a lot, so it triggers a few such walks, and their cost grew with what was alive before
the link rather than with the link's own work: into a store of 1,683 articles a run's link paid
0.17 s CPU of collections against 0.02 s into an empty store (`benchmarks/incremental.py`).
Objects that were alive before a link outlive it, so while it runs they are set aside
(`gc.freeze`) and handed back afterwards; the garbage the link itself makes is collected as before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def older_objects_set_aside() -> Iterator[None]:
    """Within the block, collections walk only the objects made inside it. Where objects are set
    aside already (an outer block, or a caller's own `gc.freeze`), it leaves them so."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
