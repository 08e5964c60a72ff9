"""Exceptions framing raises on purpose. Each message says what is wrong and how to fix it.

These are the user errors: the command line reports them in one line and a
non-zero exit. Any other exception is a bug, reported with its traceback.
"""

__all__ = ["FramingError", "ModelError", "DataError", "InputError", "RowError", "OutputError"]


class FramingError(Exception):
    """Base class of the errors framing raises deliberately."""


class ModelError(FramingError, ValueError):
    """A model file is missing, corrupted, of another format, or built with other text processing."""


class DataError(FramingError, ValueError):
    """Labelled data failed validation. ``problems`` lists one ``file:line: message`` per problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the data"
        shown = "\n".join(self.problems[:50])
        more = f"\n... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{head}:\n{shown}{more}")


class InputError(FramingError, ValueError):
    """A problem with the user's input: a file, its format, or a command-line option."""


class RowError(InputError):
    """A problem with one row of a corpus, which ``--skip-errors`` can leave out.

    ``line`` is where the row starts in its file; ``problem`` says what is wrong with it.
    """

    def __init__(self, line: int, problem: str):
        super().__init__(f"line {line}: {problem}")
        self.line, self.problem = line, problem


class OutputError(FramingError, OSError):
    """An output file cannot be written where it was asked for."""
