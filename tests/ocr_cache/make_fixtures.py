"""Make the OCR test fixtures: small page images of Swedish text and Tesseract's recorded outputs for them.

Run from the repository root when the fixtures must change (needs Tesseract with swe and eng):

    .venv/bin/python tests/ocr_cache/make_fixtures.py

It writes ``tests/ocr_cache/pages/page<N>.png`` (plus ``pages.json`` with the text of each
page) and one ``<key>.json`` entry per page and model, as :class:`mrtext.ocr.cache.CachedEngine`
records them. The fast tests replay these entries instead of running Tesseract.
"""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from mrtext.ocr.cache import CachedEngine
from mrtext.ocr.engine import RENDERERS
from mrtext.ocr.synth import PageLayout, RenderSettings, render_page

HERE = Path(__file__).resolve().parent
PAGES_DIR = HERE / "pages"
LANGS = ("swe", "eng")

PAGES = [
    ["Socialnämnden godkänner förvaltningens", "tjänsteutlåtande som svar på remissen."],
    ["Programmets mål är att Stockholm ska vara", "en öppen och jämlik stad för alla."],
    ["Barnrättsfrågor och jämställdhet följs upp", "i den årliga budgetprocessen 2018."],
]


def render_fixture(index: int, lines: list[str]) -> Image.Image:
    """Render page ``index`` and crop it to the text (small files, same pixels on every run)."""
    settings = RenderSettings("LiberationSerif", 200, 12, 0.4, 0.0, 0.0, False, 0, f"fixture-{index}")
    image = render_page(PageLayout(index, settings, lines))
    bottom = settings.margin + (len(lines) + 1) * settings.line_height
    return image.crop((settings.margin // 2, settings.margin // 2, settings.page_size[0] - settings.margin, bottom))


def main() -> None:
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    texts = {}
    for index, lines in enumerate(PAGES, 1):
        image = render_fixture(index, lines)
        name = f"page{index}.png"
        image.save(PAGES_DIR / name, optimize=True)
        texts[name] = lines
        for lang in LANGS:
            CachedEngine(HERE, lang=lang, record=True).recognize(image, renderers=RENDERERS)
    (PAGES_DIR / "pages.json").write_text(json.dumps(texts, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
