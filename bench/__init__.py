"""stancemeter's benchmark (`make bench`).

Importing this package pins BLAS to one thread per process (see
:func:`config.pin_threads`) before any of its modules imports NumPy.
"""

from config import pin_threads

pin_threads()
