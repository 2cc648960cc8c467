"""``python -m mrtext`` runs the command line."""

import sys

from mrtext.cli import main

sys.exit(main())
