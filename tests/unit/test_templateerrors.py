"""templateerrors: Jinja's exceptions -> diagnostics at the exact column, with the real
environment of render.py (sandbox, extensions, whitespace control) and real templates."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, TemplateSyntaxError

from briefgen.render import _environment
from briefgen.select import Record
from briefgen.templateerrors import MissingValue, runtime_diagnostic, syntax_diagnostic
from briefgen.templatetokens import block_tags, lex, nesting_problem


def env_with(**templates: str):
    env = _environment(DictLoader(templates))
    env.install_gettext_callables(lambda s, **v: s, lambda s, p, n, **v: s, newstyle=True)
    return env


def syntax(source: str) -> str:
    env = env_with(t=source)
    with pytest.raises(TemplateSyntaxError) as caught:
        env.get_template("t")
    return str(syntax_diagnostic(caught.value, "t.html.j2", source, env))


def rendered(source: str, **context) -> str:
    env = env_with(t=source)
    try:
        env.get_template("t").render(context)
    except Exception as exc:  # what render.py catches, templateerrors words
        tb = exc.__traceback__
        line = 0
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "<template>":
                line = tb.tb_lineno
            tb = tb.tb_next
        return str(runtime_diagnostic(exc, "t.html.j2", line, source, sorted(context), env))
    raise AssertionError("the template rendered")


def test_tokens_know_their_columns_whatever_the_whitespace_control():
    source = '<p>\n  {%- if a -%}  <b>{{ x | f("}}") }}</b>\n{# {% if %} #}{% raw %}{% for %}{% endraw %}'
    tokens, failed = lex(source, env_with())
    assert failed is None
    by_value = {(t.type, t.value): (t.line, t.column) for t in tokens}
    assert by_value[("block_begin", "{%-")] == (2, 3)
    assert by_value[("name", "if")] == (2, 7)
    assert by_value[("variable_begin", "{{")] == (2, 20)
    assert by_value[("string", '"}}"')] == (2, 29)
    assert by_value[("comment_begin", "{#")] == (3, 1)
    assert by_value[("raw_begin", "{% raw %}")] == (3, 15)
    # Tags in comments and raw blocks are not tags.
    assert [t.name for t in block_tags(tokens)] == ["if"]


def test_carriage_returns_do_not_shift_columns():
    assert syntax("<p>\r\n  <b>{{ a | nofilter }}</b>\r\n").startswith("t.html.j2:2:13: ")


def test_pairing_finds_the_innermost_unclosed_block():
    source = (
        "{% block a %}{% for x in y %}\n{% if x %}\n  {% set s %}t{% endset %}{% set v = 1 %}\n{% endfor %}"
    )
    problem = nesting_problem(block_tags(lex(source)[0]))
    assert problem.problem == "unclosed"
    assert (problem.tag.name, problem.tag.line, problem.tag.column) == ("if", 2, 1)
    assert (problem.found.name, problem.found.line) == ("endfor", 4)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # An unclosed if, noticed by Jinja at the endfor of line 3.
        (
            "{% for c in cases %}\n  <p>{% if c %}{{ c }}</p>\n{% endfor %}",
            "t.html.j2:2:6: template error: {% if %} is never closed (hint: close it with {% endif %} "
            "where it should end; Jinja reached {% endfor %} at line 3 first)",
        ),
        # An unclosed for, noticed at the end of the file.
        (
            "<ul>\n{%- for c in cases %}\n<li>{{ c }}</li>\n",
            "t.html.j2:2:1: template error: {% for %} is never closed (hint: close it with {% endfor %} "
            "where it should end; Jinja reached the end of the file first)",
        ),
        # A block set left open: the set with "=" on the same line needs no end.
        (
            "{% set a = 1 %}{% set b %}\ntext\n",
            "t.html.j2:1:16: template error: {% set %} is never closed (hint: close it with "
            "{% endset %} where it should end; Jinja reached the end of the file first)",
        ),
        (
            "{% if a %}{% endif %}\n<p>{% elif b %}</p>",
            "t.html.j2:2:4: template error: {% elif %} is outside any {% if %} (hint: move it inside "
            "{% if %}, or check that the block it belongs to was not closed already)",
        ),
        (
            "{% if a %}\n  {% for x in y %}{{ x }}\n{% elif b %}{% endif %}",
            "t.html.j2:3:1: template error: {% elif %} is not directly inside {% if %}: the innermost "
            "open block is the {% for %} of line 2 (hint: close that block before it, or move it into "
            "{% if %})",
        ),
        (
            "{% block x %}\n  {% endfor %}\n{% endblock %}",
            "t.html.j2:2:3: template error: {% endfor %} closes no {% for %} (the open block is the "
            "{% block %} of line 1) (hint: remove it, or open the block with {% for %} before it)",
        ),
        (
            "<p>\n<b>{% frobnicate %}</b>",
            "t.html.j2:2:4: template error: unknown tag {% frobnicate %} (hint: the tags are Jinja's "
            "(docs/templates.md))",
        ),
        (
            "<p>{{ 'abc' }}\n  {{ a $ b }}</p>",
            "t.html.j2:2:8: template error: unexpected char '$'",
        ),
        (
            "<p>{{ a }}\n{{ (a + b }}</p>",
            "t.html.j2:2:11: template error: unexpected '}', expected ')' (hint: a bracket, quote or "
            "operator before it is missing or one too many)",
        ),
        (
            "<p>\n  {{ a b }}</p>",
            "t.html.j2:2:8: template error: expected token 'end of print statement', got 'b' (hint: two "
            "expressions in one {{ }}: join them with ~)",
        ),
        (
            "<p>{{ a }}</p>\n<p>{{ x | truncat(3) }} {{ y | lenght }}</p>",
            "t.html.j2:2:11: template error: unknown filter 'truncat' (hint: did you mean 'truncate'?)",
        ),
        (
            "{% raw %}\n<p>{% if %}",
            "t.html.j2:1:1: template error: Missing end of raw directive (hint: close it with {% endraw %})",
        ),
    ],
)
def test_syntax_errors_at_their_column(source, expected):
    assert syntax(source).startswith(expected.split(" (hint:")[0])
    assert syntax(source) == expected


def test_trans_blocks_pair_with_pluralize():
    source = "{% trans n=3 %}one{% pluralize %}{{ n }} many{% endtrans %}\n{% pluralize %}"
    assert syntax(source).startswith(
        "t.html.j2:2:1: template error: {% pluralize %} is outside any {% trans %}"
    )


def test_a_misspelt_field_names_the_kind_and_its_fields_never_the_class():
    case = Record(id="c1", title="T", subjects=[], timeline=[], status="detained")
    found = rendered("<ul>\n{% for c in cases %}<li>{{ c.titel }}</li>{% endfor %}</ul>", cases=[case])
    assert found == (
        "t.html.j2:2:28: template error: c (a case) has no field 'titel' (hint: did you mean 'title'? "
        "a case has id, title, subjects, timeline, status)"
    )


def test_a_field_asked_for_through_a_subscript():
    brief = Record(id="b", title="T", key_messages=[])
    found = rendered("<p>\n  {{ brief['titel'] }}</p>", brief=brief)
    assert found.startswith(
        "t.html.j2:2:6: template error: brief has no field 'titel' (hint: did you mean 'title'?"
    )


def test_a_field_stored_then_printed_is_reported_where_it_was_asked_for():
    brief = Record(id="b", title="T", key_messages=[])
    source = "{% set t = brief.sutitle %}\n<p>x</p>\n<p>{{ t }}</p>"
    found = rendered(source, brief=brief)
    assert found.startswith("t.html.j2:1:12: template error: brief has no field 'sutitle'")


def test_an_undefined_name_suggests_from_the_context_and_the_template():
    found = rendered("{% for item in things %}\n<p>{{ iten }}</p>{% endfor %}", things=[1])
    assert found.startswith("t.html.j2:2:7: template error: 'iten' is undefined (hint: did you mean 'item'?")


def test_a_missing_mapping_key_lists_the_keys():
    found = rendered("<p>{{ vars.regoin }}</p>", vars={"region": "South"})
    assert found == (
        "t.html.j2:1:7: template error: vars has no key 'regoin' (hint: did you mean 'region'? "
        "vars has the keys 'region')"
    )


def test_an_internal_attribute_is_not_a_field():
    found = rendered("<p>\n{{ brief.__class__ }}</p>", brief=Record(id="b", key_messages=[]))
    assert found == (
        "t.html.j2:2:4: template error: brief has no field '__class__' "
        "(hint: names starting with '_' are not available to templates)"
    )


def test_other_runtime_errors_point_at_the_expression():
    assert rendered("<p>a</p>\n<p>{{ 1 // n }}</p>", n=0) == (
        "t.html.j2:2:4: template error: ZeroDivisionError: integer division or modulo by zero"
    )


def test_missing_value_keeps_what_was_asked():
    env = env_with(t="{{ x.y }}")
    with pytest.raises(MissingValue) as caught:
        env.get_template("t").render(x=None)
    assert caught.value.obj is None and caught.value.name == "y"
    assert "NoneType" not in str(caught.value)


def test_a_helper_called_wrongly_is_named_as_the_template_calls_it():
    found = rendered("<p>\n  {{ _('Status') }}: {{ status() }}</p>", status=lambda case: "")
    assert found == "t.html.j2:2:25: template error: status() missing 1 required positional argument: 'case'"
    # Two calls on the line: which one failed is not known, so neither is named; never the
    # Python name of the function (<lambda>).
    found = rendered(
        "<p>\n  {{ status(1) }}, {{ helper() }}</p>", status=lambda case: "", helper=lambda case: ""
    )
    assert found == (
        "t.html.j2:2:3: template error: a call on this line: missing 1 required positional argument: 'case'"
    )


def test_do_parses_wherever_templates_are_read(tmp_path):
    """Render, the fingerprint's reading of references and the label catalogs all know
    `{% do %}`: a template using it still has its includes and labels found."""
    from briefgen.catalogs import extract
    from briefgen.labelsource import project_template_sources
    from briefgen.lookup import referenced_templates

    source = '{% do [1] | length %}{% include "_part.html.j2" %}<p>{{ _("Ask the minister") }}</p>'
    assert referenced_templates(source) == ["_part.html.j2"]
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html.j2").write_text(source, encoding="utf-8")
    assert "Ask the minister" in [m.id for m in extract(project_template_sources(tmp_path))]
    env = env_with(t=source.replace('{% include "_part.html.j2" %}', ""))
    assert env.get_template("t").render() == "<p>Ask the minister</p>"
