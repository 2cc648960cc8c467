"""OCR repair for Swedish scans: explainable, replayable, and a no-op on clean text.

``repair`` runs the stages of :data:`STAGES` (encoding → Unicode normalization → word
corrector → dehyphenation) as a :class:`RepairConfig` selects, and returns a
:class:`RepairResult`: the repaired text, the original, the list of :class:`Change` objects
(offsets into the original) and the detector's verdict. The change list is a plan:
:func:`apply_changes` replays it, :func:`revert` undoes it, and
:meth:`RepairResult.to_original` maps spans of the repaired text back to the input.

How it works (details in :mod:`mrtext.repair.corrector`):

* **Detection.** Swedish prose has about 4.5 % å/ä/ö among its letters. The text is cut at
  paragraph breaks into blocks of at least 600 letters; a block with far fewer å/ä/ö is
  *suspicious* (a cheap count: clean text stops here and comes out byte-identical), and it
  is *damaged* when the corrector finds enough confident corrections in it (mode ``auto``).
* **Corrector.** A noisy channel: ``P(word) · P(token | word)``. The LM is wordfreq's Swedish
  list plus the Debian full forms (hunspell-sv-se, wswedish), interpolated with word counts
  of clean municipal training text, with compounds scored from their parts; the channel is
  learned from aligned synthetic clean/OCR pairs (split ``train``), scaled by the share of
  å/ä/ö the text lost, and re-estimated per document on its own confident corrections.
  Context: left/right neighbour bigrams and sentence ends from the training text, and words
  restored elsewhere in the same document. A change needs a margin and a posterior ≥ 0.8,
  which becomes the change's confidence.
* **Never touched:** numbers, dates, diary numbers, law references, URLs, e-mail addresses,
  abbreviations, short all-capital codes, mixed-case names, tokens over 48 characters.

>>> r = repair("Stadens mal dr att alla ska ha ratt till en trygg bostad.")
>>> r.text
'Stadens mål är att alla ska ha rätt till en trygg bostad.'
>>> [(c.before, c.after, c.rule) for c in r.changes]
[('mal', 'mål', 'diacritics'), ('dr', 'är', 'ocr_confusions'), ('ratt', 'rätt', 'diacritics')]
>>> apply_changes(r.original, r.changes) == r.text and revert(r) == r.original
True
>>> repair("Stadens mål är att alla ska ha rätt till en trygg bostad.").changes
[]
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from mrtext.repair.changes import Change, Edit, RepairResult, apply_changes, compose, revert
from mrtext.repair.stages import STAGES, State

__all__ = [
    "STAGES",
    "Change",
    "Edit",
    "RepairConfig",
    "RepairResult",
    "apply_changes",
    "repair",
    "repair_text",
    "revert",
]

Mode = Literal["auto", "always", "never"]


class RepairConfig(NamedTuple):
    """Which repairs run.

    Attributes:
        mode: the word corrector's trigger. ``auto`` corrects only blocks the detector finds
            OCR-damaged (clean text comes out byte-identical); ``always`` corrects every block
            (damage is still estimated from the text, so clean text changes very little);
            ``never`` skips the corrector (encoding and normalization still run).
        encoding: undo mojibake with ftfy (archival settings).
        unicode_normalization: compose to NFC where the text is not NFC.
        ocr_confusions: character confusions of an OCR engine (``dr`` → ``är``, ``{or`` → ``för``).
        diacritics: restore lost diacritics word by word (``forvaltning`` → ``förvaltning``).
        dehyphenate: join words hyphenated at line ends (changes line structure; off).
    """

    mode: Mode = "auto"
    encoding: bool = True
    unicode_normalization: bool = True
    ocr_confusions: bool = True
    diacritics: bool = True
    dehyphenate: bool = False

    def enabled(self, stage: str) -> bool:
        """Is the stage named ``stage`` (a key of :data:`STAGES`) on?

        >>> RepairConfig().enabled("dehyphenate"), RepairConfig(mode="never").enabled("words")
        (False, False)
        """
        if stage == "words":
            return self.mode != "never" and (self.ocr_confusions or self.diacritics)
        return bool(getattr(self, stage))


def repair(text: str, config: RepairConfig | None = None) -> RepairResult:
    """Repair OCR damage in ``text``; see the module docstring.

    Args:
        text: the input (any length; empty is fine).
        config: which stages run; the default is ``RepairConfig()``.

    Returns:
        A :class:`RepairResult` whose changes are offsets into ``text``.

    >>> repair("").text, repair("1 2 3").changes
    ('', [])
    """
    if not isinstance(text, str):
        msg = f"repair() needs str, not {type(text).__name__}; decode bytes first (mrtext.ingest.decode_bytes)"
        raise TypeError(msg)
    config = config or RepairConfig()
    state = State()
    changes: list[Change] = []
    current = text
    damaged, blocks = False, []
    # Like ftfy, repeat until the text stops changing, so repairing twice changes nothing.
    for _round in range(MAX_ROUNDS):
        before = current
        for name, stage in STAGES.items():
            if not config.enabled(name):
                continue
            edits: list[Edit] = stage(current, config, state)
            if edits:
                changes = compose(text, changes, current, edits)
                current = apply_changes(text, changes)
            if _round == 0 and name == "words":
                damaged, blocks = state.damaged, state.blocks
        if current == before:
            break
    if config.enabled("words") and changes:
        state.damaged, state.blocks = damaged, blocks
    return RepairResult(text=current, original=text, changes=changes, damaged=state.damaged, blocks=state.blocks)


#: Rounds of all stages at most (a second round rarely finds anything; a third almost never).
MAX_ROUNDS = 4


#: The verb exported as ``mrtext.repair_text``.
repair_text = repair
