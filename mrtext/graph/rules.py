"""Relation rules as data: loading ``rules/*.json`` and compiling cue phrases.

The rules are reviewable JSON (see ``mrtext/graph/rules/relations.json``); this module only turns
cue phrases into OCR-tolerant patterns over :func:`mrtext.graph.textmap.skeleton` text.

>>> rs = load_rules()
>>> sorted({r.type for r in rs.rules}) == sorted(["replaces", "references", "responds_to", "part_of"])
True
>>> bool(compile_cue("ersätter").search(skeleton("Handlingsplanen ersétter programmet")))
True
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from mrtext.errors import InputFileError
from mrtext.graph.textmap import skeleton
from mrtext.model import RELATION_TYPES

__all__ = ["Rule", "RuleSet", "compile_cue", "load_rules"]

ROLES = ("document", "subject", "before", "after", "items", "own_dnr", "serial", "mentions")
SCOPES = ("header", "sentence", "list", "document")


def compile_cue(phrase: str) -> re.Pattern[str]:
    """Compile a cue phrase for matching on skeleton text.

    ``word*`` matches any ending, ``...`` up to six words in between.

    >>> bool(compile_cue("kommer ... att ersätta").search(skeleton("kommer på sikt att ersétta")))
    True
    >>> bool(compile_cue("ersätter").search(skeleton("ersättervis")))
    False
    """
    parts: list[str] = []
    for word in phrase.split():
        if word == "...":
            parts.append(r"(?:\S+\s+){0,6}?")
            continue
        star = word.endswith("*")
        body = re.escape(skeleton(word.rstrip("*")))
        parts.append(body + (r"\w*" if star else "") + r"\s+")
    pattern = "".join(parts)
    pattern = pattern[: -len(r"\s+")] if pattern.endswith(r"\s+") else pattern
    return re.compile(r"(?<!\w)" + pattern + r"(?!\w)")


@dataclass(slots=True)
class Rule:
    """One cue rule: when a cue matches in ``scope``, link ``source`` to ``target`` with ``type``."""

    id: str
    type: str
    cues: list[str]
    scope: str
    source: str
    target: str
    confidence: float
    labels: list[str] | None = None
    fallback_source: str | None = None
    fallback_target: str | None = None
    target_type: str | None = None
    target_title: str | None = None
    item_template: str | None = None
    item_kind: str = "program"
    doc_types: list[str] | None = None
    description: str = ""
    patterns: list[re.Pattern[str]] = field(default_factory=list, repr=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Rule:
        """Build and validate a rule from its JSON object."""
        known = set(cls.__dataclass_fields__) - {"patterns"}
        unknown = set(d) - known
        if unknown:
            raise InputFileError(f"relation rule {d.get('id')!r}: unknown keys {sorted(unknown)}")
        rule = cls(**d)
        if rule.type not in RELATION_TYPES:
            raise InputFileError(f"relation rule {rule.id!r}: unknown type {rule.type!r}")
        if rule.scope not in SCOPES:
            raise InputFileError(f"relation rule {rule.id!r}: unknown scope {rule.scope!r}")
        for role in (rule.source, rule.target, rule.fallback_source, rule.fallback_target):
            if role is not None and role not in ROLES:
                raise InputFileError(f"relation rule {rule.id!r}: unknown role {role!r}")
        rule.patterns = [compile_cue(c) for c in rule.cues]
        return rule


@dataclass(slots=True)
class RuleSet:
    """All rules plus the shared settings of a rules file."""

    rules: list[Rule]
    mention_labels: list[str]
    subject_cues: list[re.Pattern[str]]
    subject_aliases: frozenset[str]
    exclusions: list[re.Pattern[str]]
    exclusion_window: int = 60
    dnr_attach_window: int = 16
    header_chars: int = 400
    serial_pattern: re.Pattern[str] = re.compile(r"\((?:19|20)\d\d:\d+\)")

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RuleSet:
        """Build a rule set from the JSON object of a rules file."""
        subject = d.get("subject", {})
        return cls(
            rules=[Rule.from_dict(r) for r in d["rules"]],
            mention_labels=list(d.get("mention_labels", ["PROGRAM", "DIARY_NUMBER"])),
            subject_cues=[compile_cue(c) for c in subject.get("cues", [])],
            subject_aliases=frozenset(a.lower() for a in subject.get("aliases", [])),
            exclusions=[compile_cue(c) for c in d.get("exclusions", [])],
            exclusion_window=int(d.get("exclusion_window", 60)),
            dnr_attach_window=int(d.get("dnr_attach_window", 16)),
            header_chars=int(d.get("header_chars", 400)),
            serial_pattern=re.compile(d.get("serial_pattern", r"\(((?:19|20)\d\d:\d+)\)")),
        )


@lru_cache(maxsize=8)
def _load(path: str | None) -> RuleSet:
    if path is None:
        text = resources.files("mrtext.graph").joinpath("rules/relations.json").read_text(encoding="utf-8")
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputFileError(f"{path}: cannot read relation rules: {exc.strerror or exc}") from exc
    try:
        return RuleSet.from_dict(json.loads(text))
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputFileError(f"{path or 'relations.json'}: not a valid rules file: {exc}") from exc


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Load a rules file (default: the packaged ``rules/relations.json``); cached per path."""
    return _load(None if path is None else str(path))
