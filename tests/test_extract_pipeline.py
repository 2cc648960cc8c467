"""The packaged pipeline: serialisation, fresh-process loading, multiprocessing, error handling,
offsets into damaged originals, the CLI and the corpus F1 floors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, DocBin

from mrtext.corpus import CORPORA_DIR, load_corpus
from mrtext.errors import MissingDependencyError
from mrtext.extract import MODEL_DIR, build_nlp, extract, load_pipeline
from mrtext.extract.evaluate import score
from mrtext.ingest import Document

pytestmark = pytest.mark.skipif(not (MODEL_DIR / "config.cfg").is_file(), reason="run `make model` first")

SAMPLE = "Svar på remiss, Dnr KS 2023/1159\n\nProgrammets mål är att staden ska vara jämlik.\n\nStockholm den 6 december 2017"


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    return load_pipeline()


@pytest.fixture(scope="module")
def stockholm_records(nlp):
    corpus = load_corpus(CORPORA_DIR / "stockholm-mr")
    return corpus, extract(corpus.documents, nlp=nlp)


def _spans(doc: Doc) -> list[tuple[str, str, str, str | None]]:
    return [(k, s.label_, s.text, s._.mrtext_value) for k in sorted(doc.spans) for s in doc.spans[k]]


def test_to_disk_from_disk_round_trip(nlp, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p")
    assert again.pipe_names == nlp.pipe_names
    assert _spans(again(SAMPLE)) == _spans(nlp(SAMPLE))
    # the trained classifiers travel with the pipeline
    assert json.loads((tmp_path / "p" / "mrtext_goals" / "goals.json").read_text())["model"]["classes"] == ["0", "1"]


def test_fresh_process_loads_without_importing_mrtext() -> None:
    code = (
        "import sys, spacy\n"
        f"nlp = spacy.load({str(MODEL_DIR)!r})\n"
        "doc = nlp('Dnr KS 2023/1159, beslut den 6 december 2017.')\n"
        "print(sorted(doc.spans), doc._.mrtext_date, [s._.mrtext_value for s in doc.spans['mrtext_dnr']])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert (
        out.stdout.strip()
        == "['mrtext_dates', 'mrtext_dnr', 'mrtext_goals', 'mrtext_programs'] 2017-12-06 ['KS 2023/1159']"
    )


def test_doc_survives_docbin_with_values(nlp) -> None:
    doc = nlp(SAMPLE)
    db = DocBin(store_user_data=True, docs=[doc])
    [back] = list(DocBin().from_bytes(db.to_bytes()).get_docs(nlp.vocab))
    assert _spans(back) == _spans(doc)
    assert back._.mrtext_diary_number == "KS 2023/1159" and back._.mrtext_date == "2017-12-06"
    json.dumps([back._.mrtext_title, back._.mrtext_doc_type, back._.mrtext_doc_type_scores])


def test_pipe_with_two_processes_matches_one(nlp, corpus) -> None:
    texts = [d.text for d in corpus.documents]
    one = [_spans(d) for d in nlp.pipe(texts)]
    two = [_spans(d) for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert two == one and sum(len(s) for s in one) > 50


def test_error_handler_keeps_the_batch_going() -> None:
    nlp = build_nlp()

    def explode(doc: Doc) -> Doc:
        if "BOOM" in doc.text:
            raise ValueError("bad document")
        return doc

    goals = nlp.get_pipe("mrtext_goals")
    original = goals.match
    goals.match = lambda doc: explode(doc) and original(doc)  # type: ignore[method-assign]
    records = extract(["Dnr KS 2023/1159", "BOOM Dnr KS 2024/1", "Dnr KS 2025/2"], nlp=nlp, repair="never")
    assert [r.diary_number for r in records] == ["KS 2023/1159", "KS 2024/1", "KS 2025/2"]
    assert "error" not in records[0].meta and "bad document" in records[1].meta["error"]


def test_offsets_point_into_damaged_original(stockholm_records) -> None:
    corpus, records = stockholm_records
    rec = records[[d.id for d in corpus.documents].index("002")]
    text = corpus.by_id("002").text
    assert rec.repaired
    for e in rec.entities:
        assert text[e.start : e.end] == e.text
    mr = [e for e in rec.entities if e.label == "PROGRAM" and e.text.startswith("Stockholms\nstads program for de")]
    assert mr and mr[0].value == "Stockholms stads program för de mänskliga rättigheterna"


def test_strings_and_documents_are_accepted(nlp) -> None:
    [a, b] = extract([SAMPLE, Document(id="x", text="")], nlp=nlp)
    assert (a.id, b.id, b.entities) == ("doc0", "x", [])
    assert a.to_dict()["schema"] == "mrtext/1"


def test_offsets_of_a_match_inside_a_longer_token(nlp) -> None:
    """``65/2020-06-09`` is one token; the DATE is only its date part, also after a DocBin round trip."""
    text = "Antaget av: KF §: 65/2020-06-09\n"
    [rec] = extract([text], nlp=nlp, repair="never")
    [date] = [e for e in rec.entities if e.label == "DATE"]
    assert (date.text, date.value) == ("2020-06-09", "2020-06-09")
    doc = nlp(text)
    again = next(iter(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab)))
    assert tuple(again.spans["mrtext_dates"][0]._.mrtext_offsets) == (text.index("2020"), text.index("\n"))


def test_missing_model_has_a_remedy(tmp_path: Path) -> None:
    with pytest.raises(MissingDependencyError, match="make model"):
        load_pipeline(tmp_path / "nothing")


def test_stockholm_f1_floors(stockholm_records) -> None:
    corpus, records = stockholm_records
    s = score([(d.gold_extract, r) for d, r in zip(corpus.documents, records, strict=True)])["labels"]
    assert s["DIARY_NUMBER"]["f1"] >= 0.97
    assert s["DATE"]["f1"] >= 0.95
    assert s["PROGRAM"]["f1"] >= 0.85
    assert s["GOAL"]["span"]["f1"] >= 0.75  # exact sentence span; see test_scanned_within_three_points
    meta = score([(d.gold_extract, r) for d, r in zip(corpus.documents, records, strict=True)])["metadata"]
    assert meta["date"] == meta["diary_number"] == 1.0 and meta["doc_type"] >= 0.8 and meta["title"] >= 0.8


def test_other_municipalities_train_floors(nlp) -> None:
    """Training documents of other municipalities (municipal train split + municipal-train2), hand gold.

    These are development data (the rules and classifiers learn from them), so the floors guard against
    regressions; the held-out split is scored by ``mrtext evaluate extract --split heldout`` only.
    """
    pairs = []
    for name in ("municipal", "municipal-train2"):
        docs = [d for d in load_corpus(CORPORA_DIR / name).documents if d.manifest["split"] == "train"]
        pairs += [(d.gold_extract, r) for d, r in zip(docs, extract(docs, nlp=nlp), strict=True)]
    result = score(pairs)
    s, meta = result["labels"], result["metadata"]
    assert len(pairs) >= 20
    assert s["DIARY_NUMBER"]["f1"] >= 0.97 and s["DATE"]["f1"] >= 0.95
    assert s["PROGRAM"]["f1"] >= 0.8 and s["PROGRAM"]["lenient"]["f1"] >= 0.85
    assert s["GOAL"]["f1"] >= 0.7
    assert meta["date"] >= 0.9 and meta["diary_number"] >= 0.95 and meta["title"] >= 0.7


def test_scanned_within_three_points_of_clean(stockholm_records) -> None:
    corpus, records = stockholm_records
    parts = {}
    for scanned in (False, True):
        pairs = [
            (d.gold_extract, r)
            for d, r in zip(corpus.documents, records, strict=True)
            if d.manifest["scanned"] == scanned
        ]
        parts[scanned] = score(pairs)["labels"]
    for label in ("DIARY_NUMBER", "DATE"):
        assert parts[True][label]["f1"] >= parts[False][label]["f1"] - 0.03
    for label in ("PROGRAM", "GOAL"):
        assert parts[True][label]["span"]["f1"] >= parts[False][label]["span"]["f1"] - 0.03


def test_cli_extract_jsonl_and_csv(run_cli, corpus) -> None:
    path = corpus.by_id("000").path
    res = run_cli("extract", path)
    assert res.exit_code == 0, res.stderr
    [rec] = [json.loads(line) for line in res.stdout.splitlines()]
    assert rec["schema"] == "mrtext/1" and rec["doc_type"] == "svar_pa_interpellation" and rec["date"] == "2017-12-06"
    text = corpus.by_id("000").text
    assert all(text[e["start"] : e["end"]] == e["text"] for e in rec["entities"])
    res = run_cli("extract", "--format", "csv", "-", stdin=b"Dnr KS 2023/1159 den 6 maj 2019")
    assert res.exit_code == 0
    assert res.stdout.splitlines()[0].startswith("id,path,label,text") and ",DATE,6 maj 2019," in res.stdout


def test_cli_extract_walks_folders_and_refuses_bad_input(run_cli, tmp_path: Path) -> None:
    res = run_cli("extract", str(CORPORA_DIR / "stockholm-mr" / "source"), "--repair", "never")
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 5
    res = run_cli("extract", str(tmp_path / "missing.txt"))
    assert res.exit_code == 3 and "Traceback" not in res.stderr


def test_cli_evaluate_extract_json(run_cli) -> None:
    res = run_cli("evaluate", "extract", "--json")
    assert res.exit_code == 0, res.stderr
    result = json.loads(res.stdout)
    assert result["all"]["labels"]["DATE"]["f1"] >= 0.95 and "scanned" in result


def test_extract_with_two_workers_matches_one(nlp, corpus) -> None:
    docs = corpus.documents
    one = [r.to_dict() for r in extract(docs, nlp=nlp, repair="never")]
    two = [r.to_dict() for r in extract(docs, nlp=nlp, repair="never", n_process=2, batch_size=2)]
    assert two == one


def test_cli_evaluate_synthetic_scans_by_value(run_cli) -> None:
    res = run_cli("evaluate", "extract", "--corpus", str(CORPORA_DIR / "synthetic"), "--split", "train", "--json")
    assert res.exit_code == 0, res.stderr
    by_lang = json.loads(res.stdout)["by_lang"]
    for lang in ("eng", "swe"):
        clean, ocr = by_lang[lang]["clean"], by_lang[lang]["ocr"]
        assert clean["DATE"]["f1"] >= 0.95 and clean["DIARY_NUMBER"]["f1"] >= 0.97
        # after repair, OCR'd scans stay within 3 points of the clean rendering on numbers and dates
        for label in ("DIARY_NUMBER", "DATE"):
            assert ocr[label]["f1"] >= clean[label]["f1"] - 0.03
