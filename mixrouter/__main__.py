"""``python -m mixrouter``: the ``mixrouter`` command (see ``mixrouter.cli``)."""

import sys

from .cli import main

sys.exit(main())
