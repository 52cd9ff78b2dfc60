"""`python -m exchange_sandbox serve|deliver ...`: the same commands as `liaison sandbox`."""

import sys

from .cli import main

sys.exit(main())
