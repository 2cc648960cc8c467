"""OCR ingestion: inputs, page order, formats and typed errors.

Most tests replay Tesseract outputs recorded in tests/ocr_cache (see make_fixtures.py there)
through ``CachedEngine``, so they run without Tesseract. Tests marked ``tesseract`` run the
real program on small images.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from PIL import Image

from mrtext.errors import ExitCode, InputFileError
from mrtext.metrics import cer
from mrtext.ocr.cache import CachedEngine, CacheMissError
from mrtext.ocr.engine import RENDERERS
from mrtext.ocr.inputs import iter_pages
from mrtext.ocr.pipeline import ocr_file

CACHE = Path(__file__).parent / "ocr_cache"
PAGES = CACHE / "pages"
PAGE_LINES: dict[str, list[str]] = json.loads((PAGES / "pages.json").read_text("utf-8"))


def expected(name: str) -> str:
    return "\n".join(PAGE_LINES[name])


def normalized(text: str) -> str:
    """Blank lines dropped (Tesseract puts one between lines it sees as separate blocks)."""
    return "\n".join(line for line in text.splitlines() if line.strip())


# ---------------------------------------------------------------- building inputs


def make_pdf(pages: list[bytes], *, resources: list[bytes] | None = None, encrypt: bool = False) -> bytes:
    """A small valid PDF written by hand: one content stream per page, Helvetica (WinAnsi) as /F1.

    ``resources`` gives each page's extra resource entries (e.g. an image XObject reference) and
    extra objects are appended by the caller through ``pages`` content; ``encrypt`` adds a
    standard security handler whose user password is not empty, so readers ask for a password.
    """
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    font_id = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for n, content in enumerate(pages):
        extra = resources[n] if resources else b""
        page_id, content_id = len(objects) + 1, len(objects) + 2
        kids.append(b"%d 0 R" % page_id)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> %s >> "
            b"/Contents %d 0 R >>" % (font_id, extra, content_id)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(pages))
    trailer = b""
    if encrypt:
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <%s> /U <%s> >>" % (b"11" * 32, b"22" * 32))
        file_id = b"<0123456789abcdef0123456789abcdef>"
        trailer = b"/Encrypt %d 0 R /ID [%s %s] " % (len(objects), file_id, file_id)
    return _assemble(objects, trailer)


def _assemble(objects: list[bytes], trailer: bytes) -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return out


def text_content(lines: list[str]) -> bytes:
    ops = [b"BT /F1 12 Tf 72 770 Td 16 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(%s) Tj T*" % escaped.encode("cp1252"))
    ops.append(b"ET")
    return b"\n".join(ops)


def image_pdf(image: Image.Image) -> bytes:
    """A one-page PDF holding ``image`` (gray) at 200 dpi, no text layer: a scan."""
    gray = image.convert("L")
    data = zlib.compress(gray.tobytes())
    w, h = gray.size
    wpt, hpt = w * 72 / 200, h * 72 / 200
    content = b"q %.2f 0 0 %.2f 0 %.2f cm /Im1 Do Q" % (wpt, hpt, 842 - hpt)
    pdf = make_pdf([content], resources=[b"/XObject << /Im1 6 0 R >>"])
    # append the image as object 6 by rebuilding with it
    objects = _objects_of(pdf)
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (w, h, len(data), data)
    )
    return _assemble(objects, b"")


def _objects_of(pdf: bytes) -> list[bytes]:
    objects = []
    n = 1
    while True:
        start = pdf.find(b"%d 0 obj\n" % n)
        if start < 0:
            return objects
        start += len(b"%d 0 obj\n" % n)
        objects.append(pdf[start : pdf.index(b"\nendobj\n", start)])
        n += 1


def tiff_of(names: list[str], path: Path) -> Path:
    frames = [Image.open(PAGES / name) for name in names]
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_deflate")
    return path


@pytest.fixture
def engine_factory(monkeypatch: pytest.MonkeyPatch):
    """Make ``mrtext ocr`` read pages with recorded Tesseract outputs (no Tesseract needed)."""
    import mrtext.cli.ocr_cmd as ocr_cmd

    def make(lang: str, psm: int | None):
        return CachedEngine(CACHE, lang=lang, psm=psm, record=False)

    monkeypatch.setattr(ocr_cmd, "make_engine", make)
    return make


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """An engine with an empty cache: any attempt to OCR a page fails loudly."""
    import mrtext.cli.ocr_cmd as ocr_cmd

    monkeypatch.setattr(ocr_cmd, "make_engine", lambda lang, psm: CachedEngine(tmp_path / "empty", lang=lang))


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file per kind of bad input (made once: the 10,000-pixel image takes a moment)."""
    tmp = tmp_path_factory.mktemp("bad")
    good = (PAGES / "page1.png").read_bytes()
    files = {
        "zero-byte": tmp / "zero.png",
        "truncated-png": tmp / "truncated.png",
        "corrupt-pdf": tmp / "corrupt.pdf",
        "encrypted-pdf": tmp / "encrypted.pdf",
        "empty-pdf": tmp / "nopages.pdf",
        "unknown-format": tmp / "notes.png",
        "huge-image": tmp / "huge.png",
    }
    files["zero-byte"].write_bytes(b"")
    files["truncated-png"].write_bytes(good[: len(good) // 2])
    files["corrupt-pdf"].write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n" + b"\x00garbage" * 20)
    files["encrypted-pdf"].write_bytes(make_pdf([text_content(["Hemlig handling"])], encrypt=True))
    files["empty-pdf"].write_bytes(make_pdf([]))
    files["unknown-format"].write_bytes("Det här är ingen bild utan text.\n".encode())
    Image.new("1", (10_000, 10_000), 1).save(files["huge-image"])
    return files


# ---------------------------------------------------------------- tests without Tesseract


def test_pdf_text_layer_gives_text_in_page_order(run_cli, no_ocr, tmp_path: Path) -> None:
    pages = [["Socialnämnden godkänner förslaget.", "Dnr KS 2023/1159"], ["Sida två: öppen och jämlik stad."]]
    pdf = tmp_path / "born-digital.pdf"
    pdf.write_bytes(make_pdf([text_content(lines) for lines in pages]))
    res = run_cli("ocr", str(pdf))
    assert res.exit_code == ExitCode.ok, res.stderr
    assert res.stdout.split("\f") == ["\n".join(lines) + "\n" for lines in pages]
    assert res.stderr.count("PDF text layer") == 2


def test_text_layer_pages_appear_in_tsv_and_json(run_cli, no_ocr, tmp_path: Path) -> None:
    pdf = tmp_path / "born-digital.pdf"
    pdf.write_bytes(make_pdf([text_content(["Beslut om jämställdhetsplan", "Dnr KS 2019/123"])]))
    rows = [r.split("\t") for r in run_cli("ocr", str(pdf), "--format", "tsv").stdout.splitlines()[1:]]
    assert [(r[2], r[5], r[12]) for r in rows if r[2] == "4"] == [
        ("4", "1", "Beslut om jämställdhetsplan"),
        ("4", "2", "Dnr KS 2019/123"),
    ]
    obj = json.loads(run_cli("ocr", str(pdf), "--format", "json").stdout)
    assert (obj["source"], obj["confidence"], obj["words"]) == ("text-layer", None, [])


def test_image_modes_and_formats_become_pages(tmp_path: Path) -> None:
    page = Image.open(PAGES / "page1.png")
    page.convert("RGB").save(tmp_path / "scan.jpg", quality=90)
    rgba = page.convert("RGBA")
    rgba.putalpha(Image.new("L", page.size, 0))  # fully transparent: must read as white paper, not black
    rgba.save(tmp_path / "alpha.png")
    page.convert("I;16").save(tmp_path / "deep.png")
    jpg, alpha, deep = (next(iter_pages(tmp_path / n)) for n in ("scan.jpg", "alpha.png", "deep.png"))
    assert jpg.image == tmp_path / "scan.jpg"  # handed to Tesseract as is
    assert isinstance(alpha.image, Image.Image) and alpha.image.convert("L").getextrema() == (255, 255)
    assert isinstance(deep.image, Image.Image) and deep.image.tobytes() == page.convert("L").tobytes()


def test_multipage_tiff_keeps_page_order_with_form_feeds(run_cli, engine_factory, tmp_path: Path) -> None:
    order = ["page3.png", "page1.png", "page2.png"]
    tif = tiff_of(order, tmp_path / "scan.tif")
    res = run_cli("ocr", str(tif))
    assert res.exit_code == ExitCode.ok, res.stderr
    pages = res.stdout.split("\f")
    assert len(pages) == 3
    for name, text in zip(order, pages, strict=True):
        assert cer(expected(name), normalized(text)) < 0.03
    assert [f"page {n}/3: ocr, confidence" in res.stderr for n in (1, 2, 3)] == [True] * 3


def test_parallel_jobs_give_the_same_output(run_cli, engine_factory, tmp_path: Path) -> None:
    tif = tiff_of(["page1.png", "page2.png", "page3.png"], tmp_path / "scan.tif")
    args = ("ocr", str(tif), str(PAGES / "page2.png"), "--format", "tsv")
    serial, parallel = run_cli(*args), run_cli(*args, "--jobs", "3")
    assert serial.exit_code == parallel.exit_code == ExitCode.ok
    assert serial.stdout == parallel.stdout
    assert len({line.split("\t")[0] for line in serial.stdout.splitlines()[1:]}) == 2  # both files


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("zero-byte", "empty file"),
        ("truncated-png", "unreadable image"),
        ("corrupt-pdf", "not a readable PDF"),
        ("encrypted-pdf", "encrypted"),
        ("empty-pdf", "not a readable PDF"),
        ("unknown-format", "unknown file format"),
        ("huge-image", "megapixels"),
    ],
)
def test_bad_input_is_one_line_typed_error(run_cli, no_ocr, bad_inputs, kind: str, message: str) -> None:
    res = run_cli("ocr", str(bad_inputs[kind]))
    assert res.exit_code == ExitCode.input_file
    assert res.stdout == ""
    errors = [line for line in res.stderr.splitlines() if line.startswith("mrtext: error:")]
    assert len(errors) == 1 and message in errors[0]
    assert "Traceback" not in res.stderr


def test_unreadable_input_leaves_no_output_file(run_cli, no_ocr, bad_inputs, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    res = run_cli("ocr", str(bad_inputs["corrupt-pdf"]), str(bad_inputs["zero-byte"]), "-o", str(out))
    assert res.exit_code == ExitCode.partial_failure
    assert not out.exists()


def test_batch_goes_on_after_bad_files(run_cli, engine_factory, bad_inputs) -> None:
    bad = bad_inputs
    res = run_cli("ocr", str(bad["zero-byte"]), str(PAGES / "page1.png"), str(bad["encrypted-pdf"]))
    assert res.exit_code == ExitCode.partial_failure
    assert cer(expected("page1.png"), normalized(res.stdout)) < 0.03
    assert res.stderr.count("mrtext: error:") == 3  # two files, then the summary
    assert "2 of 3 inputs could not be read" in res.stderr


def test_truncated_page_of_a_tiff_fails_alone(run_cli, engine_factory, tmp_path: Path) -> None:
    tif = tiff_of(["page1.png", "page2.png"], tmp_path / "scan.tif")
    data = tif.read_bytes()
    cut = tmp_path / "cut.tif"
    cut.write_bytes(data[: len(data) * 2 // 3])  # inside the second page
    pages = list(iter_pages(cut))
    assert [p.error is None for p in pages] == [True, False]
    res = run_cli("ocr", str(cut))
    assert res.exit_code == ExitCode.partial_failure
    assert cer(expected("page1.png"), normalized(res.stdout.split("\f")[0])) < 0.03
    assert res.stdout.count("\f") == 1  # the failed page keeps its place
    assert "page 2: unreadable image" in res.stderr


def test_tsv_and_json_carry_page_numbers_and_confidences(run_cli, engine_factory, tmp_path: Path) -> None:
    tif = tiff_of(["page1.png", "page2.png"], tmp_path / "scan.tif")
    tsv = run_cli("ocr", str(tif), "--format", "tsv")
    rows = [line.split("\t") for line in tsv.stdout.splitlines()]
    header, body = rows[0], rows[1:]
    assert header[:3] == ["file", "page", "level"]
    page_rows = {int(r[1]): float(r[11]) for r in body if r[2] == "1"}
    words = [r for r in body if r[2] == "5"]
    assert set(page_rows) == {1, 2}
    for page, mean in page_rows.items():
        confs = [float(r[11]) for r in words if int(r[1]) == page]
        assert mean == pytest.approx(sum(confs) / len(confs), abs=0.01)
    jsonl = run_cli("ocr", str(tif), "--format", "json")
    objs = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [o["page"] for o in objs] == [1, 2]
    assert [o["confidence"] for o in objs] == [page_rows[1], page_rows[2]]
    assert " ".join(w["text"] for w in objs[1]["words"]) == " ".join(normalized(objs[1]["text"]).split())


@pytest.mark.parametrize("fmt", ["hocr", "alto"])
def test_hocr_and_alto_merge_pages_into_one_document(run_cli, engine_factory, tmp_path: Path, fmt: str) -> None:
    tif = tiff_of(["page1.png", "page2.png"], tmp_path / "scan.tif")
    res = run_cli("ocr", str(tif), "--format", fmt)
    assert res.exit_code == ExitCode.ok, res.stderr
    root = ET.fromstring(res.stdout.encode())
    ids = [el.get("id") or el.get("ID") for el in root.iter() if el.get("id") or el.get("ID")]
    assert len(ids) == len(set(ids)) > 10
    if fmt == "hocr":
        pages = [el for el in root.iter() if el.get("class") == "ocr_page"]
        assert [p.get("id") for p in pages] == ["page_1", "page_2"]
        assert 'scan.tif#page=2"' in pages[1].get("title", "")
        words = [el.text for el in root.iter() if el.get("class") == "ocrx_word"]
    else:
        pages = [el for el in root.iter() if el.tag.endswith("}Page")]
        assert len(pages) == 2
        words = [el.get("CONTENT") for el in root.iter() if el.tag.endswith("}String")]
    assert "remissen." in words and "jämlik" in words


def test_stdin_input_and_refusal_to_overwrite(run_cli, engine_factory, tmp_path: Path) -> None:
    res = run_cli("ocr", "-", stdin=(PAGES / "page3.png").read_bytes())
    assert res.exit_code == ExitCode.ok
    assert cer(expected("page3.png"), normalized(res.stdout)) < 0.03
    assert "mrtext: - page 1/1: ocr, confidence" in res.stderr
    res = run_cli("ocr", "-", stdin=b"")
    assert res.exit_code == ExitCode.input_file
    assert res.stderr.startswith("mrtext: error: -: empty file")
    copy = tmp_path / "page3.png"
    shutil.copy(PAGES / "page3.png", copy)
    res = run_cli("ocr", str(copy), "-o", str(copy))
    assert res.exit_code == ExitCode.output_file
    assert copy.read_bytes() == (PAGES / "page3.png").read_bytes()


def test_folder_input_reads_scans_in_name_order(run_cli, engine_factory, tmp_path: Path) -> None:
    for n, name in enumerate(["page2.png", "page1.png"]):
        shutil.copy(PAGES / name, tmp_path / f"{n}-{name}")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    res = run_cli("ocr", str(tmp_path))
    pages = res.stdout.split("\f")
    assert res.exit_code == ExitCode.ok
    assert len(pages) == 2
    assert cer(expected("page2.png"), normalized(pages[0])) < 0.03
    assert cer(expected("page1.png"), normalized(pages[1])) < 0.03


def test_missing_tesseract_and_missing_model_exit_missing_dependency(run_cli, monkeypatch) -> None:
    import pytesseract

    from mrtext.ocr import tesseract

    def not_found() -> None:
        raise pytesseract.TesseractNotFoundError()

    tesseract.tesseract_info.cache_clear()
    monkeypatch.setattr(pytesseract, "get_tesseract_version", not_found)
    res = run_cli("ocr", str(PAGES / "page1.png"))
    assert res.exit_code == ExitCode.missing_dependency
    assert "Tesseract OCR is not installed" in res.stderr and "tesseract-ocr" in res.stderr
    tesseract.tesseract_info.cache_clear()
    monkeypatch.setattr(pytesseract, "get_tesseract_version", lambda: "5.3.0")
    monkeypatch.setattr(pytesseract, "get_languages", lambda: ["eng", "osd"])
    res = run_cli("ocr", "--lang", "swe", str(PAGES / "page1.png"))
    assert res.exit_code == ExitCode.missing_dependency
    assert "no 'swe' language model" in res.stderr and "tesseract-ocr-swe" in res.stderr
    tesseract.tesseract_info.cache_clear()


def test_repair_flag_and_pipe_into_repair(run_cli, engine_factory) -> None:
    pytest.importorskip("mrtext.repair")
    clean = "\n".join(expected(f"page{n}.png") for n in (1, 2, 3))
    files = [str(PAGES / f"page{n}.png") for n in (1, 2, 3)]
    raw = run_cli("ocr", "--lang", "eng", *files)
    fixed = run_cli("ocr", "--lang", "eng", "--repair", *files)
    assert raw.exit_code == fixed.exit_code == ExitCode.ok
    assert fixed.stdout.count("\f") == 2
    before, after = cer(clean, normalized(raw.stdout)), cer(clean, normalized(fixed.stdout))
    assert before > 0.02 and after < before / 2
    piped = run_cli("repair", "-", stdin=raw.stdout.encode())
    assert piped.exit_code == ExitCode.ok
    assert cer(clean, normalized(piped.stdout)) < before / 2


def test_repair_flag_needs_text_output(run_cli, engine_factory) -> None:
    res = run_cli("ocr", "--repair", "--format", "alto", str(PAGES / "page1.png"))
    assert res.exit_code == ExitCode.bad_args


def test_cached_engine_misses_loudly(tmp_path: Path) -> None:
    with pytest.raises(CacheMissError):
        CachedEngine(tmp_path).recognize(Image.open(PAGES / "page1.png"))


def test_size_limit_applies_to_images_not_pdf_pages(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    Image.new("1", (6000, 8000), 1).save(big)  # 48 MP: over 40
    with pytest.raises(InputFileError, match="megapixels"):
        list(iter_pages(big))
    assert next(iter_pages(big, max_megapixels=60)).error is None
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(make_pdf([b"0 0 m 500 500 l S"]))  # a drawing, no text: rendered and OCR'd
    page = next(iter_pages(pdf, dpi=1200, max_megapixels=10))
    assert page.image is not None and not isinstance(page.image, Path)
    assert page.image.width * page.image.height <= 10e6


# ---------------------------------------------------------------- real Tesseract


@pytest.mark.tesseract
def test_swedish_model_reads_swedish_and_english_model_damages_it() -> None:
    from mrtext.ocr.tesseract import TesseractEngine

    image = Image.open(PAGES / "page2.png")
    swe = TesseractEngine("swe").recognize(image)
    eng = TesseractEngine("eng").recognize(image)
    truth = expected("page2.png")
    assert cer(truth, normalized(swe.text)) < 0.02
    assert cer(truth, normalized(eng.text)) > 0.04
    lost = [ch for ch in "åäö" if ch in truth and ch not in eng.text]
    assert lost, eng.text
    assert swe.confidence is not None and swe.confidence > 80


@pytest.mark.tesseract
def test_tesseract_is_deterministic_and_matches_the_recorded_outputs(tmp_path: Path) -> None:
    from mrtext.ocr.tesseract import TesseractEngine

    engine = TesseractEngine("swe")
    image = Image.open(PAGES / "page1.png")
    first, second = engine.run(image, renderers=RENDERERS), engine.run(image, renderers=RENDERERS)
    assert first == second
    recorded = CachedEngine(CACHE, lang="swe")
    entry = json.loads((CACHE / f"{recorded.key(image)}.json").read_text("utf-8"))
    if entry["engine"] == engine.label:  # same Tesseract version: the fixtures must be what it produces
        assert entry["outputs"]["txt"] == first["txt"] and entry["outputs"]["tsv"] == first["tsv"]


@pytest.mark.tesseract
def test_scanned_pdf_is_rendered_and_ocred(tmp_path: Path) -> None:
    from mrtext.ocr.tesseract import TesseractEngine

    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(image_pdf(Image.open(PAGES / "page3.png")))
    doc = ocr_file(pdf, TesseractEngine("swe"))
    assert [p.source for p in doc.pages] == ["ocr"]
    assert cer(expected("page3.png"), normalized(doc.text)) < 0.03
