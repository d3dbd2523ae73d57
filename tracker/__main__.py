"""Command line: ``python -m tracker --archive PATH [--out DIR] ...`` (``make track``)."""

from tracker.cli import main

raise SystemExit(main())
