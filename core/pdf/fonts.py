"""Compact CID-keyed CFF fonts in WeasyPrint's PDFs.

Why: WeasyPrint 70 subsets every font with HarfBuzz *retaining glyph IDs* (its content streams
write glyph IDs as the character codes, ``Identity-H``). A Noto CJK face has ~65,000 glyphs and
the Chinese ones sit at high IDs, so each "subset" still carries ~63,000 empty glyphs and their
metrics: 480–790 KB per face, 140–165 KB compressed. A one-page certificate with four CJK faces
weighed ~550 KiB; the two subsetting passes over 63,000 glyphs and deflating the result were a
third of its render time.

What: for a font program that is CFF with a CID-keyed Top DICT (``ROS``) whose CIDs equal its
glyph IDs (Noto CJK: ``Adobe-Identity-0``, glyph *n* is ``cid0000n``), the used glyphs are
subset once *without* retaining IDs (``install`` wraps WeasyPrint's ``Font.subset``), and the
finisher step ``compact_cid_fonts`` embeds the bare CFF table as ``/FontFile3 /Subtype
/CIDFontType0C``. ISO 32000-1 9.7.4.2: when the CFF Top DICT uses the CIDFont operators, a CID
is mapped to its glyph through the CFF's ``charset``, which HarfBuzz keeps (the subset's charset
lists the original CIDs). So the codes in the content streams, the ``/W`` widths and the
``ToUnicode`` map (all by CID) stay as they are. The bare CFF, not the OpenType wrapper, because
some viewers (poppler, FreeType) take the CID as a glyph index inside an OpenType wrapper,
whereas for ``CIDFontType0C`` every viewer applies the charset.

Any other font (TrueType such as DejaVu, name-keyed CFF, a CFF whose CIDs are not its glyph
IDs) goes through WeasyPrint's own subsetting, untouched; so does any font this module cannot
check: the original's charset is read to prove each used glyph's CID is its glyph ID, and the
compact subset is read back to check it carries each of those CIDs.

``install`` replaces one method of WeasyPrint 70 (pinned in requirements.txt); it checks the
method is there and leaves WeasyPrint alone otherwise.
"""

import io
import logging

logger = logging.getLogger(__name__)

CFF_TAG = b"CFF "
#: The tables WeasyPrint drops when it subsets (weasyprint/pdf/fonts.py), and cmap: only the CFF
#: table is embedded. (HarfBuzz 6 may still add a few glyphs, e.g. vertical forms; they cost bytes
#: only: each glyph keeps its CID.)
DROP_TABLES = (
    b"cmap",
    b"BASE",
    b"DSIG",
    b"EBDT",
    b"EBLC",
    b"EBSC",
    b"GPOS",
    b"GSUB",
    b"JSTF",
    b"LTSH",
    b"PCLT",
    b"SVG ",
)


def _table(hb_face, tag):
    """(the table's bytes as a memoryview without copying, the blob to release) of a HarfBuzz face."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_table(hb_face, harfbuzz.hb_tag_from_string(tag, -1))
    length = ffi.new("unsigned int *")
    data = harfbuzz.hb_blob_get_data(blob, length)
    view = memoryview(ffi.buffer(data, length[0])) if length[0] else memoryview(b"")
    return view, blob


def _release(blob):
    from weasyprint.text.ffi import harfbuzz

    harfbuzz.hb_blob_destroy(blob)


def _index(cff, pos):
    """The (start, end) of each item of the CFF INDEX at ``pos`` (Adobe TN 5176, 5), and its end."""
    count = int.from_bytes(cff[pos : pos + 2], "big")
    if count == 0:
        return [], pos + 2
    size = cff[pos + 2]
    offsets = [int.from_bytes(cff[pos + 3 + i * size : pos + 3 + (i + 1) * size], "big") for i in range(count + 1)]
    base = pos + 3 + (count + 1) * size - 1
    return [(base + offsets[i], base + offsets[i + 1]) for i in range(count)], base + offsets[-1]


class _SIDs:
    """String IDs stay numbers: only the presence of ROS and the charset offset matter here."""

    def __getitem__(self, sid):
        return sid


def _cids_are_glyph_ids(cff, glyphs) -> bool:
    """True when ``cff`` (a CFF table) is CID-keyed and each glyph ID of ``glyphs`` has that
    same number as its CID in the charset (TN 5176: 13, charsets formats 0, 1 and 2)."""
    from fontTools.cffLib import TopDictDecompiler

    if len(cff) < 4 or cff[0] != 1:
        return False
    _names, pos = _index(cff, cff[2])
    tops, _pos = _index(cff, pos)
    if len(tops) != 1:
        return False
    decompiler = TopDictDecompiler(strings=_SIDs())
    decompiler.decompile(bytes(cff[tops[0][0] : tops[0][1]]))
    top = decompiler.getDict()
    if "ROS" not in top or not isinstance(top.get("charset"), int) or top["charset"] < 3:
        return False  # name-keyed, or a predefined (ISO Adobe, …) charset: not ours to remap
    if not isinstance(top.get("CharStrings"), int):
        return False
    glyph_count = int.from_bytes(cff[top["CharStrings"] : top["CharStrings"] + 2], "big")
    if glyphs and glyphs[-1] >= glyph_count:
        return False
    pos = top["charset"]
    charset_format = cff[pos]
    wanted = [glyph for glyph in glyphs if glyph]  # GID 0 is .notdef, CID 0 by definition
    if charset_format == 0:
        return all(int.from_bytes(cff[pos + 1 + (g - 1) * 2 : pos + 3 + (g - 1) * 2], "big") == g for g in wanted)
    if charset_format not in (1, 2):
        return False
    count_size = 1 if charset_format == 1 else 2
    pos, gid, remaining = pos + 1, 1, iter(wanted)
    glyph = next(remaining, None)
    while glyph is not None:
        first = int.from_bytes(cff[pos : pos + 2], "big")
        left = int.from_bytes(cff[pos + 2 : pos + 2 + count_size], "big")
        pos += 2 + count_size
        last = gid + left  # this range covers glyphs gid … last with CIDs first … first + left
        while glyph is not None and glyph <= last:
            if first != gid:
                return False
            glyph = next(remaining, None)
        gid = last + 1
        if gid >= glyph_count:
            return glyph is None
    return True


def _subset(font, glyphs, hinting):
    """``font``'s face subset to ``glyphs`` (glyph IDs not retained), as OpenType bytes, or None."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    if not harfbuzz_subset or not harfbuzz.hb_version_atleast(4, 1, 0):
        return None
    subset_input = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    harfbuzz.hb_set_add_sorted_array(glyph_set, ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs), len(glyphs))
    # The flags WeasyPrint uses for its own subset, less RETAIN_GIDS.
    flags = harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    drop_set = harfbuzz_subset.hb_subset_input_set(subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    tags = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in DROP_TABLES)
    harfbuzz.hb_set_add_sorted_array(drop_set, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags), len(tags))
    face = harfbuzz_subset.hb_subset_or_fail(font.hb_face, subset_input)
    if face == ffi.NULL:
        return None
    face = ffi.gc(face, harfbuzz.hb_face_destroy)
    return get_hb_object_data(face) or None


def sfnt_table(data: bytes, tag: bytes) -> bytes | None:
    """One table of an OpenType font's bytes (its table directory: OpenType spec, "Font files")."""
    count = int.from_bytes(data[4:6], "big")
    for record in range(12, 12 + 16 * count, 16):
        if data[record : record + 4] == tag:
            offset = int.from_bytes(data[record + 8 : record + 12], "big")
            length = int.from_bytes(data[record + 12 : record + 16], "big")
            return data[offset : offset + length]
    return None


def _subset_keeps_cids(cff_bytes, glyphs) -> bool:
    """The compact subset is CID-keyed and carries every CID the content streams draw."""
    from fontTools.cffLib import CFFFontSet

    font_set = CFFFontSet()
    font_set.decompile(io.BytesIO(cff_bytes), None)
    top = font_set.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return False
    names = set(top.charset)
    return all(f"cid{glyph:05d}" in names for glyph in glyphs if glyph)


def _compact(font, glyphs, hinting):
    """The compact OpenType subset of ``font``, or None when it is not a CID-keyed CFF whose used
    glyphs' CIDs are their glyph IDs."""
    if not any(tag.strip() == "CFF" for tag in font.tables):
        return None
    view, blob = _table(font.hb_face, CFF_TAG)
    try:
        if not _cids_are_glyph_ids(view, glyphs):
            return None
    finally:
        del view
        _release(blob)
    subset = _subset(font, glyphs, hinting)
    cff = sfnt_table(subset, CFF_TAG) if subset else None
    if cff is None or not _subset_keeps_cids(cff, glyphs):
        return None
    return subset


#: Set on a WeasyPrint ``Font`` whose ``file_content`` is a compact subset (its CFF is embedded bare).
COMPACT_MARK = "auditbody_compact_cff"


def install():
    """Wrap WeasyPrint's ``Font.subset``: a CID-keyed CFF with CIDs equal to glyph IDs is subset
    once, compact; every other font, or any failure, goes to WeasyPrint's own subsetting."""
    from weasyprint.pdf.fonts import Font

    original = getattr(Font, "subset", None)
    if original is None or getattr(original, "auditbody_compact", False):
        return

    def subset(self, to_unicode, hinting):
        compact = None
        if to_unicode:
            try:
                compact = _compact(self, sorted({0, *to_unicode}), hinting)
            except Exception:  # never lose the PDF over an optimisation: WeasyPrint subsets it
                logger.warning("could not compact font %s; WeasyPrint subsets it", self.family, exc_info=True)
        if compact is None:
            return original(self, to_unicode, hinting)
        self.file_content = compact
        setattr(self, COMPACT_MARK, True)
        return None

    subset.auditbody_compact = True  # type: ignore[attr-defined]
    Font.subset = subset


def compact_cid_fonts(document, pdf) -> int:
    """The finisher step: embed each compact font's CFF table bare, as ``CIDFontType0C`` (see the
    module's docstring). Returns how many font programs were replaced."""
    compact = {id(font.file_content) for font in document.fonts.values() if getattr(font, COMPACT_MARK, False)}
    replaced = 0
    for stream in pdf.objects:
        extra = getattr(stream, "extra", None)
        if extra is None or str(extra.get("Subtype", "")) != "/OpenType" or not getattr(stream, "stream", None):
            continue
        if id(stream.stream[0]) not in compact:
            continue
        cff = sfnt_table(stream.stream[0], CFF_TAG)
        if cff is None:
            continue
        stream.stream[0] = cff
        extra["Subtype"] = "/CIDFontType0C"
        replaced += 1
    return replaced
