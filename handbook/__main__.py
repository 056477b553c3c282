"""``python -m handbook`` is the ``handbook`` command."""

import sys

from .cli import main

sys.exit(main())
