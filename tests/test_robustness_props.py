"""Property-based tests (hypothesis) for the runner: chunking, per-document processing, discovery, outputs."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mrtext.errors import ExitCode
from mrtext.pipeline.atomic import atomic_write
from mrtext.pipeline.discover import discover
from mrtext.pipeline.document import DocumentResult, DocumentSource, PipelineConfig, process_document, split_chunks
from mrtext.pipeline.stages import StageOptions, get_stages

# Swedish municipal material to mix into arbitrary text, so the extractors have something to find.
FRAGMENTS = [
    "Dnr KS 2023/1159",
    "dnr 434-21/2017",
    "den 6 december 2017",
    "2017-11-27",
    "Program för ett jämställt Stockholm 2018-2022",
    "Målet är att staden ska vara öppen.",
    "Svar på remiss",
    "\r\n",
    "\n\n",
    "\f",
    "ménskliga rattigheter fér alla",
]
swedish_text = st.lists(st.one_of(st.text(max_size=40), st.sampled_from(FRAGMENTS)), max_size=25).map("".join)

_has_extract = get_stages(StageOptions()).extract is not None


@given(text=st.text(max_size=400), max_chars=st.integers(min_value=1, max_value=60))
def test_chunks_cover_the_text_exactly(text: str, max_chars: int) -> None:
    chunks = split_chunks(text, max_chars)
    assert "".join(piece for _, piece in chunks) == text
    pos = 0
    for offset, piece in chunks:
        assert offset == pos and len(piece) <= max_chars
        pos += len(piece)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=300),
        swedish_text.map(lambda t: t.encode("utf-8")),
        swedish_text.map(lambda t: t.encode("utf-16")),
    )
)
def test_process_document_never_raises_and_gives_plain_data(data: bytes) -> None:
    result = process_document(DocumentSource(relpath="x.txt", doc_id="x", data=data), PipelineConfig(chunk_chars=64))
    assert DocumentResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result
    if result.error is not None:
        assert result.error["exit_code"] in ExitCode.__members__
        assert "\n" not in result.error["message"] and result.error["message"].startswith("x.txt: ")
        assert result.record is None


@pytest.mark.skipif(not _has_extract, reason="extraction stage unavailable")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=swedish_text, chunk=st.sampled_from([48, 200_000]))
def test_extraction_offsets_are_inside_the_text_and_match_it(text: str, chunk: int) -> None:
    """Directly through mrtext.extract, and through the runner's chunked processing."""
    from mrtext.extract import extract

    for rec in extract([text]):
        for ent in rec.entities:
            assert 0 <= ent.start <= ent.end <= len(text)
            assert text[ent.start : ent.end] == ent.text
    result = process_document(DocumentSource("x.txt", "x", text.encode("utf-8")), PipelineConfig(chunk_chars=chunk))
    if result.record is not None:
        for ent in result.record["entities"]:
            assert 0 <= ent["start"] <= ent["end"] <= len(text)
            assert text[ent["start"] : ent["end"]] == ent["text"]
        for change in result.changes:
            assert text[change["start"] : change["end"]] == change["before"]


# File names a user may have: any characters a POSIX file system allows, Swedish letters, spaces.
file_names = st.text(
    alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=40
).filter(lambda s: not s.startswith(".") and len((s + ".txt").encode("utf-8")) < 255)


@settings(max_examples=30, deadline=None)
@given(names=st.lists(file_names, min_size=1, max_size=5, unique_by=str.casefold))
def test_every_document_is_found_once_whatever_its_name(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i, name in enumerate(names):
            folder = root / f"mapp {i} åäö"
            folder.mkdir()
            (folder / f"{name}.txt").write_bytes(b"Dnr KS 2023/1159")
        found = discover(root)
        assert found.failures == []
        assert sorted(f.relpath for f in found.files) == sorted(f"mapp {i} åäö/{n}.txt" for i, n in enumerate(names))
        assert len({f.doc_id for f in found.files}) == len(names)


@settings(max_examples=50, deadline=None)
@given(text=st.text())
def test_atomic_write_round_trips_any_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "ut" / "fil.txt"
        atomic_write(target, text)
        assert target.read_bytes() == text.encode("utf-8", "surrogatepass")
        assert [p.name for p in target.parent.iterdir()] == ["fil.txt"]
