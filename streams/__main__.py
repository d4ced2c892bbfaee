"""`python -m streams`: the same entry point as the installed `streams` command."""

import sys

from streams.cli import main

sys.exit(main())
