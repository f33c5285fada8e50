"""Reading real MOAs: the text layer, values typed into form fields, pages stored sideways, and OCR (Debian's
Tesseract, really run) where a page has no text layer."""

from __future__ import annotations

import shutil

import pytest

from tests.pdfs import one_page, sample, text_page_pdf
from track287g.documents.extract import extract_fields
from track287g.documents.limits import Limits
from track287g.documents.reader import read_pdf, text_quality
from track287g.documents.signatures import read_signatures
from track287g.documents.worker import Job, read_many, read_one

NO_OCR = Limits(ocr=False)
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed")


def test_a_text_layer_is_read_page_by_page_in_reading_order():
    result = read_pdf(sample("287gJEM_CalhounCoTX_03-13-2020.pdf"), NO_OCR)
    assert len(result.pages) == 12 and result.text_source == "text-layer"
    first = result.pages[0].text.splitlines()
    assert first[:2] == ["MEMORANDUM OF AGREEMENT", "287(g) Jail Enforcement Model"]
    assert result.reader.startswith("pypdfium2 ")


def test_values_typed_into_form_fields_are_read_where_they_sit():
    """Arcadia's agency name and signing dates live in form fields, not in the page text."""
    result = read_pdf(sample("ArcadiaPDFL_TFM_MOA_030425.pdf"), NO_OCR)
    fields = [s.text for s in result.pages[0].segments if s.src == "f"]
    assert "Arcadia Police Dept (APD)" in fields
    assert extract_fields(result.pages)["agency"].value == "Arcadia Police Dept"
    signature_page = result.pages[8]
    assert {"02/28/2025", "March 5, 2025"} <= {s.text for s in signature_page.segments if s.src == "f"}


def test_a_page_stored_sideways_reads_top_to_bottom():
    """Seneca County's signature page is stored rotated (/Rotate 270): its words come out upright."""
    page = read_pdf(sample("SenecaCoSOOH_TFM_MOA_022825.pdf"), NO_OCR).pages[8]
    lines = page.text.splitlines()
    signing = next(i for i, line in enumerate(lines) if line.startswith("By signing this MOA"))
    assert lines[signing + 3] == "For the LEA: For ICE:"


def test_a_garbled_text_layer_is_recognised():
    """Knox County's 2020 MOA has pages whose fonts map to the wrong characters."""
    result = read_pdf(sample("287g_JEM_Knox_6-8-2020.pdf"), NO_OCR)
    assert text_quality(result.pages[1].text) < 0.2
    assert text_quality(result.pages[0].text) > 0.9


@needs_tesseract
def test_a_scanned_page_is_read_by_ocr_with_its_confidence():
    """The signature page of Cherokee County's MOA is a scan without a text layer."""
    outcome = read_one(one_page("CherokeeCountyNC_WSO_MOA_031025.pdf", 7), Limits())
    assert outcome.error is None
    result = outcome.result
    (page,) = result.pages
    assert page.source == "ocr" and result.ocr_engine.startswith("tesseract ")
    assert 0.5 < page.confidence <= 1.0
    assert "By signing this MOA" in page.text
    signers = {s.party: s for s in read_signatures(result.pages)}
    assert signers["ice"].name == "Todd M. Lyons" and signers["ice"].title == "Acting Director"
    assert str(signers["ice"].signed.value) == "2025-03-10"
    assert signers["agency"].name == "Dustin Smith"


def test_documents_are_read_in_parallel_and_come_back_in_order():
    datas = [sample(n) for n in ("287gWSO_HendryCoFl2019-10-15.pdf", "287gJEM_PolkCoGa2020-07-02.pdf")]
    datas.append(text_page_pdf(["MEMORANDUM OF AGREEMENT"]))
    outcomes = list(read_many([Job(d) for d in datas], Limits(ocr=False, workers=2)))
    assert [len(o.result.pages) for o in outcomes] == [12, 11, 1]
