#!/usr/bin/env python
"""Django's command-line utility for Terreau (also `terreau` or `python -m terreau`)."""

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run this checkout's code even when another checkout is installed in the environment.
    sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))
    from terreau.__main__ import main

    main()
