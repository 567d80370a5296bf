"""check: matching removed values against a written file, and the audience's own text."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefgen.check import check_output


@dataclass
class FakeView:
    removed: list[tuple[str, str]]
    visible: list[str] = field(default_factory=list)


def write(tmp_path, body: str):
    path = tmp_path / "out.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return path


def test_a_removed_value_in_the_file_is_a_leak(tmp_path):
    path = write(tmp_path, "<p>Contact: Leyla in Ganja</p>")
    message = check_output(path, "html", FakeView([("cases.x.contact", "Leyla in Ganja")]))
    assert message and "cases.x.contact" in message


def test_a_value_the_audience_also_sees_elsewhere_is_not_a_leak(tmp_path):
    # The same words are removed in one field and shown in another (a visible markdown
    # field): they are the audience's own text.
    path = write(tmp_path, "<p>Leyla in Ganja</p>")
    view = FakeView([("cases.x.contact", "Leyla in Ganja")], visible=["*Leyla* in **Ganja**"])
    assert check_output(path, "html", view) is None


def test_matching_ignores_case_spacing_and_hyphenation(tmp_path):
    path = write(tmp_path, "<p>LEYLA in Gan-<br>ja</p>")
    assert check_output(path, "html", FakeView([("f", "Leyla in Ganja")]))


def test_a_long_value_is_found_when_only_a_stretch_of_it_leaks(tmp_path):
    sentence = "the source met the lawyer twice in the prison of Baku before the hearing began"
    path = write(tmp_path, "<p>He said the lawyer twice in the prison of Baku, then left.</p>")
    assert check_output(path, "html", FakeView([("notes", sentence)]))


def test_a_clean_file_passes(tmp_path):
    path = write(tmp_path, "<p>Nothing confidential here</p>")
    assert check_output(path, "html", FakeView([("f", "Leyla in Ganja")], visible=["x"])) is None


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
