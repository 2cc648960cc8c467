"""The repair stages: small named functions, listed in order in :data:`STAGES`.

Each stage takes the current text, the config and the run's :class:`State`, and returns
:class:`~mrtext.repair.changes.Edit` proposals in that text's coordinates; the pipeline in
:mod:`mrtext.repair` folds them into the change list (original coordinates).

>>> from mrtext.repair import RepairConfig
>>> [(e.start, e.end, e.after) for e in fix_encoding("MÃ¥l fÃ¶r Ã¶versiktsplan", RepairConfig(), State())]
[(1, 3, 'å'), (6, 8, 'ö'), (10, 12, 'ö')]
>>> normalize_unicode("fo\u0308r", RepairConfig(), State())
[Edit(start=0, end=4, after='för', rule='unicode_normalization', confidence=1.0)]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from mrtext.repair.changes import Edit
from mrtext.repair.corrector import (
    ADAPT_MIN_CONFIDENCE,
    Block,
    Corrector,
    adapted_corrector,
    default_corrector,
    detect_blocks,
    iter_corrections,
)

if TYPE_CHECKING:
    from mrtext.repair import RepairConfig

__all__ = ["STAGES", "State", "correct_words", "dehyphenate", "fix_encoding", "normalize_unicode"]

#: Corrections per token above which a suspicious block counts as OCR-damaged (mode ``auto``).
DAMAGE_MIN_SHARE = 0.03
DAMAGE_MIN_COUNT = 2
#: Letters of damaged text whose corrections re-estimate the OCR channel for the whole text.
ADAPT_SAMPLE_LETTERS = 10000


@dataclass
class State:
    """What stages learn about the text while running (the detector's verdict, per block)."""

    damaged: bool = False
    blocks: list[tuple[int, int, bool]] = field(default_factory=list)


def _diff_edits(before: str, after: str, rule: str) -> list[Edit]:
    """Edits turning ``before`` into ``after`` (for whole-text fixers such as ftfy)."""
    if before == after:
        return []
    if len(before) * len(after) > 4_000_000:
        return [Edit(0, len(before), after, rule, 1.0)]
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    edits = [Edit(i1, i2, after[j1:j2], rule, 1.0) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return _merge_close(edits, before)


def _merge_close(edits: list[Edit], text: str) -> list[Edit]:
    """Merge edits separated by at most one unchanged character (mojibake fixes come in runs)."""
    merged: list[Edit] = []
    for e in edits:
        if merged and e.start - merged[-1].end <= 1:
            last = merged[-1]
            merged[-1] = Edit(last.start, e.end, last.after + text[last.end : e.start] + e.after, last.rule, 1.0)
        else:
            merged.append(e)
    return merged


#: Characters every UTF-8-read-as-Latin-1/cp1252 mix-up leaves behind (ftfy is imported only then).
_MOJIBAKE_HINT = frozenset("\u00c2\u00c3\u00e2\u00d0\u00d1\ufffd" + "".join(map(chr, range(0x80, 0xA0))))


def fix_encoding(text: str, config: RepairConfig, state: State) -> list[Edit]:
    """Undo mojibake with ftfy, archival settings: quotes, ligatures, widths and line breaks stay.

    Only the encoding fixes run (no HTML unescaping, no normalization: that is our own stage).
    """
    if text.isascii() or _MOJIBAKE_HINT.isdisjoint(text):
        return []
    import ftfy
    from ftfy import badness

    if not badness.is_bad(text):
        return []
    cfg = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )
    edits: list[Edit] = []
    pos = 0
    # Line by line: only lines that look like mojibake are handed to ftfy, and edits stay local.
    for line in text.splitlines(keepends=True):
        if not line.isascii() and badness.is_bad(line):
            fixed = ftfy.fix_text(line, cfg)
            edits.extend(
                Edit(pos + e.start, pos + e.end, e.after, e.rule, e.confidence)
                for e in _diff_edits(line, fixed, "encoding")
            )
        pos += len(line)
    return edits


def normalize_unicode(text: str, config: RepairConfig, state: State) -> list[Edit]:
    """Compose to NFC (``o`` + combining diaeresis → ``ö``), only where the text is not NFC already."""
    if unicodedata.is_normalized("NFC", text):
        return []
    edits = []
    # Normalise per word so the edits stay local.
    for m in re.finditer(r"\S+", text):
        norm = unicodedata.normalize("NFC", m.group())
        if norm != m.group():
            edits.append(Edit(m.start(), m.end(), norm, "unicode_normalization", 1.0))
    return edits


def correct_words(text: str, config: RepairConfig, state: State) -> list[Edit]:
    """OCR confusions and diacritics, word by word, in the blocks the detector finds damaged.

    ``config.ocr_confusions`` and ``config.diacritics`` choose which kinds of correction are
    allowed; ``config.mode`` decides whether the detector is asked (``auto``), overruled
    (``always``) or whether nothing runs (``never``).
    """
    allowed = frozenset(
        name for name, on in (("ocr_confusions", config.ocr_confusions), ("diacritics", config.diacritics)) if on
    )
    blocks = detect_blocks(text)
    if config.mode == "never" or not allowed:
        state.blocks = [(b.start, b.end, False) for b in blocks]
        return []
    base = default_corrector()
    # A first look with the learned channel: its confident corrections on (a sample of) the
    # damaged text re-estimate the channel for this text; then one full pass with that channel.
    pairs: list[tuple[str, str]] = []
    seen = 0
    for block in blocks:
        if seen >= ADAPT_SAMPLE_LETTERS:
            break
        found, damaged = _correct_block(text, block, config, allowed, base)
        if damaged:
            seen += block.letters
            pairs.extend((text[e.start : e.end], e.after) for e in found if e.confidence >= ADAPT_MIN_CONFIDENCE)
    corrector = adapted_corrector(base, pairs)
    # Words restored with diacritics elsewhere in the text make their relatives likelier (cache LM).
    topical = frozenset(after.lower()[:4] for before, after in pairs if len(after) >= 4 and after != before.lower())
    edits: list[Edit] = []
    verdicts = []
    for block in blocks:
        found, damaged = _correct_block(text, block, config, allowed, corrector, topical)
        verdicts.append((block.start, block.end, damaged))
        if damaged or config.mode == "always":
            edits.extend(found)
    state.blocks = verdicts
    state.damaged = any(d for _, _, d in verdicts)
    return edits


def _correct_block(
    text: str,
    block: Block,
    config: RepairConfig,
    allowed: frozenset[str],
    corrector: Corrector,
    topical: frozenset[str] = frozenset(),
) -> tuple[list[Edit], bool]:
    if config.mode == "auto" and not block.suspicious:
        return [], False
    edits = [
        Edit(tok.start, tok.end, out, rule, conf)
        for tok, out, conf, rule in iter_corrections(corrector, text, block, allowed=allowed, topical=topical)
    ]
    words = max(1, block.letters // 6)
    damaged = block.suspicious and len(edits) >= min(DAMAGE_MIN_COUNT, words) and len(edits) >= DAMAGE_MIN_SHARE * words
    if len(text) < 200 and block.suspicious and edits:
        damaged = True
    return edits, damaged


_HYPHENATED = re.compile(r"([^\W\d_]+)-\n([^\W\d_]+)([ \t]?)")


def dehyphenate(text: str, config: RepairConfig, state: State) -> list[Edit]:
    """Join words hyphenated at a line end when the joined form is a Swedish word or compound.

    The line break moves behind the joined word (replacing the space there), so the number
    of lines is kept. Off by default: it changes the line structure the gold files share.
    """
    corrector = default_corrector()
    edits = []
    for m in _HYPHENATED.finditer(text):
        left, right, space = m.groups()
        if not right[:1].islower():
            continue
        joined = (left + right).lower()
        if corrector.word_logp(joined) is None:
            continue
        edits.append(Edit(m.start() + len(left), m.end(), right + ("\n" if space else ""), "dehyphenate", 0.9))
    return edits


Stage = Callable[["str", "RepairConfig", State], list[Edit]]

#: The stages in the order they run, by the config toggle that turns them on or off.
#: ``correct_words`` serves both the ``ocr_confusions`` and the ``diacritics`` toggles.
STAGES: dict[str, Stage] = {
    "encoding": fix_encoding,
    "unicode_normalization": normalize_unicode,
    "words": correct_words,
    "dehyphenate": dehyphenate,
}
