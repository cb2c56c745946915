"""`python -m tools.bench` (run from the repository checkout)."""

import sys

from tools.bench.cli import main

sys.exit(main())
