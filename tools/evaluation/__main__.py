"""`python -m tools.evaluation` (run from the repository checkout)."""

import sys

from tools.evaluation.cli import main

sys.exit(main())
