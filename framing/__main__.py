"""python -m framing: the same as the ``framing`` command."""
import sys

from .cli import main

sys.exit(main())
