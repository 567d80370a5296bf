"""Template mistakes that used to vanish without a word (docs/templates.md, "Mistakes briefgen
reports"), `briefgen list` showing the file each template name resolves to, and the base a
template written from scratch extends: themed in both formats; one that does not extend it
is warned about."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx
import pdfplumber
import pytest
from conftest import build, copy_project

BRIEFGEN = [sys.executable, "-m", "briefgen"]
OVERRIDE = "templates/partners/policy-brief.html.j2"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*BRIEFGEN, *args], capture_output=True, text=True, timeout=300)


def write(root: Path, relpath: str, text: str) -> None:
    target = root / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- unknown blocks


def test_a_block_the_parent_does_not_have_is_an_error_at_its_tag(tmp_path):
    root = copy_project("audiences", tmp_path)
    write(
        root,
        OVERRIDE,
        '{#- Partners: a paragraph after the key messages -#}\n{% extends "builtin/policy-brief.html.j2" %}\n'
        "\n  {% block key_message %}{{ super() }}<p>PARTNERS-ONLY</p>{% endblock %}\n",
    )
    result = run("validate", "--no-cache", str(root))
    assert result.returncode == 1, result.stderr
    line = next(line for line in result.stderr.splitlines() if "key_message'" in line)
    assert line.startswith(
        f"{OVERRIDE}:4:3: block 'key_message' is not a block of builtin/policy-brief.html.j2 or the "
        "templates it extends, so nothing in it would be shown; their blocks: "
    )
    listed = line.split("their blocks: ")[1].split(" (hint:")[0].split(", ")
    assert {"key_messages", "background", "cases", "case", "recommendations", "sources", "cover"} <= set(
        listed
    )
    assert listed == sorted(listed)
    assert line.endswith("(hint: did you mean 'key_messages'?)")
    assert result.stderr.count("key_message'") == 1  # once, not once per output
    assert "Traceback" not in result.stderr

    out = tmp_path / "out"
    built = run("build", "--no-cache", str(root), "-o", str(out))
    assert built.returncode == 1
    assert line in built.stderr
    assert not (out / "manifest.json").exists()


def test_an_unknown_block_without_a_near_name_says_where_a_new_block_goes(tmp_path):
    root = copy_project("small", tmp_path)
    write(
        root,
        "templates/factsheet.html.j2",
        '{% extends "builtin/base.html.j2" %}\n{% block content %}<p>x</p>{% endblock %}\n'
        "{% block ask_box %}<p>ASK</p>{% endblock %}\n",
    )
    settings = root / "briefgen.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + "  - id: factsheet\n    template: factsheet\n    audiences: [public-readers]\n",
        encoding="utf-8",
    )
    result = run("validate", "--no-cache", str(root))
    assert result.returncode == 1
    assert (
        "templates/factsheet.html.j2:3:1: block 'ask_box' is not a block of builtin/base.html.j2 or the "
        "templates it extends, so nothing in it would be shown; their blocks: content, cover, cover_extra, "
        "keywords, letter, toc (hint: a new block shows only inside a block the parent prints: override "
        "that block and put the new one in it, after {{ super() }})"
    ) in result.stderr.splitlines()


def test_a_new_block_inside_an_overridden_block_is_fine(tmp_path):
    root = copy_project("audiences", tmp_path)
    write(
        root,
        OVERRIDE,
        '{% extends "builtin/policy-brief.html.j2" %}\n'
        "{% block key_messages %}{{ super() }}"
        "{% block ask %}<p>PARTNERS-ASK</p>{% endblock %}{% endblock %}\n",
    )
    result = run("validate", "--no-cache", str(root))
    assert result.returncode == 0, result.stderr
    assert "block" not in result.stderr


# ---------------------------------------------------------------- unknown folders


def test_a_misspelt_audience_folder_is_reported_with_the_audience_it_was_meant_for(tmp_path):
    root = copy_project("audiences", tmp_path)
    (root / "templates" / "partners").rename(root / "templates" / "partner")
    result = run("validate", "--no-cache", str(root))
    assert result.returncode == 0, result.stderr
    assert (
        "templates/partner/policy-brief.html.j2:1:1: warning: templates/partner/ is neither an audience id "
        "nor a theme, so no output uses its templates (policy-brief.html.j2); the audiences are: officials, "
        "partners (hint: did you mean templates/partners/?)"
    ) in result.stderr.splitlines()
    built = run("build", "--no-cache", str(root), "-o", str(tmp_path / "out"), "--format", "html")
    assert built.returncode == 0, built.stderr
    assert "templates/partner/policy-brief.html.j2:1:1: warning:" in built.stderr


def test_folders_that_are_a_theme_or_included_from_are_not_reported(tmp_path):
    root = copy_project("small", tmp_path)  # templates/sober/ is a theme
    write(root, "templates/partials/note.html.j2", "<p>PARTIAL-NOTE</p>\n")
    write(root, "templates/drafts/old.html.j2", "<p>old</p>\n")
    write(
        root,
        "templates/public-readers/policy-brief.html.j2",
        '{% extends "builtin/policy-brief.html.j2" %}\n'
        '{% block cover_extra %}{% include "partials/note.html.j2" %}{% endblock %}\n',
    )
    result = run("validate", "--no-cache", str(root))
    assert result.returncode == 0, result.stderr
    reported = [line for line in result.stderr.splitlines() if "is neither an audience id" in line]
    assert reported == [
        "templates/drafts/old.html.j2:1:1: warning: templates/drafts/ is neither an audience id nor a theme, "
        "so no output uses its templates (old.html.j2); the audiences are: public-readers (hint: name the "
        "folder after the audience whose outputs its templates are for, or make it a theme with a theme.yaml)"
    ]


# ---------------------------------------------------------------- the base


FROM_SCRATCH = """<!DOCTYPE html>
<html lang="{{ language }}"><head><meta charset="utf-8"><title>{{ brief.title }}</title></head>
<body><h1 class="section" id="summary">Summary SCRATCHX</h1>{{ brief.intro | md }}</body></html>
"""
EXTENDING = """{% extends "builtin/base.html.j2" %}
{% block content %}
<h1 class="section" id="summary">Summary SCRATCHX</h1>
{{ brief.intro | md }}
<div class="page-break"></div>
<p>The second page.</p>
{% endblock %}
"""


def factsheet_project(tmp_path: Path, template: str) -> Path:
    root = copy_project("small", tmp_path)
    write(root, "templates/factsheet.html.j2", template)
    settings = root / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    brief = text[text.index("  - id: small-brief\n") : text.index("  - id: small-event\n")]
    settings.write_text(
        text.replace(
            "briefs:\n",
            "briefs:\n"
            + brief.replace("small-brief", "factsheet").replace(
                "template: policy-brief", "template: factsheet"
            ),
            1,
        ),
        encoding="utf-8",
    )
    return root


def test_a_template_that_does_not_extend_the_base_is_warned_about(tmp_path):
    root = factsheet_project(tmp_path, FROM_SCRATCH)
    result = run("validate", "--no-cache", str(root))
    assert result.returncode == 0, result.stderr
    assert (
        "templates/factsheet.html.j2:1:1: warning: the template does not extend the base "
        "(builtin/base.html.j2), so its PDF and web page have none of the theme's styles, no running header "
        "or footer and no page numbers (its DOCX takes the theme's Word styles) (hint: start it with "
        '{% extends "builtin/base.html.j2" %} and write the body in {% block content %})'
    ) in result.stderr.splitlines()
    assert result.stderr.count("does not extend the base") == 1


def test_a_template_printing_the_theme_css_itself_is_not_warned_about(tmp_path):
    root = factsheet_project(
        tmp_path, FROM_SCRATCH.replace("</title>", "</title><style>{{ theme_css }}</style>")
    )
    result = run("validate", "--no-cache", str(root))
    assert result.returncode == 0, result.stderr
    assert "does not extend the base" not in result.stderr


def test_extending_the_base_gives_no_warning(tmp_path):
    root = factsheet_project(tmp_path, EXTENDING)
    result = run("validate", "--no-cache", str(root))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


BRAND = (0.114, 0.306, 0.537)  # the default theme's #1d4e89


def pdf_facts(path: Path) -> dict:
    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
        heading = [c for page in pdf.pages for c in page.chars if c["text"] == "S" and c["size"] > 12]
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
    return {"pages": pages, "heading": heading, "fonts": fonts}


@pytest.mark.slow
def test_a_template_from_scratch_extending_the_base_is_themed_in_both_formats(tmp_path):
    root = factsheet_project(tmp_path, EXTENDING)
    build(root, tmp_path / "out", formats=["pdf", "docx"], briefs=["factsheet"])
    stem = tmp_path / "out" / "factsheet" / "factsheet.public-readers.en"
    pdf = pdf_facts(Path(f"{stem}.pdf"))
    # the theme's fonts; its brand colour on the title and the section heading
    assert {"Noto-Serif", "Noto-Sans-Bold"} <= pdf["fonts"]
    assert len(pdf["heading"]) >= 2
    assert {tuple(round(v, 3) for v in c["non_stroking_color"]) for c in pdf["heading"]} == {BRAND}
    # the cover (no running header or page label), then the body with both
    cover, body, last = pdf["pages"]
    # the audience's name is briefgen's label, not the readers': the cover does not print it
    assert "Test Rights Centre" in cover and "Public readers" not in cover and "Page" not in cover
    assert body.splitlines()[0] == "Small brief: Names in many scripts Test Rights Centre"
    assert body.splitlines()[-1] == "Page 2 of 3" and last.splitlines()[-1] == "Page 3 of 3"
    # the notes at the foot of the page, a number where they are called
    assert "Introductory paragraph with a citation.1 And a footnote.2" in body.splitlines()
    assert (
        "1. A Test Report on Justice, Test Rights Centre, December 2019, https://example.org/report, p. 12."
        in (body.splitlines())
    )

    document = docx.Document(f"{stem}.docx")
    assert document.styles.element.xpath("./w:docDefaults//w:rFonts/@w:ascii") == ["Noto Serif"]
    heading = next(p for p in document.paragraphs if "SCRATCHX" in p.text)
    assert heading.style.name == "Heading 1"
    assert (str(heading.style.font.color.rgb), heading.style.font.name) == ("1D4E89", "Noto Sans")
    assert [p.style.name for p in document.paragraphs[:2]] == ["Title", "Subtitle"]
    section = document.sections[0]
    assert section.different_first_page_header_footer  # the cover has no header or footer
    assert [p.text for p in section.header.paragraphs] == [
        "Small brief: Names in many scripts\tTest Rights Centre"
    ]
    assert [p.text for p in section.footer.paragraphs] == ["Page 1 of 3"]
    assert "Introductory paragraph with a citation. And a footnote." in [p.text for p in document.paragraphs]


@pytest.mark.slow
def test_a_template_not_extending_the_base_gets_an_unstyled_pdf(tmp_path):
    """What the warning is about: the same body without the base has none of the theme."""
    root = factsheet_project(tmp_path, FROM_SCRATCH)
    build(root, tmp_path / "out", formats=["pdf"], briefs=["factsheet"])
    pdf = pdf_facts(tmp_path / "out" / "factsheet" / "factsheet.public-readers.en.pdf")
    assert not any(f.startswith("Noto-Sans") for f in pdf["fonts"])  # no heading font
    assert not re.search(r"Page \d of \d", " ".join(pdf["pages"]))
    assert "with a citation. A Test Report on Justice" in pdf["pages"][0]  # the note in its sentence


# ---------------------------------------------------------------- list


def test_list_shows_the_file_each_template_name_resolves_to(tmp_path):
    root = copy_project("audiences", tmp_path)
    result = run("list", "--no-cache", str(root))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        "      -> mailing/mailing.partners.en.anna-recipient.pdf  [templates/partners/policy-brief.html.j2]"
        in lines
    )
    assert "      -> mailing/mailing.officials.en.anna-recipient.pdf  [builtin/policy-brief.html.j2]" in lines
    assert "      -> overview/overview.partners.ru.docx  [builtin/event-summary.html.j2]" in lines
    templates = lines[
        lines.index("Templates:") + 1 : lines.index(next(x for x in lines if x.startswith("Outputs:")))
    ]
    assert templates == [
        "  policy-brief for officials: builtin/policy-brief.html.j2 (built-in)",
        "    base.html.j2: builtin/base.html.j2 (built-in)",
        "    _macros.html.j2: builtin/_macros.html.j2 (built-in)",
        "  policy-brief for partners: templates/partners/policy-brief.html.j2 (project audience folder)",
        "    builtin/policy-brief.html.j2: builtin/policy-brief.html.j2 (built-in)",
        "    base.html.j2: builtin/base.html.j2 (built-in)",
        "    _macros.html.j2: builtin/_macros.html.j2 (built-in)",
        "  event-summary for officials: builtin/event-summary.html.j2 (built-in)",
        "    base.html.j2: builtin/base.html.j2 (built-in)",
        "    _macros.html.j2: builtin/_macros.html.j2 (built-in)",
        "  event-summary for partners: builtin/event-summary.html.j2 (built-in)",
        "    base.html.j2: builtin/base.html.j2 (built-in)",
        "    _macros.html.j2: builtin/_macros.html.j2 (built-in)",
    ]


def test_list_shows_project_and_theme_templates(tmp_path):
    root = copy_project("small", tmp_path)
    write(
        root,
        "templates/sober/templates/policy-brief.html.j2",
        '{% extends "builtin/policy-brief.html.j2" %}\n',
    )
    write(
        root,
        "templates/base.html.j2",
        (Path(__file__).parents[2] / "src/briefgen/templates/base.html.j2").read_text(),
    )
    settings = root / "briefgen.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("as_of:", "theme: sober\nas_of:", 1))
    result = run("list", "--no-cache", str(root))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index(
        "  policy-brief for public-readers: templates/sober/templates/policy-brief.html.j2 (theme)"
    )
    assert lines[start + 1 : start + 4] == [
        "    builtin/policy-brief.html.j2: builtin/policy-brief.html.j2 (built-in)",
        "    base.html.j2: templates/base.html.j2 (project)",
        "    _macros.html.j2: builtin/_macros.html.j2 (built-in)",
    ]
