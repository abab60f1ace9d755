"""``python -m classifier`` runs the command-line interface."""

from classifier.cli.parser import main

raise SystemExit(main())
