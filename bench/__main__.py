"""python -m bench run --scale 10k   (see bench/cli.py and docs/performance.md)."""

import sys

from bench.cli import main

sys.exit(main())
