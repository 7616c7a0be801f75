"""A landscape definition bound to one lake, for the Python API (``lake.landscape("genai")``)."""

from __future__ import annotations

from .apply import apply, summary, table_names
from .definition import Definition, load
from .explain import explain


class BoundLandscape:
    """``.apply()`` writes (or reuses) the landscape's tables; ``.explain(pub)`` says why a
    publication is in or out; ``.members()`` is the member families as a lazy relation."""

    def __init__(self, session, name_or_path):
        self.session = session
        self.definition: Definition = load(name_or_path)

    @property
    def name(self) -> str:
        return self.definition.name

    def apply(self) -> dict:
        return apply(self.definition, self.session)

    def summary(self) -> dict:
        self.apply()
        return summary(self.definition, self.session)

    def explain(self, publication_number: str) -> dict:
        return explain(self.definition, self.session, publication_number)

    def members(self):
        self.apply()
        return self.session.relation(table_names(self.definition)[0])

    def __repr__(self) -> str:
        return f"<landscape {self.name} v{self.definition.version} on {self.session.lake.path}>"
