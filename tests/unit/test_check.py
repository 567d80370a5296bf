"""check: matching removed values against a written file, and the audience's own text."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.check import check_output, escapes_decoded, percent_decoded
from briefgen.ledger import Ledger, Withheld


def ledger_of(removed: list[tuple[str, str]], visible: list[str] | None = None) -> Ledger:
    return Ledger([Withheld(*pair) for pair in removed], list(visible or []))


def write(tmp_path, body: str):
    path = tmp_path / "out.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return path


def test_a_removed_value_in_the_file_is_a_leak(tmp_path):
    path = write(tmp_path, "<p>Contact: Leyla in Ganja</p>")
    message = check_output(path, "html", ledger_of([("cases.x.contact", "Leyla in Ganja")]))
    assert message and message.where == "cases.x.contact"


def test_a_value_the_audience_also_sees_elsewhere_is_not_a_leak(tmp_path):
    # The same words are removed in one field and shown in another (a visible markdown
    # field): they are the audience's own text.
    path = write(tmp_path, "<p>Leyla in Ganja</p>")
    view = ledger_of([("cases.x.contact", "Leyla in Ganja")], visible=["*Leyla* in **Ganja**"])
    assert check_output(path, "html", view) is None


def test_a_value_found_only_across_two_shown_values_is_a_leak(tmp_path):
    # The shown values are not read as one text: "...Azerbaijan" and "Nasimi..." joined hold
    # "anna", a withheld name, which the audience is not shown anywhere.
    path = write(tmp_path, "<p>Witness: Anna</p>")
    shown = ["Baku, Azerbaijan", "Nasimi district court"]
    message = check_output(path, "html", ledger_of([("people.w.name", "Anna")], visible=shown))
    assert message and message.where == "people.w.name"


def test_a_value_one_shown_value_holds_is_not_a_leak_whatever_stands_around_it(tmp_path):
    path = write(tmp_path, "<p>Witness: Anna</p>")
    shown = ["Baku, Azerbaijan", "Hanna Lindqvist", "Nasimi district court"]
    assert check_output(path, "html", ledger_of([("people.w.name", "Anna")], visible=shown)) is None


def test_matching_ignores_case_spacing_and_hyphenation(tmp_path):
    path = write(tmp_path, "<p>LEYLA in Gan-<br>ja</p>")
    assert check_output(path, "html", ledger_of([("f", "Leyla in Ganja")]))


def test_a_long_value_is_found_when_only_a_stretch_of_it_leaks(tmp_path):
    sentence = "the source met the lawyer twice in the prison of Baku before the hearing began"
    path = write(tmp_path, "<p>He said the lawyer twice in the prison of Baku, then left.</p>")
    assert check_output(path, "html", ledger_of([("notes", sentence)]))


def test_a_clean_file_passes(tmp_path):
    path = write(tmp_path, "<p>Nothing confidential here</p>")
    assert check_output(path, "html", ledger_of([("f", "Leyla in Ganja")], visible=["x"])) is None


def test_every_string_object_of_a_pdf_is_read(tmp_path):
    import pikepdf

    from briefgen.check import _pdf_strings

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.Extra = pikepdf.Dictionary(
        Nested=pikepdf.Dictionary(Deep=pikepdf.Array([pikepdf.String("nested secret")])),
        Ref=pdf.make_indirect(pikepdf.String("indirect secret")),
        Number=pdf.make_indirect(42),
        Name=pikepdf.Name("/NotAString"),
    )
    pdf.Root.Unicode = pdf.make_indirect(pikepdf.Dictionary(T=pikepdf.String("Ünïcode sécret – ƏƎ")))
    path = tmp_path / "strings.pdf"
    pdf.save(path)
    found = _pdf_strings(path)
    for text in ("nested secret", "indirect secret", "Ünïcode sécret – ƏƎ"):
        assert text in found
    assert all("NotAString" not in text for text in found)


# ---------------------------------------------------------------- image metadata


def test_a_removed_value_in_a_docx_media_parts_metadata_is_a_leak(tmp_path):
    # An image that bypassed the cleaning (a future writer, a hand-made template part):
    # its EXIF artist is a removed value.
    import io

    import docx
    from photo_fixtures import MARKERS, camera_jpeg

    document = docx.Document()
    document.add_picture(io.BytesIO(camera_jpeg()))
    path = tmp_path / "out.docx"
    document.save(str(path))
    message = check_output(path, "docx", ledger_of([("people.x.name", MARKERS["artist"])]))
    assert message and message.where == "people.x.name"
    for marker in ("serial", "gps_area", "xmp", "iptc", "comment", "thumbnail"):
        assert check_output(path, "docx", ledger_of([("f", MARKERS[marker])])), marker


def test_a_removed_value_in_a_docx_embedded_file_is_a_leak(tmp_path):
    import zipfile

    import docx

    path = tmp_path / "out.docx"
    docx.Document().save(str(path))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/embeddings/oleObject1.bin", b"\x00\x01 minutes: Leyla in Ganja \x00")
    assert check_output(path, "docx", ledger_of([("f", "Leyla in Ganja")]))


def test_a_removed_value_in_a_jpeg_inside_a_pdf_is_a_leak(tmp_path):
    # WeasyPrint embeds a JPEG as the file itself, with its comment and EXIF segments.
    from photo_fixtures import MARKERS, camera_jpeg
    from weasyprint import HTML

    photo = tmp_path / "raw.jpg"
    photo.write_bytes(camera_jpeg())
    path = tmp_path / "out.pdf"
    HTML(string=f'<p>Photo</p><img src="{photo.as_uri()}">').write_pdf(path)
    written = path.read_bytes()
    present = [name for name, marker in MARKERS.items() if marker.encode() in written]
    assert "comment" in present  # WeasyPrint drops EXIF and XMP itself, not the comment
    for marker in present:
        message = check_output(path, "pdf", ledger_of([(f"people.x.{marker}", MARKERS[marker])]))
        assert message and message.where == f"people.x.{marker}", marker


def test_a_removed_value_in_an_html_resource_folder_image_is_a_leak(tmp_path):
    from photo_fixtures import MARKERS, camera_png

    path = write(tmp_path, '<img src="out_files/images/a.png" alt="A photo">')
    folder = tmp_path / "out.html_files" / "images"  # as the writer leaves it, before publishing
    folder.mkdir(parents=True)
    (folder / "a.png").write_bytes(camera_png())
    assert check_output(path, "html", ledger_of([("f", MARKERS["text"])]))
    published = tmp_path / "published.html"
    published.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "out.html_files").rename(tmp_path / "published_files")
    assert check_output(published, "html", ledger_of([("f", MARKERS["owner"])]))


def test_pixels_are_not_read_as_text():
    # A large cleaned photo gives the check a few dozen characters (its JFIF header), not
    # megabytes of pixel noise in which short removed values would be found by chance.
    from photo_fixtures import camera_jpeg, camera_png

    from briefgen.check import binary_text
    from briefgen.images import clean_image

    for source, name in (
        (camera_jpeg(size=(1200, 900)), "big.jpg"),
        (camera_png(size=(1200, 900)), "big.png"),
    ):
        clean = clean_image(source, name)
        assert len(clean.data) > 4_000
        assert len(binary_text(name, clean.data)) < 200


def test_a_font_is_read_only_as_far_as_the_image_sniffing_but_an_image_named_as_a_font_whole(
    tmp_path, monkeypatch
):
    # The fonts in every HTML output's folder say nothing: only their first bytes are read.
    # A file with a font's name that is an image is still read whole for its metadata.
    import io
    from pathlib import Path

    from PIL import Image, PngImagePlugin

    from briefgen import check

    path = write(tmp_path, "<p>Public words</p>")
    fonts = tmp_path / "out_files" / "_theme" / "fonts"
    fonts.mkdir(parents=True)
    font = fonts / "Real.ttf"
    font.write_bytes(b"\x00\x01\x00\x00" + b"Leyla in Ganja " * 2000)  # words past the sniffed head
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "x" * 5000 + " Leyla in Ganja")  # past the first 4096 bytes
    disguised = io.BytesIO()
    Image.new("RGB", (4, 4)).save(disguised, "PNG", pnginfo=info)
    (fonts / "Disguised.woff2").write_bytes(disguised.getvalue())
    read: list[tuple[str, int]] = []
    original = check.binary_text
    monkeypatch.setattr(
        check, "binary_text", lambda name, data: read.append((name, len(data))) or original(name, data)
    )
    view = ledger_of([("cases.x.contact", "Leyla in Ganja")])
    message = check_output(path, "html", view)
    assert message and message.where == "cases.x.contact"  # found in the disguised image's metadata
    assert dict(read) == {"Real.ttf": 4096, "Disguised.woff2": len(disguised.getvalue())}
    (fonts / "Disguised.woff2").unlink()
    assert check_output(path, "html", view) is None  # a real font's bytes are no one's words
    assert Path(font).stat().st_size > 4096


def test_a_removed_value_in_an_html_comment_or_declaration_is_a_leak(tmp_path):
    # A reader's browser does not show them, but the file carries them to whoever opens it.
    ledger = ledger_of([("cases.x.contact", "Leyla in Ganja")])
    for hidden in (
        "<!-- Leyla in Ganja -->",
        "<!DOCTYPE Leyla in Ganja>",
        "<?pi Leyla in Ganja ?>",
        "<![CDATA[Leyla in Ganja]]>",
    ):
        message = check_output(write(tmp_path, f"<p>Shown</p>{hidden}"), "html", ledger)
        assert message and message.where == "cases.x.contact", hidden
    assert check_output(write(tmp_path, "<p>Shown</p><!-- a comment -->"), "html", ledger) is None


def test_a_removed_value_in_a_docx_parts_comment_cdata_or_single_quoted_attribute_is_a_leak(tmp_path):
    ledger = ledger_of([("cases.x.contact", "Leyla in Ganja")])
    path = tmp_path / "out.docx"
    for hidden in (
        "<!-- Leyla in Ganja -->",
        "<?note Leyla in Ganja?>",
        "<![CDATA[Leyla in Ganja]]>",
        "<w:p w:hint='Leyla in Ganja'/>",
    ):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(
                "word/document.xml",
                f'<?xml version="1.0"?><w:document xmlns:w="w"><w:t>Shown</w:t>{hidden}</w:document>',
            )
        message = check_output(path, "docx", ledger)
        assert message and message.where == "cases.x.contact", hidden


def test_a_comment_inside_a_value_does_not_hide_it(tmp_path):
    # Comments are read apart, after the text: in their place they would split the value.
    ledger = ledger_of([("cases.x.plan", "Top Secret Plan")])
    assert check_output(write(tmp_path, "<p>Top Sec<!-- note -->ret Plan</p>"), "html", ledger)


def test_text_that_looks_like_an_attribute_does_not_hide_a_docx_attribute(tmp_path):
    ledger = ledger_of([("people.x.name", "Anna Petrova")])
    path = tmp_path / "out.docx"
    for text, tag in (
        ('set x = "a', '<w:rStyle w:val="Anna Petrova"/>'),
        ("the flag = 'on", '<wp:docPr descr="O\'Brien, Anna Petrova"/>'),
    ):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(
                "word/document.xml",
                f'<?xml version="1.0"?><w:document xmlns:w="w" xmlns:wp="wp"><w:t>{text}</w:t>{tag}'
                "<w:t>more</w:t></w:document>",
            )
        message = check_output(path, "docx", ledger)
        assert message and message.where == "people.x.name", text


# ---------------------------------------------------------------- parts read once per content
# A mailing's copies share every part but the body: what a part says is kept by its bytes'
# digest (check._remembered). An answer kept for one package must never stand for another.


def _package(path, parts: dict[str, bytes]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _workbook(value: str) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("xl/sharedStrings.xml", f"<sst><si><t>{value}</t></si></sst>")
    return out.getvalue()


def test_a_part_like_another_copys_but_for_its_secret_is_read_afresh(tmp_path):
    from photo_fixtures import MARKERS, camera_jpeg

    shared = {"word/styles.xml": b"<styles><style name='Body'/></styles>"}
    clean = _package(
        tmp_path / "a.docx",
        {**shared, "word/document.xml": b"<doc>Hello</doc>", "word/embeddings/b.xlsx": _workbook("Q1")},
    )
    leaking = _package(
        tmp_path / "b.docx",
        {
            **shared,
            "word/document.xml": b"<doc>Hello</doc>",
            "word/embeddings/b.xlsx": _workbook("Leyla in Ganja"),  # same name, other bytes
            "word/media/image1.jpg": camera_jpeg(),
        },
    )
    removed = ledger_of([("cases.x.contact", "Leyla in Ganja"), ("people.y", MARKERS["artist"])])
    assert check_output(clean, "docx", removed) is None
    message = check_output(leaking, "docx", removed)
    assert message and message.where == "cases.x.contact"
    assert check_output(clean, "docx", removed) is None  # and the first package still reads clean


def test_a_package_read_again_says_what_it_said_the_first_time(tmp_path):
    from photo_fixtures import camera_jpeg

    from briefgen.check import docx_text

    path = _package(
        tmp_path / "a.docx",
        {
            "word/document.xml": b"<doc a='1'>Hello <!-- note --></doc>",
            "word/media/image1.jpg": camera_jpeg(),
            "word/embeddings/b.xlsx": _workbook("Q1"),
            "word/fonts/font1.odttf": b"\x00\x01\x00\x00 glyphs",
        },
    )
    first = docx_text(path)
    assert "Q1" in first and "note" in first
    assert docx_text(path) == first


def test_a_removed_value_percent_encoded_in_a_link_target_is_a_leak(tmp_path):
    path = write(tmp_path, '<a href="https://maps.example/?q=Colony%20No%205%20Secretville">map</a>')
    message = check_output(path, "html", ledger_of([("cases.x.detention.place", "Colony No 5 Secretville")]))
    assert message and message.where == "cases.x.detention.place"


def test_percent_decoding_undoes_double_encoding_and_reads_utf8():
    decoded = percent_decoded(
        "see https://x.example/?q=Anar%2520Mammadli and /p/%D0%90%D0%BD%D0%B0%D1%80 here"
    )
    assert "Anar Mammadli" in decoded and "Анар" in decoded
    assert percent_decoded("50% of the cases, 100%") == ""  # no escape: nothing to add


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab %2025\n\t\"'<>=/?\u00a0\u2028")), max_size=80))
def test_percent_decoding_reads_the_runs_a_search_of_the_whole_text_finds(text):
    # Only the lines holding an escape are cut into runs: the same runs, in the same order,
    # as cutting the whole text (what percent_decoded did before), each decoded on its own.
    from briefgen.decoding import _PERCENT_ESCAPE, _URL_RUN

    runs = [run for run in _URL_RUN.findall(text) if _PERCENT_ESCAPE.search(run)]
    assert percent_decoded(text) == "".join(percent_decoded(run) for run in runs)


def test_a_percent_sign_in_text_does_not_make_a_value_found(tmp_path):
    path = write(tmp_path, "<p>Growth of 20% in 2015; Colony%20 in the report</p>")
    assert (
        check_output(path, "html", ledger_of([("cases.x.detention.place", "Colony No 5 Secretville")]))
        is None
    )


WITHHELD_APOSTROPHE = [("people.x.name", "Maxim O'Khiddenov")]


@pytest.mark.parametrize(
    "body",
    [
        # A `tojson` value in an attribute: Jinja writes the apostrophe \u0027.
        """<p data-spec='{"who": "Maxim O\\u0027Khiddenov"}'>chart</p>""",
        """<p data-spec='{"who": "Maxim O\\x27Khiddenov"}'>chart</p>""",
        # Inside <style>, a character reference stays as written.
        "<style>/* Maxim O&#39;Khiddenov */ p { color: red; }</style><p>x</p>",
        "<style>/* Maxim O&#x27;Khiddenov */</style><p>x</p>",
    ],
)
def test_a_removed_value_behind_an_escaped_apostrophe_is_a_leak(tmp_path, body):
    message = check_output(write(tmp_path, body), "html", ledger_of(WITHHELD_APOSTROPHE))
    assert message and message.where == "people.x.name"


def test_escapes_are_decoded_line_by_line_and_only_where_there_are_some():
    decoded = escapes_decoded('a = "Anar \\u004dammadli \\ud83d\\ude00";\nplain line\nAT&amp;T')
    assert decoded.splitlines()[1:] == ['a = "Anar Mammadli \U0001f600";', "AT&T"]
    assert escapes_decoded("Justice & Rights, 50% more") == ""
    assert escapes_decoded("a stray \\u12 and \\q") == ""


def test_a_decoded_reading_does_not_run_on_into_the_text_before_it(tmp_path):
    # The text ends "...Leyla"; the first decoded line starts "in Ganja": no leak.
    body = (
        """<figure data-values='["in Ganja", "the court\\u0027s ruling"]'>f</figure>"""
        "<p>Field researcher: Leyla</p>"
    )
    assert (
        check_output(write(tmp_path, body), "html", ledger_of([("cases.x.contact", "Leyla in Ganja")]))
        is None
    )


def test_escaped_markup_is_decoded_to_its_text():
    # `{"note": note}|tojson` of a note the markdown renderer escaped: two readings deep.
    line = '{"note": "\\u003cem\\u003eMaxim\\u003c/em\\u003e O\\u0026#39;Khiddenov\\nwas seen"}'
    decoded = escapes_decoded(line)
    assert "Maxim O'Khiddenov was seen" in decoded
    assert "<em>" not in decoded
