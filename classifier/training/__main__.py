"""``python -m classifier.training`` rebuilds the bundled default model."""

from classifier.training.trainer import main

raise SystemExit(main())
