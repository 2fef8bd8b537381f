"""``python -m auth_tickets``: the same command line as the ``auth-tickets`` script."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
