"""``python -m bench.make_org N ...``: run the generator's command line (``cli.main``)."""

import sys

from bench.make_org.cli import main

if __name__ == "__main__":
    sys.exit(main())
