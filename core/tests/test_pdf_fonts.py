"""Compact CJK fonts (core/pdf/fonts.py): WeasyPrint's retained-ID subsets of the Noto CJK faces
are embedded as compact CID-keyed CFF programs; the page a viewer draws stays the same.

Renders use reports/templates/reports/pdf/_engine_test.html (Chinese text in the serif and sans
faces, the ☑/☐ ballot boxes from DejaVu Sans). Pages are drawn with poppler's pdftoppm.
"""

import io
import subprocess
import tempfile
from pathlib import Path

import pypdf
import pytest
from fontTools.cffLib import CFFFontSet

from core.pdf import fonts as pdf_fonts

from .test_pdf_engine import page_texts, pdftotext, reader, render


def _compaction_off(font, glyphs, hinting):
    return None  # every font goes through WeasyPrint's own subsetting


@pytest.fixture(scope="module")
def compact_and_plain():
    """The same two-page document rendered with and without the compaction step."""
    compact = render(pdf_variant="pdf/a-3b")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_fonts, "_compact", _compaction_off)
        plain = render(pdf_variant="pdf/a-3b")
    return compact, plain


def _font_programs(pdf: bytes):
    """{base font name: (FontFile key, its /Subtype or None, the program's bytes)}."""
    found = {}
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in descriptor:
                    stream = descriptor[key].get_object()
                    found[str(font["/BaseFont"])] = (key, stream.get("/Subtype"), stream.get_data())
    return found


def _pages_drawn(pdf: bytes) -> list[bytes]:
    """Each page as poppler draws it (PPM bytes, 60 dpi)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", str(path), str(Path(folder) / "page")], check=True)
        return [page.read_bytes() for page in sorted(Path(folder).glob("page-*.ppm"))]


def test_cjk_faces_are_embedded_as_compact_cid_keyed_cff(compact_and_plain):
    compact, plain = compact_and_plain
    programs = _font_programs(compact.pdf)
    cjk = {name: program for name, program in programs.items() if "CJK" in name}
    assert len(cjk) >= 2  # the serif body and the sans headings
    for name, (key, subtype, data) in cjk.items():
        assert (key, subtype) == ("/FontFile3", "/CIDFontType0C"), name
        font_set = CFFFontSet()
        font_set.decompile(io.BytesIO(data), None)
        top = font_set.topDictIndex[0]
        assert hasattr(top, "ROS"), f"{name} is no longer CID-keyed"
        # a few hundred glyphs at most, not the ~63,000 empty slots of a retained-ID subset
        assert len(top.charset) < 500, name
    plain_cjk = {name: program for name, program in _font_programs(plain.pdf).items() if "CJK" in name}
    assert all(subtype == "/OpenType" for _key, subtype, _data in plain_cjk.values())
    assert len(compact.pdf) * 3 < len(plain.pdf)


def test_the_compact_fonts_draw_the_same_pages_and_the_same_text(compact_and_plain):
    """Every code in the content streams still finds its glyph (through the CFF charset): poppler
    draws each page pixel for pixel as with WeasyPrint's own subsets, and the text reads the same."""
    compact, plain = compact_and_plain
    assert compact.pages == plain.pages == 2
    assert _pages_drawn(compact.pdf) == _pages_drawn(plain.pdf)
    assert pdftotext(compact.pdf) == pdftotext(plain.pdf)
    assert page_texts(compact.pdf) == page_texts(plain.pdf)


def test_dejavu_keeps_the_ballot_boxes_as_weasyprint_embedded_them(compact_and_plain):
    compact, plain = compact_and_plain
    dejavu = {name: program for name, program in _font_programs(compact.pdf).items() if "DejaVu" in name}
    assert dejavu and all(key == "/FontFile2" for key, _subtype, _data in dejavu.values())
    plain_dejavu = {name: program for name, program in _font_programs(plain.pdf).items() if "DejaVu" in name}
    assert {name: data for name, (_k, _s, data) in dejavu.items()} == {
        name: data for name, (_k, _s, data) in plain_dejavu.items()
    }
    text = page_texts(compact.pdf)[0]
    assert "☑" in text and "☐" in text


def test_the_compact_pdf_is_still_pdf_a_3b(compact_and_plain):
    compact, _plain = compact_and_plain
    metadata = reader(compact.pdf).xmp_metadata
    assert metadata is not None and "pdfaid" in metadata.stream.get_data().decode()


def _noto_sans_cff():
    from fontTools.ttLib import TTFont

    path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    for number in range(10):
        font = TTFont(path, fontNumber=number, lazy=True)
        if font["name"].getDebugName(1) == "Noto Sans CJK SC":
            return memoryview(font.reader["CFF "])
    raise AssertionError("Noto Sans CJK SC not installed")


def test_a_font_is_compacted_only_when_each_used_glyphs_cid_is_its_glyph_id(compact_and_plain):
    """Noto CJK's CIDs are its glyph IDs (Adobe-Identity-0): compacted. A compact subset's are
    not (its glyph 2 carries the CID of an original glyph far away): it would not be."""
    assert pdf_fonts._cids_are_glyph_ids(_noto_sans_cff(), [0, 1, 13, 20000, 65000])
    compact, _plain = compact_and_plain
    _key, _subtype, data = next(program for name, program in _font_programs(compact.pdf).items() if "CJK" in name)
    font_set = CFFFontSet()
    font_set.decompile(io.BytesIO(data), None)
    names = list(font_set.topDictIndex[0].charset)
    moved = [glyph for glyph, name in enumerate(names) if glyph and name != f"cid{glyph:05d}"]
    assert moved
    subset = memoryview(data)
    assert not pdf_fonts._cids_are_glyph_ids(subset, [0, moved[0]])
    assert not pdf_fonts._cids_are_glyph_ids(subset, [0, 10**5])  # beyond the font's glyphs


def test_a_font_that_cannot_be_compacted_stays_as_weasyprint_embedded_it(monkeypatch):
    monkeypatch.setattr(pdf_fonts, "_cids_are_glyph_ids", lambda cff, glyphs: False)
    result = render(context={"rows": []})
    programs = _font_programs(result.pdf)
    assert {subtype for name, (_key, subtype, _data) in programs.items() if "CJK" in name} == {"/OpenType"}
    assert "中食互联" in pdftotext(result.pdf)


def test_an_unexpected_failure_keeps_weasyprints_font_and_the_pdf(monkeypatch):
    def broken(font, glyphs, hinting):
        raise RuntimeError("boom")

    warnings = []
    monkeypatch.setattr(pdf_fonts, "_compact", broken)
    # recorded directly: a Celery worker started by another test may have reconfigured logging
    monkeypatch.setattr(pdf_fonts.logger, "warning", lambda message, *args, **kwargs: warnings.append(message % args))
    result = render(context={"rows": []})
    assert isinstance(pypdf.PdfReader(io.BytesIO(result.pdf)), pypdf.PdfReader)
    assert {subtype for _key, subtype, _data in _font_programs(result.pdf).values() if subtype} == {"/OpenType"}
    assert warnings and all(message.startswith("could not compact font") for message in warnings)
