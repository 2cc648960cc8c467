"""Tesseract behind the :class:`~mrtext.ocr.engine.OcrEngine` interface, through pytesseract.

One Tesseract run per page writes the text, the word table (TSV) and, when asked, hOCR
and ALTO, so the archive formats cost no second recognition. Tesseract's OpenMP threads
are limited to one per process (``OMP_THREAD_LIMIT=1``, as OCRmyPDF does): pages run in
parallel instead (``--jobs``), which is much faster on a busy machine than threads
fighting over the same cores.

>>> page = page_from_outputs({"txt": "Hej\\n\\f", "tsv": TSV_HEADER + "\\n1\\t1\\t0\\t0\\t0\\t0\\t0\\t0\\t640\\t480\\t-1\\t"})
>>> page.text, page.width, page.height, page.words
('Hej', 640, 480, [])
"""

from __future__ import annotations

import functools
import importlib
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from PIL import Image

from mrtext.errors import InputFileError, MissingDependencyError
from mrtext.ocr.engine import RENDERERS, ImageInput, OcrPage, OcrWord

__all__ = [
    "IMAGE_PLACEHOLDER",
    "TSV_HEADER",
    "TesseractEngine",
    "page_from_outputs",
    "parse_tsv",
    "tesseract_info",
]

TSV_HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
IMAGE_PLACEHOLDER = "mrtext-page-image"
"""Stands for the image file name inside hOCR/ALTO, so cached outputs carry no temporary paths."""

_OUTPUT_FILES = {"txt": "txt", "tsv": "tsv", "hocr": "hocr", "alto": "xml"}
_CREATE_FLAGS = {"tsv": "tessedit_create_tsv=1", "hocr": "tessedit_create_hocr=1", "alto": "tessedit_create_alto=1"}
_REMEDY_INSTALL = (
    "install the Debian package tesseract-ocr (scripts/ensure-system.sh does it), or put tesseract on PATH"
)


def pytesseract() -> ModuleType:
    """The pytesseract module, imported without pandas and NumPy.

    pytesseract imports pandas and NumPy whenever they are installed, for DataFrame output and
    array input, which mrtext does not use (it passes files and reads Tesseract's files). The two
    imports cost about 0.3-0.5 s, close to a tenth of a page's OCR, so they are held off while
    pytesseract loads. A program that has imported them already is unaffected.
    """
    loaded = sys.modules.get("pytesseract")
    if loaded is not None:
        return loaded
    held = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in held:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail at once
    try:
        return importlib.import_module("pytesseract")
    finally:
        for name in held:
            del sys.modules[name]


@functools.cache
def tesseract_info() -> tuple[str, frozenset[str]]:
    """Tesseract's version and installed language models, asked once per process.

    Raises:
        MissingDependencyError: when the ``tesseract`` program cannot be run.
    """
    tess = pytesseract()
    try:
        version = str(tess.get_tesseract_version())
        langs = frozenset(tess.get_languages())
    except (tess.TesseractNotFoundError, OSError, SystemExit) as exc:
        raise MissingDependencyError("Tesseract OCR is not installed or cannot run", remedy=_REMEDY_INSTALL) from exc
    return version, langs


def check_languages(lang: str) -> str:
    """Check that every model in ``lang`` (``swe``, ``swe+eng``) is installed; return Tesseract's version.

    Raises:
        MissingDependencyError: naming the Debian package that provides the missing model.
    """
    version, installed = tesseract_info()
    for code in lang.split("+"):
        if code not in installed:
            have = ", ".join(sorted(installed - {"osd"})) or "none"
            raise MissingDependencyError(
                f"Tesseract has no '{code}' language model (traineddata); installed: {have}",
                remedy=f"apt-get install tesseract-ocr-{code}, or choose --lang from the installed models",
            )
    return version


def parse_tsv(tsv: str) -> tuple[list[OcrWord], tuple[int, int]]:
    """Words (level-5 rows with text) and the page size from Tesseract's TSV output.

    >>> rows = [TSV_HEADER, "1\\t1\\t0\\t0\\t0\\t0\\t0\\t0\\t100\\t50\\t-1\\t",
    ...         "5\\t1\\t1\\t1\\t2\\t1\\t5\\t6\\t20\\t10\\t91.5\\tför"]
    >>> words, size = parse_tsv("\\n".join(rows))
    >>> words[0].text, words[0].box, words[0].confidence, words[0].line, size
    ('för', (5, 6, 20, 10), 91.5, (1, 1, 2), (100, 50))
    """
    words: list[OcrWord] = []
    size = (0, 0)
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        level = cols[0]
        if level == "1":
            size = (int(cols[8]), int(cols[9]))
        elif level == "5" and cols[11].strip():
            block, par, line, num, left, top, width, height = (int(c) for c in cols[2:10])
            words.append(OcrWord(cols[11], (left, top, width, height), float(cols[10]), (block, par, line), num))
    return words, size


def _clean_text(text: str) -> str:
    """Tesseract's page text without the trailing page separator and blank lines."""
    return text.replace("\f", "").rstrip()


def page_from_outputs(outputs: Mapping[str, str], *, engine: str = "tesseract") -> OcrPage:
    """Build an :class:`OcrPage` from one Tesseract run's outputs by kind (``txt``, ``tsv``, ``hocr``, ``alto``)."""
    words, (width, height) = parse_tsv(outputs.get("tsv", ""))
    raw = {name: outputs[name] for name in RENDERERS if name in outputs}
    return OcrPage(_clean_text(outputs.get("txt", "")), words, width, height, "ocr", engine, raw)


def write_temp_image(image: Image.Image, directory: Path) -> Path:
    """Write ``image`` where Tesseract can read it, fast: uncompressed PNM (PNG costs 0.1-0.2 s a page)."""
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB") if "A" not in image.getbands() else _flatten(image)
    path = directory / ("page.pbm" if image.mode == "1" else "page.pgm" if image.mode == "L" else "page.ppm")
    image.save(path, format="PPM")
    return path


def _flatten(image: Image.Image) -> Image.Image:
    """Put an image with transparency on white (transparent pixels are otherwise black to Tesseract)."""
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image.convert("RGBA"), (0, 0), image.convert("RGBA").getchannel("A"))
    return background


class TesseractEngine:
    """OCR with the Tesseract program.

    Args:
        lang: Tesseract language model(s), ``"swe"`` by default; ``"eng"``, ``"swe+eng"``...
        psm: page segmentation mode (Tesseract's ``--psm``); ``None`` leaves Tesseract's default (3, automatic).
        config: further Tesseract options, e.g. ``"-c preserve_interword_spaces=1"``.
        timeout: seconds before a page is given up (0: no limit).

    Raises:
        MissingDependencyError: when Tesseract or a language model is missing (checked at construction).
    """

    name = "tesseract"

    def __init__(self, lang: str = "swe", *, psm: int | None = None, config: str = "", timeout: float = 0) -> None:
        self.lang = lang
        self.version = check_languages(lang)
        self.options = ([f"--psm {psm}"] if psm is not None else []) + ([config] if config else [])
        self.config = " ".join(self.options)
        self.timeout = timeout or None

    @property
    def label(self) -> str:
        """Engine, version and model, for reports: ``tesseract 5.3.0 (swe)``."""
        return f"{self.name} {self.version} ({self.lang})"

    def command(self, image_path: str | Path, output_base: str | Path, renderers: tuple[str, ...] = ()) -> list[str]:
        """The Tesseract command line for one page (text and TSV always, plus the renderers asked for)."""
        cmd = [pytesseract().pytesseract.tesseract_cmd, str(image_path), str(output_base), "-l", self.lang]
        cmd += shlex.split(self.config)
        for kind in ("tsv", *renderers):
            cmd += ["-c", _CREATE_FLAGS[kind]]
        return [*cmd, "txt"]

    def recognize(self, image: ImageInput, *, renderers: tuple[str, ...] = ()) -> OcrPage:
        """Run Tesseract on one page image (a file is passed as is; a decoded image goes through a fast temp file)."""
        return page_from_outputs(self.run(image, renderers=renderers), engine=self.label)

    def run(self, image: ImageInput, *, renderers: tuple[str, ...] = ()) -> dict[str, str]:
        """Tesseract's raw outputs for one page by kind: ``txt``, ``tsv`` and the renderers asked for."""
        unknown = set(renderers) - set(RENDERERS)
        if unknown:
            raise ValueError(f"unknown renderers: {sorted(unknown)}")
        with tempfile.TemporaryDirectory(prefix="mrtext-ocr-") as tmp:
            tmpdir = Path(tmp)
            source = image if isinstance(image, Path) else write_temp_image(image, tmpdir)
            base = tmpdir / "out"
            self._run(self.command(source, base, renderers))
            outputs = {}
            for kind in ("txt", "tsv", *renderers):
                text = base.with_suffix("." + _OUTPUT_FILES[kind]).read_text("utf-8")
                outputs[kind] = text.replace(str(source), IMAGE_PLACEHOLDER) if kind in RENDERERS else text
        return outputs

    def _run(self, cmd: list[str]) -> None:
        env = dict(os.environ)
        env.setdefault("OMP_THREAD_LIMIT", "1")
        try:
            proc = subprocess.run(cmd, capture_output=True, env=env, timeout=self.timeout, check=False)
        except FileNotFoundError as exc:
            raise MissingDependencyError("Tesseract OCR is not installed", remedy=_REMEDY_INSTALL) from exc
        except subprocess.TimeoutExpired as exc:
            raise InputFileError(f"Tesseract gave up after {self.timeout} s", remedy="raise the timeout") from exc
        if proc.returncode != 0:
            lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
            detail = lines[-1] if lines else f"exit status {proc.returncode}"
            raise InputFileError(f"Tesseract could not read the page: {detail}", remedy="check the image file")
