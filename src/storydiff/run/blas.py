"""One BLAS thread for linking.

Linking multiplies small matrices (a story's sentence vectors, a few hundred by 512): a second
OpenBLAS thread gains no wall time there, yet after each product it spins, waiting for more work,
on the core that the run's other work (or a pool's other worker) needs. Measured on 100 articles
linked into a store (`benchmarks/incremental.py`): 2.9 s CPU with two threads, 2.1 s with one, the
same 2.1 s of wall time either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any


def _controller() -> Any:
    """threadpoolctl's view of the BLAS libraries loaded now (about 5 ms). Not kept: NumPy's and
    SciPy's OpenBLAS load at different times, and a view taken before one loads would leave it at
    its own thread count."""
    try:
        from threadpoolctl import ThreadpoolController
    except ModuleNotFoundError:  # a trimmed install: BLAS keeps its own thread count
        return None
    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    controller = _controller()
    with nullcontext() if controller is None else controller.limit(limits=1, user_api="blas"):
        yield
