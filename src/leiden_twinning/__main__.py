"""``python -m leiden_twinning``: the same as the ``leiden-twinning`` command."""

from leiden_twinning.cli import main

raise SystemExit(main())
