"""``python -m classifier`` runs the command-line interface."""

from classifier.cli.parser import main

# Guarded: the web server's reader workers are spawned processes that import the main
# module again, and must not run the command line themselves.
if __name__ == "__main__":
    raise SystemExit(main())
