"""Every block of every built-in template is one section: an audience override of that block
changes that section, and only it, in the HTML, the PDF and the DOCX; the other audiences'
outputs stay byte for byte what they were (docs/templates.md, "Blocks").

The fixture project (tests/fixtures/projects/blocks) fills every section and marks each with
a word of its own (KEYMSGX, INTROX ...). The tests add one audience per block, `pb-`, `es-`
or `cd-` and the block's name, whose folder under templates/ overrides that block alone.

- In the HTML (every block of every template): an override that wraps the block in two
  markers (`BEGIN`, `{{ super() }}`, `END`) shows where the block's output starts and ends,
  and changes nothing else; an override that replaces the block gives exactly the document
  with that span replaced.
- In the PDF and DOCX (every block of the policy brief, and every block each of the other
  two templates adds): the override's marker is there, the section's word is gone, and the
  words of every section outside the block are as often there as in `plain`'s output.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import docx
import lxml.html
import pypdf
import pytest
from conftest import PROJECTS, build

from briefgen.jobs import job_view
from briefgen.load import load_project
from briefgen.lookup import TemplateChain
from briefgen.plan import plan_jobs
from briefgen.render import DocumentRenderer, make_environment
from briefgen.templatecheck import extends_chain
from briefgen.theme import project_theme

DOCS = Path(__file__).resolve().parents[2] / "docs" / "templates.md"
PREFIX = {"policy-brief": "pb", "event-summary": "es", "case-dossier": "cd"}
BRIEF = {"policy-brief": "brief", "event-summary": "event", "case-dossier": "dossier"}

# The text each block's section shows, found nowhere outside the block's output (the HTML
# test checks that); None where the built-in block shows nothing in this fixture (the cover's
# extra line of a policy brief, the contents of a short document).
PHRASES = {
    "policy-brief": {
        "cover": "SUBTX",
        "cover_extra": None,
        "toc": None,
        "letter": "LETTERX",
        "content": "KEYMSGX",
        "key_messages": "KEYMSGX",
        "background": "INTROX",
        "cases": "CARDONE",
        "cases_overview": "Cases at a glance",
        "case": "CARDONE",
        "charts": "In figures",
        "recommendations": "RECTWO",
        "sources": "Sources",
    },
    "event-summary": {
        "cover": "SUBTX",
        "cover_extra": "Roundtable",
        "toc": None,
        "letter": None,
        "content": "EVENTSUMX",
        "the_event": "EVENTSUMX",
        "panel": "The panel",
        "speakers": "SPEAKPTX",
        "publications": "Publications presented",
        "charts": "In figures",
        "cases": "Cases discussed",
        "case": "CARDONE",
        "recommendations": "RECONE",
        "sources": "Sources",
    },
    "case-dossier": {
        "cover": "SUBTX",
        "cover_extra": None,
        "toc": None,
        "letter": None,
        "content": "KEYMSGX",
        "key_messages": "KEYMSGX",
        "introduction": "INTROX",
        "charts": "In figures",
        "cases": "CHARGEX",
        "case": "CHARGEX",
        "recommendations": "RECTWO",
        "sources": "Sources",
    },
}
# Phrases a section shares with another: the dossier's list of sources and each case's own.
SHARED = {("case-dossier", "sources")}
BASE_BLOCKS = {"cover", "cover_extra", "toc", "letter", "content"}
METADATA_BLOCKS = {"keywords"}  # no section: the document's keywords (HTML meta, DOCX properties)


def audience_id(template: str, block: str) -> str:
    return f"{PREFIX[template]}-{block.replace('_', '-')}"


def brief_of(template: str, block: str) -> str:
    # Only a recipient's copy has a letter: the letter block is tried on the letter brief.
    return "letter" if block == "letter" else BRIEF[template]


def blocks(template: str) -> dict[str, set[str]]:
    """{block: the blocks inside it} for a built-in template and the base it extends."""
    chain = TemplateChain(Path("/nonexistent"), None)
    levels = extends_chain(chain, f"{template}.html.j2")
    assert levels is not None
    import jinja2.nodes as nodes

    inside: dict[str, set[str]] = {}
    for level in reversed(levels):  # the most derived definition of a block wins
        for block in level.tree.find_all(nodes.Block):
            inside[block.name] = {b.name for b in block.find_all(nodes.Block)}
    # a block holds what the blocks inside it hold
    for _ in range(len(inside)):
        for name, held in inside.items():
            inside[name] = held | {n for h in held for n in inside[h]}
    return inside


def related(template: str, block: str) -> set[str]:
    """The blocks inside `block` and those it is inside."""
    inside = blocks(template)
    return {block} | inside[block] | {name for name, held in inside.items() if block in held}


def blocks_under_test(template: str) -> list[str]:
    return [b for b in PHRASES[template] if not (b == "letter" and template != "policy-brief")]


def make_project(tmp_path: Path) -> Path:
    """The fixture with one audience per block (no override written yet)."""
    root = tmp_path / "blocks"
    shutil.copytree(PROJECTS / "blocks", root)
    settings = root / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    extra = {"brief": [], "letter": [], "event": [], "dossier": []}
    audiences = []
    for template in PHRASES:
        for block in blocks_under_test(template):
            audience = audience_id(template, block)
            audiences.append(f"  - id: {audience}\n    name: Readers of {audience}\n    clearance: public\n")
            extra[brief_of(template, block)].append(audience)
    audiences.append("  - id: pb-keywords\n    name: Readers of pb-keywords\n    clearance: public\n")
    extra["brief"].append("pb-keywords")
    text = text.replace("\nbriefs:\n", "".join(audiences) + "\nbriefs:\n", 1)
    for brief, names in extra.items():
        old = f"  - id: {brief}\n"
        start = text.index(old)
        line = text.index("    audiences: [plain]\n", start)
        text = text[:line] + f"    audiences: [plain, {', '.join(names)}]\n" + text[line + 23 :]
    settings.write_text(text, encoding="utf-8")
    return root


def write_override(root: Path, template: str, block: str, body: str | None) -> None:
    folder = root / "templates" / audience_id(template, block)
    target = folder / f"{template}.html.j2"
    if body is None:
        target.unlink(missing_ok=True)
        return
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(
        f'{{% extends "builtin/{template}.html.j2" %}}\n{{% block {block} %}}{body}{{% endblock %}}\n',
        encoding="utf-8",
    )


def write_keywords(root: Path) -> None:
    folder = root / "templates" / "pb-keywords"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "policy-brief.html.j2").write_text(
        '{% extends "builtin/policy-brief.html.j2" %}\n'
        "{% block keywords %}Azerbaijan, KEYWORDX{% endblock %}\n",
        encoding="utf-8",
    )


def marker(block: str) -> str:
    return f"<p>MARKER-{block}</p>"


def normalized(html: str) -> str:
    """The document without what only the web page has (note calls and the list of notes:
    their numbers follow the notes of the sections before), ids, or whitespace between tags."""
    tree = lxml.html.document_fromstring(html)
    for element in tree.xpath("//*[contains(concat(' ', @class, ' '), ' screen-only ')]"):
        element.drop_tree()
    for element in tree.iter():
        if isinstance(element.tag, str):
            element.attrib.pop("id", None)
    text = lxml.html.tostring(tree, encoding="unicode")
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", text))


def visible_text(html_fragment: str) -> str:
    return " ".join(lxml.html.fragment_fromstring(html_fragment, create_parent="div").text_content().split())


# ---------------------------------------------------------------- what the templates declare


def test_every_block_of_the_built_in_templates_is_tested_and_documented():
    docs = DOCS.read_text(encoding="utf-8")
    for template in PHRASES:
        declared = set(blocks(template))
        assert declared - METADATA_BLOCKS == set(PHRASES[template]), template
        section = docs[docs.index(f"\n### {template}\n") + 1 :]
        section = section[: section.index("\n#")]
        own = declared - BASE_BLOCKS - METADATA_BLOCKS
        for block in own:
            assert f"`{block}`" in section, f"docs/templates.md does not list {template}'s block {block}"
    base = docs[docs.index("\n### The base") + 1 :]
    base = base[: base.index("\n#")]
    for block in BASE_BLOCKS | METADATA_BLOCKS:
        assert f"`{block}`" in base, block


# ---------------------------------------------------------------- HTML: every block


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("html"))
    model = load_project(root).model
    assert model is not None
    return root, model, project_theme(model)


# The HTML is rendered in one forked process: the blocks fixture has charts, and a test
# process that drew them would have started the chart engine, which the builds of later
# tests in this process must not inherit (charts/vega.py, pool.start_method).
_RENDERER: list[ProcessPoolExecutor] = []


@pytest.fixture(scope="module", autouse=True)
def _renderer_process():
    yield
    while _RENDERER:
        _RENDERER.pop().shutdown()


def render(project, template: str, block: str) -> str:
    if not _RENDERER:
        _RENDERER.append(ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")))
    return _RENDERER[0].submit(_render_here, project, template, block).result()


def _render_here(project, template: str, block: str) -> str:
    root, model, theme = project
    audience = audience_id(template, block)
    brief = brief_of(template, block)
    job = next(j for j in plan_jobs(model) if j.audience_id == audience and j.brief_id == brief)
    renderer = DocumentRenderer(make_environment(root, theme, audience), theme, root)
    return renderer.render(template, job_view(model, job), {"show_toc": False})


@pytest.mark.parametrize(
    ("template", "block"), [pytest.param(t, b, id=f"{t}:{b}") for t in PHRASES for b in blocks_under_test(t)]
)
def test_an_override_of_a_block_replaces_its_section_and_only_it_in_the_html(project, template, block):
    root = project[0]
    write_override(root, template, block, None)
    untouched = normalized(render(project, template, block))
    write_override(root, template, block, f"<p>BEGIN-{block}</p>{{{{ super() }}}}<p>END-{block}</p>")
    wrapped = normalized(render(project, template, block))
    write_override(root, template, block, marker(block))
    replaced = normalized(render(project, template, block))
    write_override(root, template, block, None)

    spans = re.findall(f"<p>BEGIN-{block}</p>(.*?)<p>END-{block}</p>", wrapped)
    assert spans, "the block is not shown"
    # the markers around super() change nothing else: the span is the block's whole output
    assert re.sub(f"<p>(BEGIN|END)-{block}</p>", "", wrapped) == untouched
    # and replacing the block replaces that span, nothing else
    expected = re.sub(f"<p>BEGIN-{block}</p>.*?<p>END-{block}</p>", marker(block), wrapped)
    assert replaced == expected
    phrase = PHRASES[template][block]
    if phrase is None:
        assert not "".join(visible_text(s) if s.strip() else "" for s in spans), "the block shows text"
    else:
        inside = " ".join(visible_text(s) for s in spans if s.strip())
        outside = visible_text(re.sub(f"<p>BEGIN-{block}</p>.*?<p>END-{block}</p>", "", wrapped))
        assert phrase in inside
        assert (phrase not in outside) or (template, block) in SHARED
    # and no other section is inside it
    inside = " ".join(visible_text(s) for s in spans if s.strip())
    for other, other_phrase in PHRASES[template].items():
        if other in related(template, block) or (template, other) in SHARED:
            continue
        if other_phrase not in (None, phrase):
            assert other_phrase not in inside, f"the {other} section is inside {block}"


def test_the_keywords_block_sets_the_documents_keywords(project):
    root = project[0]
    (root / "templates" / "pb-keywords").mkdir(parents=True, exist_ok=True)
    write_keywords(root)
    try:
        html = render(project, "policy-brief", "keywords")
    finally:
        shutil.rmtree(root / "templates" / "pb-keywords")
    plain = render(project, "policy-brief", "keywords")
    assert '<meta name="keywords" content="human rights, policy brief' in plain
    assert '<meta name="keywords" content="Azerbaijan, KEYWORDX">' in html
    assert normalized(html).replace("Azerbaijan, KEYWORDX", "") == normalized(plain).replace(
        re.search(r'<meta name="keywords" content="([^"]*)"', normalized(plain)).group(1), ""
    )


# ---------------------------------------------------------------- PDF and DOCX


# The contents page lists the section headings, and whether a document has one depends on its
# length: the texts compared leave it out, in both formats.
def pdf_text(path: Path) -> str:
    pages = []
    for page in range(1, len(pypdf.PdfReader(path).pages) + 1):
        command = ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"]
        text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        if "Contents" not in text.splitlines():
            pages.append(text)
    return " ".join(" ".join(pages).split())


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path) -> str:
    body = docx.Document(str(path)).element.body
    texts = []
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val", "").startswith("TOC"):
            continue
        texts.append("".join(t.text or "" for t in paragraph.iter(f"{W}t")))
    return " ".join(" ".join(texts).split())


def format_blocks() -> list[tuple[str, str]]:
    """Every block of the policy brief, and every block each other template adds."""
    return [
        (t, b) for t in PHRASES for b in blocks_under_test(t) if t == "policy-brief" or b not in BASE_BLOCKS
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The project built with every block's override, and again without any override."""
    work = tmp_path_factory.mktemp("formats")
    root = make_project(work)
    for template, block in format_blocks():
        write_override(root, template, block, marker(block))
    write_keywords(root)
    with pytest.MonkeyPatch.context() as patch:
        # The same files from the same inputs: `plain`'s outputs are compared byte for byte.
        patch.setenv("SOURCE_DATE_EPOCH", "1600000000")
        manifest = build(root, work / "out", jobs=2, formats=["pdf", "docx"])
        shutil.rmtree(root / "templates")
        clean = build(root, work / "clean", jobs=2, audiences=["plain"], formats=["pdf", "docx"])
    return work, manifest, clean


def output(work: Path, folder: str, brief: str, audience: str, fmt: str) -> Path:
    suffix = ".jana-member" if brief == "letter" else ""
    return work / folder / brief / f"{brief}.{audience}.en{suffix}.{fmt}"


@pytest.mark.slow
def test_an_override_of_a_block_changes_only_its_section_in_the_pdf_and_docx(built):
    work, _manifest, _clean = built
    failures = []
    for template, block in format_blocks():
        brief = brief_of(template, block)
        for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
            control = read(output(work, "out", brief, "plain", fmt))
            changed = read(output(work, "out", brief, audience_id(template, block), fmt))
            where = f"{template} block {block} ({fmt})"
            if f"MARKER-{block}" not in changed:
                failures.append(f"{where}: the override's text is missing")
            phrase = PHRASES[template][block]
            if phrase is not None and not changed.count(phrase) < control.count(phrase):
                failures.append(f"{where}: the section's {phrase!r} is still there")
            near = related(template, block)
            for other, other_phrase in PHRASES[template].items():
                if other in near or other_phrase in (None, phrase) or (template, other) in SHARED:
                    continue
                if changed.count(other_phrase) != control.count(other_phrase):
                    failures.append(f"{where}: the {other} section changed ({other_phrase!r})")
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_the_other_audiences_outputs_are_unchanged(built):
    _work, manifest, clean = built
    plain = [e for e in clean["outputs"] if e["audience"] == "plain"]
    assert len(plain) == 8  # 4 briefs, PDF and DOCX
    with_overrides = {e["path"]: e["sha256"] for e in manifest["outputs"]}
    for entry in plain:
        assert with_overrides[entry["path"]] == entry["sha256"], entry["path"]


@pytest.mark.slow
def test_the_keywords_block_sets_the_pdf_and_docx_keywords(built):
    work = built[0]
    keywords = {
        audience: (
            pypdf.PdfReader(output(work, "out", "brief", audience, "pdf")).metadata.get("/Keywords"),
            docx.Document(str(output(work, "out", "brief", audience, "docx"))).core_properties.keywords,
        )
        for audience in ("plain", "pb-keywords")
    }
    assert keywords["pb-keywords"] == ("Azerbaijan, KEYWORDX", "Azerbaijan, KEYWORDX")
    assert all(k.startswith("human rights, policy brief") for k in keywords["plain"])
