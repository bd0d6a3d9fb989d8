"""Start the explorer: ``python main.py`` is ``python -m explorer`` is ``explorer``."""

import sys

from explorer.app import main

if __name__ == "__main__":
    sys.exit(main())
