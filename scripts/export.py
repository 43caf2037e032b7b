#!/usr/bin/env python3
"""Produce the Activity Tracking export file (see docs/using.md, "The export runner").

python scripts/export.py [--config export.xml] [--activityType quiz,poll] [--output FILE]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exporter.cli import main

if __name__ == "__main__":
    sys.exit(main())
