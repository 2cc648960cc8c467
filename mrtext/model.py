"""Plain data records shared by the stages (extract → link → export).

Records are JSON-friendly dataclasses; ``to_dict``/``from_dict`` give the
``mrtext/1`` JSON Lines schema written by ``mrtext extract``.

>>> e = Entity(label="DIARY_NUMBER", text="Dnr KS 2023/1159", start=0, end=16, value="KS 2023/1159")
>>> rec = DocumentRecord(id="002", entities=[e])
>>> DocumentRecord.from_dict(rec.to_dict()) == rec
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

__all__ = [
    "DOC_TYPES",
    "ENTITY_LABELS",
    "RELATION_TYPES",
    "SCHEMA",
    "DocumentRecord",
    "Entity",
    "Relation",
]

SCHEMA: Final = "mrtext/1"

ENTITY_LABELS: Final = ("DIARY_NUMBER", "DATE", "PROGRAM", "GOAL")
"""Labels of the entities the extraction stage reports."""

RELATION_TYPES: Final = ("replaces", "references", "responds_to", "part_of")
"""Types of the edges between documents and programs."""

DOC_TYPES: Final = (
    "remissvar",
    "remiss",
    "svar_pa_interpellation",
    "interpellation",
    "motion",
    "utlatande",
    "tjansteutlatande",
    "protokoll",
    "program",
    "rapport",
    "other",
)
"""Document types, as ASCII identifiers (``svar_pa_interpellation`` is *svar på interpellation*)."""


@dataclass(slots=True)
class Entity:
    """One extraction: a labelled span of the *original* input with a normalised value."""

    label: str
    text: str
    start: int
    end: int
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the entity."""
        return asdict(self)


@dataclass(slots=True)
class Relation:
    """A directed relation ``source --type--> target`` with its evidence span in the source document."""

    type: str
    source: str
    target: str
    evidence_start: int | None = None
    evidence_end: int | None = None
    confidence: float = 1.0
    evidence_text: str | None = None
    target_kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form, with the evidence as a nested ``{start, end}`` object."""
        d: dict[str, Any] = {
            "type": self.type,
            "source": self.source,
            "target": self.target,
            "evidence": None
            if self.evidence_start is None
            else {"start": self.evidence_start, "end": self.evidence_end, "text": self.evidence_text},
            "confidence": round(self.confidence, 4),
        }
        if self.target_kind is not None:
            d["target_kind"] = self.target_kind
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Relation:
        """Build a relation from its JSON form."""
        ev = d.get("evidence") or {}
        return cls(
            type=d["type"],
            source=d["source"],
            target=d["target"],
            evidence_start=ev.get("start"),
            evidence_end=ev.get("end"),
            confidence=float(d.get("confidence", 1.0)),
            evidence_text=ev.get("text"),
            target_kind=d.get("target_kind"),
        )


@dataclass(slots=True)
class DocumentRecord:
    """What the extraction stage knows about one document (one JSON Lines row)."""

    id: str
    path: str | None = None
    title: str | None = None
    doc_type: str | None = None
    date: str | None = None
    diary_number: str | None = None
    repaired: bool = False
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the ``mrtext/1`` JSON object for this document."""
        d: dict[str, Any] = {
            "schema": SCHEMA,
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "doc_type": self.doc_type,
            "date": self.date,
            "diary_number": self.diary_number,
            "repaired": self.repaired,
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
        }
        if self.meta:
            d["meta"] = self.meta
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentRecord:
        """Build a record from its ``mrtext/1`` JSON object."""
        return cls(
            id=d["id"],
            path=d.get("path"),
            title=d.get("title"),
            doc_type=d.get("doc_type"),
            date=d.get("date"),
            diary_number=d.get("diary_number"),
            repaired=bool(d.get("repaired", False)),
            entities=[Entity(**e) for e in d.get("entities", [])],
            relations=[Relation.from_dict(r) for r in d.get("relations", [])],
            meta=dict(d.get("meta", {})),
        )
