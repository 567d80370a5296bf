"""Passages shown in another language than the output's carry a lang attribute: in text as
<span lang>, around markdown as <div lang>/<span lang>; never inside a tag or the <title>."""

from __future__ import annotations

import shutil

from conftest import PROJECTS
from markupsafe import Markup

from briefgen.langmark import mark_languages
from briefgen.load import load_project
from briefgen.model import Audience
from briefgen.render import DocumentRenderer, make_environment
from briefgen.select import select_view
from briefgen.theme import BUILTIN_THEMES, load_theme


def render_in(project, language: str, source: str) -> str:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "probe.html.j2").write_text(source, encoding="utf-8")
    model = load_project(project).model
    theme = load_theme(BUILTIN_THEMES / "default")
    view, _ = select_view(model, model.project.briefs[0], Audience(id="a"), language)
    return DocumentRenderer(make_environment(project, theme, "a"), theme, project).render("probe", view)


def test_a_fallback_value_is_marked_with_its_language(tmp_path):
    project = tmp_path / "small"
    shutil.copytree(PROJECTS / "small", project)
    settings = project / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    # The title has English and Russian; the summary of the first case English only.
    settings.write_text(
        text.replace(
            '    title: "Small brief: Names in many scripts"',
            '    title: {en: "Small brief", ru: "Краткая записка"}\n    subtitle: {en: "Only in English"}',
            1,
        ).replace("    subtitle: A fixture for end-to-end tests\n", "", 1),
        encoding="utf-8",
    )
    cases = next(
        p for p in (project / "content").glob("*.yaml") if "Rəşad Əliyev was arrested" in p.read_text()
    )
    cases.write_text(
        cases.read_text(encoding="utf-8").replace(
            "    summary: Rəşad Əliyev was arrested for his reporting.[@test-report]",
            "    summary: {en: 'Rəşad Əliyev was arrested.'}",
        ),
        encoding="utf-8",
    )
    source = (
        '<title>{{ brief.subtitle }}</title><p title="{{ brief.subtitle }}">{{ brief.title }}: '
        "{{ brief.subtitle }}</p>{{ cases[0].summary | md }}<p>{{ cases[0].summary | md_inline }}</p>"
        '<p>{{ [brief.title, brief.subtitle] | join("; ") }}</p>'
    )
    html = render_in(project, "ru", source)
    assert "<title>Only in English</title>" in html
    assert '<p title="Only in English">Краткая записка: <span lang="en">Only in English</span></p>' in html
    assert '<div lang="en"><p>Rəşad Əliyev was arrested.</p>\n</div>' in html
    assert '<p><span lang="en">Rəşad Əliyev was arrested.</span></p>' in html
    assert '<p>Краткая записка; <span lang="en">Only in English</span></p>' in html  # join keeps it
    assert not any(0xE000 <= ord(c) <= 0xE002 for c in html)
    # In the language it is written in, nothing is marked.
    assert "lang=" not in render_in(project, "en", source)


def test_marks_are_dropped_in_tags_style_and_title():
    marked = "\ue000en\ue001X\ue002"
    html = f'<title>{marked}</title><style>a{{content:"{marked}"}}</style><img alt="{marked}"><p>{marked}</p>'
    assert mark_languages(html) == (
        '<title>X</title><style>a{content:"X"}</style><img alt="X"><p><span lang="en">X</span></p>'
    )


def test_a_value_formatted_into_a_label_keeps_its_language(tmp_path):
    """`_('For: {audience}').format(audience=...)`: the label is in the output's language, the
    value in its own; in an attribute or a CSS string the value is plain text."""
    project = tmp_path / "small"
    shutil.copytree(PROJECTS / "small", project)
    settings = project / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("    subtitle: A fixture for end-to-end tests\n", "    subtitle: {en: 'R & D'}\n", 1),
        encoding="utf-8",
    )
    source = (
        "<p>{{ _('For: {audience}').format(audience=brief.subtitle) }}</p>"
        '<img alt="{{ _(\'Logo of {name}\').format(name=brief.subtitle) }}" src="x.png">'
        "<style>p::after { content: "
        "{{ _('For: {audience}').format(audience=brief.subtitle) | css_string }}; }</style>"
        "<p>{{ brief.subtitle | upper }}</p>"
    )
    html = render_in(project, "ru", source)
    assert '<p>Аудитория: <span lang="en">R &amp; D</span></p>' in html
    assert 'alt="Логотип: R &amp; D"' in html
    assert 'content: "Аудитория: R \\26  D";' in html  # a CSS string: unescaped, no marks
    assert "<p>R &amp; D</p>" in html  # a filter that makes a new string: plain text, not marked
    assert not any(0xE000 <= ord(c) <= 0xE002 for c in html)
    assert "lang=" not in render_in(project, "en", source)


def test_python_built_labels_keep_the_language_of_their_values():
    """The dossier's facts (caselabels): a region, a designation's list or a recognising
    organisation in another language than the label around it."""
    from types import SimpleNamespace

    from briefgen.caselabels import case_facts
    from briefgen.i18n import Localizer
    from briefgen.select import _foreign

    region = _foreign("Гомельская область", "ru")
    org = SimpleNamespace(name=_foreign("Вясна", "be"))
    person = SimpleNamespace(
        withheld=False, also_known_as=[], born=None, age=None, region=region, occupation=None, name="A"
    )
    case = SimpleNamespace(
        subjects=[person, SimpleNamespace(**{**person.__dict__, "name": _foreign("Б", "ru")})],
        detention=None,
        expected_release=None,
        gender=None,
        designations=[
            SimpleNamespace(list=_foreign("Политзаключённые", "ru"), by=org, date=None, source=None)
        ],
        recognitions=[SimpleNamespace(kind="political-prisoner", by=org, date=None, source=None)],
    )
    rows = case_facts(case, Localizer("en"), lambda source: Markup(""))
    html = mark_languages("".join(f"<dt>{r.label}</dt><dd>{r.value}</dd>" for r in rows))
    assert '<dd><span lang="ru">Гомельская область</span></dd>' in html
    assert '<dt>Region (<span lang="ru">Б</span>)</dt>' in html
    assert '“<span lang="ru">Политзаключённые</span>”, <span lang="be">Вясна</span>' in html
    assert html.count('<span lang="be">Вясна</span>') == 2  # the designation's and the recognition's


def test_a_list_of_names_is_separated_as_the_language_writes_it():
    """French puts a no-break space before a semicolon ("A ; B"); English does not."""
    from types import SimpleNamespace

    from briefgen.caselabels import case_facts
    from briefgen.i18n import Localizer

    org = SimpleNamespace(name="Viasna")
    case = SimpleNamespace(
        subjects=[],
        detention=None,
        expected_release=None,
        gender=None,
        designations=[SimpleNamespace(list=name, by=org, date=None, source=None) for name in ("A", "B")],
        recognitions=[],
    )
    french, english = (
        str(case_facts(case, Localizer(language), lambda source: Markup(""))[0].value)
        for language in ("fr", "en")
    )
    assert "Viasna\u00a0; «" in french
    assert "Viasna; “B”" in english
