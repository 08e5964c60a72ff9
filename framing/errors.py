"""Exceptions framing raises on purpose. Each message says what is wrong and how to fix it."""


class FramingError(Exception):
    """Base class of the errors framing raises deliberately."""


class ModelError(FramingError, ValueError):
    """A model file is missing, corrupted, untrusted or built for other library versions."""


class DataError(FramingError, ValueError):
    """Labelled data failed validation. ``problems`` lists one ``file:line: message`` per problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the data"
        shown = "\n".join(self.problems[:50])
        more = f"\n... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(f"{head}:\n{shown}{more}")
