"""One exception tree. Every message says what went wrong and what to do next.

The CLI maps these to exit codes at the edge; the library only raises.
"""


class PatentqError(Exception):
    """Base class. ``exit_code`` is what the CLI returns for it."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class UsageError(PatentqError):
    """The user asked for something that does not make sense (bad option, unknown name)."""

    exit_code = 2


class BadInputError(PatentqError):
    """An input file cannot be read at all: corrupt, truncated, empty or the wrong format."""

    exit_code = 3


class LakeError(PatentqError):
    """The lake folder is missing, unreadable or from an incompatible schema version."""

    exit_code = 3


class MissingDependencyError(UsageError):
    """An optional extra is needed (e.g. ``patentq[spark]``)."""


class DefinitionError(UsageError):
    """A landscape definition or query is invalid. Carries line and column where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, hint=None):
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(message + where, hint)
        self.line = line
        self.column = column


class StageError(PatentqError):
    """A stage's SQL failed in the engine for a reason that is not the user's input: a bug.

    Carries the stage, the step and the SQL, so the report names where it failed.
    """

    def __init__(self, message: str, stage: str | None = None, step: str | None = None, sql: str | None = None,
                 hint: str | None = None):
        where = "/".join(x for x in (stage, step) if x)
        super().__init__(f"{where}: {message}" if where else message, hint)
        self.stage, self.step, self.sql = stage, step, sql


class ResourceError(StageError):
    """The machine ran out of something (memory, disk) or the run was stopped: not a bug, and
    the lake is unchanged. The hint names the limits in force and the options that help."""

    exit_code = 3


class LockedError(LakeError):
    """Another patentq process is writing to the lake."""
