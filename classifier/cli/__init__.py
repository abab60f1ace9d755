"""The ``resume-role`` command: a thin layer that parses, calls the library and renders.

:mod:`~classifier.cli.parser` builds the parser and maps errors to exit codes,
:mod:`~classifier.cli.commands` holds one handler per subcommand.
"""

from classifier.cli.parser import main

__all__ = ["main"]
