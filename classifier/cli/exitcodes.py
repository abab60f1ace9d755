"""Exit codes of ``resume-role`` (documented in the README and in ``batch --help``)."""

EXIT_OK = 0  # success; "undetermined" is a success
EXIT_USER_ERROR = 1  # one line on stderr, no traceback
EXIT_USAGE = 2  # argparse
EXIT_SOME_FAILED = 3  # batch: some files failed, all others written
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGTERM; run the same command again to resume
