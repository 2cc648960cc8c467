"""Synthetic scans: render clean Swedish text to page images, OCR them, and keep line-aligned pairs.

The repair stage learns its OCR confusions from these pairs and is evaluated on them, so
the pipeline is built for two properties:

* **Alignment.** Every source line is rendered as one image line at a known position. OCR
  words are assigned back to the rendered line nearest to their centre (after undoing the
  page rotation), so the OCR file has exactly one line per clean line; a line Tesseract
  missed stays as an empty line.
* **Determinism.** All random choices (font, size, blur, noise, rotation) come from a
  generator seeded by ``(seed, document, page)``, so a page image is byte-identical on
  every run; Tesseract is deterministic on identical images.

>>> wrap_words("Kommunstyrelsen har remitterat programmet", lambda s: len(s) * 10.0, 200)
['Kommunstyrelsen har', 'remitterat', 'programmet']
>>> plain_line("## **Svar på interpellation**  om *hbtq*-programmet")
'Svar på interpellation om hbtq-programmet'
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from mrtext.errors import InputFileError, MissingDependencyError
from mrtext.metrics import corpus_cer
from mrtext.ocr.engine import OcrEngine, OcrWord, image_digest

__all__ = [
    "FONTS",
    "PageLayout",
    "RenderSettings",
    "SynthPair",
    "align_words",
    "choose_settings",
    "layout_pages",
    "plain_line",
    "render_page",
    "synthesize",
    "wrap_words",
]

FONT_DIRS = ("/usr/share/fonts/truetype",)
FONTS: dict[str, tuple[str, str]] = {
    "DejaVuSerif": ("dejavu/DejaVuSerif.ttf", "fonts-dejavu-core"),
    "DejaVuSans": ("dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
    "LiberationSerif": ("liberation2/LiberationSerif-Regular.ttf", "fonts-liberation2"),
    "LiberationSans": ("liberation2/LiberationSans-Regular.ttf", "fonts-liberation2"),
    "FreeSerif": ("freefont/FreeSerif.ttf", "fonts-freefont-ttf"),
}
"""Font name → (path under /usr/share/fonts/truetype, Debian package providing it)."""

A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.9
LINE_SPACING = 1.45
SETTINGS_SPACE: dict[str, Sequence[Any]] = {
    "dpi": (150, 200, 240, 300),
    "points": (10, 10.5, 11, 12),
    "blur": (0.0, 0.4, 0.7, 1.0),
    "noise": (0.0, 6.0, 12.0),
    "rotation": (-0.6, -0.3, 0.0, 0.3, 0.6),
    "threshold": (False, False, True),
    "ink": (0, 0, 3),
}
"""The values page settings are drawn from (uniformly, per page)."""

WHITE_POINT = 215
"""Gray level from which a noisy pixel counts as paper (Tesseract slows to minutes on a speckled blank page)."""
_MARKUP = re.compile(r"^\s{0,3}#{1,6}\s+|\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|\[bookmark:[^\]]*\]")
_SPACES = re.compile(r"\s+")


def plain_line(line: str) -> str:
    """One source line as it would be printed: Markdown heading/emphasis marks and Word bookmarks removed.

    >>> plain_line("[bookmark: GoBack]För en HBQT-policy")
    'För en HBQT-policy'
    >>> plain_line("- Sedan 2015 är staden medlem i *European Coalition of Cities*")
    '- Sedan 2015 är staden medlem i European Coalition of Cities'
    """
    return _SPACES.sub(" ", _MARKUP.sub("", line)).strip()


@dataclass(frozen=True)
class RenderSettings:
    """How one page is rendered and degraded (recorded in the manifest)."""

    font: str
    dpi: int
    points: float
    blur: float
    noise: float
    rotation: float
    threshold: bool
    ink: int
    seed: str

    @property
    def font_px(self) -> int:
        """Font size in pixels at the page resolution.

        >>> RenderSettings("DejaVuSerif", 300, 12, 0, 0, 0, False, 0, "x").font_px
        50
        """
        return round(self.points / 72 * self.dpi)

    @property
    def page_size(self) -> tuple[int, int]:
        """A4 in pixels at the page resolution."""
        return (round(A4_INCHES[0] * self.dpi), round(A4_INCHES[1] * self.dpi))

    @property
    def margin(self) -> int:
        """Page margin in pixels."""
        return round(MARGIN_INCHES * self.dpi)

    @property
    def line_height(self) -> int:
        """Baseline-to-baseline distance in pixels."""
        return round(self.font_px * LINE_SPACING)

    @property
    def text_width(self) -> int:
        """Width available for a line, in pixels."""
        return self.page_size[0] - 2 * self.margin

    @property
    def lines_per_page(self) -> int:
        """How many lines fit between the top and bottom margins."""
        return (self.page_size[1] - 2 * self.margin) // self.line_height


def choose_settings(seed: str, fonts: Sequence[str] = tuple(FONTS)) -> RenderSettings:
    """Draw page settings from :data:`SETTINGS_SPACE`, deterministically for ``seed``.

    >>> choose_settings("7:doc:1") == choose_settings("7:doc:1")
    True
    """
    rng = random.Random(seed)
    values = {name: rng.choice(list(options)) for name, options in SETTINGS_SPACE.items()}
    return RenderSettings(font=rng.choice(list(fonts)), seed=seed, **values)


@cache
def load_font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A TrueType font of :data:`FONTS` at ``size`` pixels.

    Raises:
        MissingDependencyError: naming the Debian font package when the file is absent.
    """
    rel, package = FONTS[name]
    for root in FONT_DIRS:
        path = Path(root) / rel
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    raise MissingDependencyError(f"font {name} not found ({rel})", remedy=f"apt-get install {package}")


def wrap_words(line: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Greedy word wrap of one paragraph to ``width`` (as ``measure`` counts it); no hyphenation.

    A word wider than the line gets a line of its own. An empty paragraph gives one empty line.

    >>> wrap_words("", len, 10)
    ['']
    """
    words = line.split()
    if not words:
        return [""]
    lines: list[str] = []
    current = words[0]
    for word in words[1:]:
        candidate = f"{current} {word}"
        if measure(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


@dataclass
class PageLayout:
    """The lines of one page and the settings to render them with."""

    number: int
    settings: RenderSettings
    lines: list[str]


def layout_pages(
    text: str, *, seed: int, doc_id: str, max_lines: int | None = None, fonts: Sequence[str] = tuple(FONTS)
) -> list[PageLayout]:
    """Wrap ``text`` into pages; each page draws its own settings (the wrap depends on its font and size).

    Blank source lines are kept as blank lines (paragraph gaps); leading and trailing blanks are dropped.
    ``max_lines`` caps the total number of lines.
    """
    paragraphs = [plain_line(line) for line in text.splitlines()]
    while paragraphs and not paragraphs[0]:
        paragraphs.pop(0)
    pages: list[PageLayout] = []
    queue = list(paragraphs)
    total = 0
    while queue and (max_lines is None or total < max_lines):
        settings = choose_settings(f"{seed}:{doc_id}:{len(pages) + 1}", fonts)
        font = load_font(settings.font, settings.font_px)
        room = settings.lines_per_page if max_lines is None else min(settings.lines_per_page, max_lines - total)
        lines: list[str] = []
        while queue and len(lines) < room:
            wrapped = wrap_words(queue[0], font.getlength, settings.text_width)
            take = room - len(lines)
            lines.extend(wrapped[:take])
            rest = wrapped[take:]
            if rest:
                queue[0] = " ".join(rest)
            else:
                queue.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if not lines:
            continue
        pages.append(PageLayout(len(pages) + 1, settings, lines))
        total += len(lines)
    return pages


def line_centers(settings: RenderSettings, count: int) -> list[float]:
    """Vertical centre (pixels, before rotation) of each rendered line."""
    top = settings.margin
    return [top + i * settings.line_height + settings.font_px * 0.6 for i in range(count)]


def render_page(page: PageLayout) -> Image.Image:
    """Render and degrade one page: black text on white, ink spread, rotation, blur, noise, optional thresholding.

    The result is a grayscale image, byte-identical for identical settings and lines.
    """
    s = page.settings
    image = Image.new("L", s.page_size, 255)
    draw = ImageDraw.Draw(image)
    font = load_font(s.font, s.font_px)
    for line, centre in zip(page.lines, line_centers(s, len(page.lines)), strict=True):
        if line:
            draw.text((s.margin, centre), line, font=font, fill=0, anchor="lm")
    if s.ink:
        image = image.filter(ImageFilter.MinFilter(s.ink))
    if s.rotation:
        image = image.rotate(s.rotation, resample=Image.Resampling.BICUBIC, fillcolor=255)
    if s.blur:
        image = image.filter(ImageFilter.GaussianBlur(s.blur * s.dpi / 200))
    seed = int.from_bytes(hashlib.sha256(s.seed.encode()).digest()[:8], "big")
    pixels = np.asarray(image, dtype=np.float32)
    if s.noise:
        pixels = pixels + np.random.default_rng(seed).normal(0.0, s.noise, pixels.shape).astype(np.float32)
        pixels[pixels >= WHITE_POINT] = 255.0  # a scanner's white point: paper stays white, ink edges get noisy
    if s.threshold:
        pixels = np.where(pixels < 150, 0.0, 255.0)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def _unrotate(point: tuple[float, float], settings: RenderSettings) -> tuple[float, float]:
    """Map a point of the rotated page back to the unrotated page (PIL rotates counter-clockwise about the centre)."""
    if not settings.rotation:
        return point
    cx, cy = settings.page_size[0] / 2, settings.page_size[1] / 2
    angle = math.radians(settings.rotation)
    dx, dy = point[0] - cx, point[1] - cy
    return (cx + dx * math.cos(angle) - dy * math.sin(angle), cy + dx * math.sin(angle) + dy * math.cos(angle))


def align_words(words: Iterable[OcrWord], page: PageLayout) -> list[str]:
    """One OCR line per rendered line: each word goes to the line nearest its (unrotated) centre.

    Within a line, words are ordered by their left edge (Tesseract's box of a word it merged
    with its neighbour can reach back over that neighbour, so centres may be out of order).

    Words farther than half a line from every line (specks read as text) are dropped; a
    rendered line that received no word gives ``""``.

    >>> settings = RenderSettings("DejaVuSerif", 200, 10, 0, 0, 0, False, 0, "doc")
    >>> page = PageLayout(1, settings, ["är för", "öppen"])
    >>> y0, y1 = line_centers(settings, 2)
    >>> w = [OcrWord("for", (300, int(y0) - 10, 40, 20), 90), OcrWord("ar", (200, int(y0) - 10, 40, 20), 90),
    ...      OcrWord("Oppen", (200, int(y1) - 10, 80, 20), 80)]
    >>> align_words(w, page)
    ['ar for', 'Oppen']
    """
    centres = line_centers(page.settings, len(page.lines))
    limit = page.settings.line_height / 2
    buckets: list[list[tuple[float, str]]] = [[] for _ in centres]
    for word in words:
        _, y = _unrotate(word.center, page.settings)
        left, _ = _unrotate((word.box[0], word.center[1]), page.settings)  # boxes of merged words overlap; lefts don't
        nearest = min(range(len(centres)), key=lambda i: abs(centres[i] - y))
        if abs(centres[nearest] - y) <= limit:
            buckets[nearest].append((left, word.text))
    return [" ".join(text for _, text in sorted(bucket)) for bucket in buckets]


@dataclass
class SynthPair:
    """A clean text and its OCR, line-aligned, with the pages' settings."""

    doc_id: str
    lang: str
    clean_lines: list[str]
    ocr_lines: list[str]
    pages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def cer(self) -> float:
        """Character error rate of the OCR lines against the clean lines (micro-average over lines)."""
        return corpus_cer(zip(self.clean_lines, self.ocr_lines, strict=True)).rate


def synthesize(
    text: str,
    engines: Sequence[OcrEngine],
    *,
    doc_id: str,
    seed: int,
    max_lines: int | None = None,
    jobs: int = 1,
    image_dir: Path | None = None,
) -> list[SynthPair]:
    """Render ``text`` to pages and OCR every page with each engine; one :class:`SynthPair` per engine.

    The same page images serve every engine, so ``eng`` and ``swe`` OCR are directly comparable.
    """
    pages = layout_pages(text, seed=seed, doc_id=doc_id, max_lines=max_lines)
    clean = [line for page in pages for line in page.lines]
    pairs = [SynthPair(doc_id, engine.lang, clean, []) for engine in engines]

    def read(engine: OcrEngine, image: Image.Image, page: PageLayout) -> tuple[list[str], dict[str, Any]]:
        try:
            result = engine.recognize(image)
        except InputFileError as exc:  # a page Tesseract gave up on: keep the alignment, note the failure
            return [""] * len(page.lines), {"confidence": None, "error": str(exc)}
        return align_words(result.words, page), {"confidence": result.confidence}

    def work(page: PageLayout) -> tuple[str, list[tuple[list[str], dict[str, Any]]]]:
        image = render_page(page)
        if image_dir is not None:
            image.save(image_dir / f"{doc_id}-s{seed}-p{page.number}.png")
        return image_digest(image), [read(engine, image, page) for engine in engines]

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for page, (digest, results) in zip(pages, pool.map(work, pages), strict=True):
            for pair, (lines, info) in zip(pairs, results, strict=True):
                pair.ocr_lines.extend(lines)
                settings = {"page": page.number, "lines": len(page.lines), **asdict(page.settings)}
                pair.pages.append({**settings, "image_sha256": digest, **info})
    return pairs


@dataclass(frozen=True)
class SynthSource:
    """A clean source document to render: where it is, its id and split, and its corpus."""

    path: Path
    doc_id: str
    corpus: str
    split: str | None = None
    suffix: str = ""

    @property
    def key(self) -> str:
        """``<corpus>-<doc id>``: names the document in render seeds (so a suffix changes no pixel).

        >>> SynthSource(Path("a.txt"), "000", "stockholm-mr", suffix=".s2").key
        'stockholm-mr-000'
        """
        return f"{self.corpus}-{self.doc_id}"

    @property
    def name(self) -> str:
        """File stem of the pair files: ``<corpus>-<doc id><suffix>``."""
        return self.key + self.suffix


def renderer_version() -> str:
    """Pillow and FreeType versions: page pixels are reproducible for the same pair.

    >>> renderer_version().startswith("Pillow ")
    True
    """
    from PIL import __version__, features

    return f"Pillow {__version__}, FreeType {features.version('freetype2')}"


def find_sources(in_dir: Path, *, only: Iterable[str] = ()) -> list[SynthSource]:
    """The clean documents under ``in_dir``.

    A corpus folder (``manifest.jsonl`` in ``in_dir`` or, for ``<corpus>/source``, in its parent)
    gives ids and splits from the manifest and leaves out scanned documents, whose text is
    OCR output rather than clean text. Any other folder gives its text files, named by stem.
    ``only`` keeps the listed document ids.
    """
    from mrtext.corpus import read_jsonl
    from mrtext.ingest import iter_text_files

    wanted = set(only)
    root = in_dir if (in_dir / "manifest.jsonl").is_file() else in_dir.parent
    sources: list[SynthSource]
    if (root / "manifest.jsonl").is_file():
        rows = [r for r in read_jsonl(root / "manifest.jsonl") if not r.get("scanned")]
        sources = [SynthSource(root / r["file"], str(r["id"]), root.name, r.get("split")) for r in rows]
        sources = [s for s in sources if s.path.resolve().is_relative_to(in_dir.resolve())]
    else:
        sources = [SynthSource(p, p.stem, in_dir.name) for p in iter_text_files([in_dir])]
    return [s for s in sources if not wanted or s.doc_id in wanted]


def write_pairs(
    pairs: Sequence[SynthPair],
    source: SynthSource,
    out_dir: Path,
    *,
    split: str,
    seed: int,
    engine_labels: Sequence[str],
) -> list[dict[str, Any]]:
    """Write ``<name>.clean.txt`` and ``<name>.ocr.<lang>.txt`` for each pair; return their manifest rows."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for pair, label in zip(pairs, engine_labels, strict=True):
        clean_file = f"{source.name}.clean.txt"
        ocr_file = f"{source.name}.ocr.{pair.lang}.txt"
        (out_dir / clean_file).write_text("\n".join(pair.clean_lines) + "\n", encoding="utf-8")
        (out_dir / ocr_file).write_text("\n".join(pair.ocr_lines) + "\n", encoding="utf-8")
        rows.append(
            {
                "id": f"{source.name}.{pair.lang}",
                "clean": clean_file,
                "ocr": ocr_file,
                "lang": pair.lang,
                "split": split,
                "source_corpus": source.corpus,
                "source_doc": source.doc_id,
                "seed": seed,
                "engine": label,
                "renderer": renderer_version(),
                "lines": len(pair.clean_lines),
                "cer": round(pair.cer, 5),
                "pages": pair.pages,
            }
        )
    return rows


def update_manifest(path: Path, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge ``rows`` into the JSON Lines manifest at ``path`` (same id replaces), sorted by id; return all rows."""
    import json

    from mrtext.corpus import read_jsonl

    merged = {r["id"]: r for r in (read_jsonl(path) if path.is_file() else [])}
    merged.update((r["id"], r) for r in rows)
    ordered = [merged[key] for key in sorted(merged)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered), encoding="utf-8")
    return ordered
