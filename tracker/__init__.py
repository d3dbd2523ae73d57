"""The support tracker: a dated news archive in, a statements table, timelines and
change points out (``make track``).

Importing this package pins BLAS to one thread per process (see
:func:`config.pin_threads`) before any of its modules imports NumPy; every Dask
worker imports it too, so a single-threaded worker really uses one core.
"""

from config import pin_threads

pin_threads()
