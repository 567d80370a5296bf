"""outputwarnings: a writer's warning -> the template line that wrote the element; the
manifest's record of it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from briefgen.diagnostics import strictly, warning
from briefgen.lookup import TemplateChain
from briefgen.outputwarnings import (
    FOREIGN_FONT,
    WarningLocator,
    as_record,
    element_position,
    from_record,
    recorded_warnings,
    template_files,
    text_position,
    theme_stylesheets,
)


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_element_position_needs_every_class():
    source = '<div>\n  <aside class="note">a</aside>\n<p>\n    <aside id="x" class="box  ask">b</aside>'
    assert element_position(source, "aside", ["ask"]) == (4, 5)
    assert element_position(source, "aside", ["note"]) == (2, 3)
    assert element_position(source, "aside", []) == (2, 3)
    assert element_position(source, "aside", ["ask", "other"]) is None
    assert element_position("<asides>", "aside", []) is None


def test_the_warning_goes_to_the_file_of_the_chain_that_wrote_the_element(tmp_path):
    root = project(
        tmp_path,
        {
            "a/policy-brief.html.j2": '{% extends "builtin/policy-brief.html.j2" %}\n'
            '{% block cover_extra %}{% include "_box.html.j2" %}{% endblock %}\n',
            "_box.html.j2": '<p>x</p>\n  <section class="ask">\n<blink>y</blink></section>\n',
        },
    )
    chain = TemplateChain(root, None, "a")
    files = template_files(chain, "policy-brief")
    assert files[0] == root / "templates/a/policy-brief.html.j2"
    assert root / "templates/_box.html.j2" in files
    assert any(f.name == "base.html.j2" for f in files)
    locator = WarningLocator(root, root / "templates", chain, "policy-brief")
    found = locator.diagnostic(
        'policy-brief.html.j2: <section class="ask"> is outside the HTML vocabulary; its text was kept'
    )
    assert str(found).startswith(
        'templates/_box.html.j2:2:3: warning: <section class="ask"> is outside the HTML vocabulary; '
        "its text was kept (hint: "
    )
    blink = locator.diagnostic(
        "policy-brief.html.j2: <blink> is outside the HTML vocabulary; it was left out"
    )
    assert (blink.location.path, blink.location.line, blink.location.column) == (
        "templates/_box.html.j2",
        3,
        1,
    )
    # Not a vocabulary warning, or an element no template writes: at the output's template.
    other = locator.diagnostic(f"'x' printed with 'Some Font'{FOREIGN_FONT}; add a font")
    assert (other.location.path, other.location.line) == ("templates/a/policy-brief.html.j2", 0)
    # cli.md: --strict makes a font outside the theme an error, like a missing label.
    assert other.strict and strictly([other])[0].is_error and not other.is_error
    unseen = locator.diagnostic("policy-brief.html.j2: <marquee> is outside the HTML vocabulary; kept")
    assert str(unseen).startswith("templates/a/policy-brief.html.j2:0:0: warning: <marquee> is outside")
    nested = locator.diagnostic("policy-brief.html.j2: lists nest deeper than 3 levels")
    assert str(nested) == "templates/a/policy-brief.html.j2:0:0: warning: lists nest deeper than 3 levels"


def test_a_link_to_a_missing_anchor_is_placed_at_its_href(tmp_path):
    root = project(tmp_path, {"brief.html.j2": "<p>\n  See <a href='#annex'>the annex</a>.</p>\n"})
    locator = WarningLocator(root, root / "templates", TemplateChain(root, None, None), "brief")
    found = locator.diagnostic(
        "brief.html.j2: link to '#annex' has no target in the document; its text was kept"
    )
    assert str(found) == (
        "templates/brief.html.j2:2:10: warning: link to '#annex' has no target in the document; its text "
        "was kept (hint: give an element id='annex', or link elsewhere)"
    )


def test_records_round_trip_and_hide_this_machines_folders(tmp_path):
    said = warning("templates/x.html.j2", 3, 7, f"font {tmp_path}/fonts/a.ttf not loaded", hint="look")
    record = as_record(said, {str(tmp_path): "PROJECT"})
    assert record == {
        "path": "templates/x.html.j2",
        "line": 3,
        "column": 7,
        "message": "font PROJECT/fonts/a.ttf not loaded",
        "hint": "look",
    }
    assert (
        str(from_record(record))
        == "templates/x.html.j2:3:7: warning: font PROJECT/fonts/a.ttf not loaded (hint: look)"
    )
    # The warnings of a skipped job's outputs, each once; unreadable entries ignored.
    entries = [{"warnings": [record, {"path": "p"}]}, {"warnings": [record]}, None, {}]
    assert recorded_warnings(entries) == [from_record(record)]


def test_a_class_without_a_look_is_placed_at_the_element(tmp_path):
    root = project(
        tmp_path, {"brief.html.j2": '<p>x</p>\n<div class="wide ask">\n  <p class="ask">y</p></div>\n'}
    )
    locator = WarningLocator(root, root / "templates", TemplateChain(root, None, None), "brief")
    message = (
        "class 'ask' (<p>) is neither in the HTML vocabulary nor under the theme's styles: it has no look "
        "in the PDF or the DOCX (hint: define it under styles: ask: in theme.yaml)"
    )
    found = locator.diagnostic("brief.html.j2: " + message)
    assert str(found) == "templates/brief.html.j2:3:3: warning: " + message


def test_text_position_finds_a_withheld_value_as_the_leak_check_reads_it():
    from briefgen.check import normalize

    needle = normalize("Zəhra Novruzova")
    source = "<p>Shown</p>\n  <p>Met ZƏHRA  novruzova-</p>\n"
    assert text_position(source, needle) == (2, 10)
    # percent-encoded in a link: at the start of its run
    assert text_position('<a href="https://x.example/?q=Z%C9%99hra%20Novruzova">x</a>', needle) == (1, 10)
    # broken over two lines: on the first, where it starts
    assert text_position("<p>\n  met Zəhra\n  Novruzova</p>", needle) == (2, 7)
    assert text_position("<p>{{ person.name }}</p>", needle) is None
    # A template comment renders nothing: the line that prints the name is the one named.
    commented = "{#- Checked against Zəhra Novruzova's file -#}\n<p>{{ x }}</p>\n<p>Zəhra Novruzova</p>"
    assert text_position(commented, needle) == (3, 4)
    assert text_position("{# Zəhra\nNovruzova #}", needle) is None


def test_a_leak_is_placed_at_the_template_line_that_writes_it(tmp_path):
    from briefgen.check import Leak, normalize

    root = project(
        tmp_path,
        {
            "brief.html.j2": '{% extends "base.html.j2" %}\n{% block b %}\n<p>Vera Sviryd</p>{% endblock %}',
            "base.html.j2": "<body>{% block b %}{% endblock %}</body>",
        },
    )
    theme = SimpleNamespace(folder=tmp_path / "theme", css_files=[])
    theme.folder.mkdir()
    # The theme's own print stylesheet writes text too (`content:`); a stylesheet the theme
    # does not use is not blamed.
    (theme.folder / "print.css.j2").write_text(
        'p::after {\n  content: "Kept by Oleg Marchuk";\n}\n', encoding="utf-8"
    )
    (theme.folder / "unused.css").write_text('p::after { content: "Someone Else"; }\n', encoding="utf-8")
    stylesheets = theme_stylesheets(theme)
    assert stylesheets == [theme.folder / "print.css.j2"]
    locator = WarningLocator(root, theme.folder, TemplateChain(root, None, None), "brief")
    leak = Leak("people.v.name", normalize("Vera Sviryd"), "confidentiality check failed: people.v.name")
    found = locator.leak_error("brief/brief.en.html", leak)
    assert (found.location.path, found.location.line, found.location.column) == (
        "templates/brief.html.j2",
        3,
        4,
    )
    assert found.message.startswith("brief/brief.en.html: confidentiality check failed: people.v.name")
    assert found.is_error
    # a theme's stylesheet writes text too (`content:`)
    in_css = Leak("people.o.name", normalize("Oleg Marchuk"), "confidentiality check failed: people.o.name")
    found = locator.leak_error("brief/brief.en.html", in_css, stylesheets)
    assert (found.location.line, found.location.column) == (2, 21)
    assert found.location.path.endswith("print.css.j2")
    elsewhere = Leak(
        "people.v.name", normalize("Someone Else"), "confidentiality check failed: people.v.name"
    )
    found = locator.leak_error("brief/brief.en.html", elsewhere, stylesheets)
    assert (found.location.path, found.location.line) == ("brief/brief.en.html", 0)
    assert "no template of this output writes it" in (found.hint or "")
