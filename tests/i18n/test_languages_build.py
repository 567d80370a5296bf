"""A Belarusian and a Ukrainian build of the repository project print no English label."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import build, copy_repository_project
from lxml import html as lxml_html

from briefgen.labels import builtin_catalog_path

pytestmark = pytest.mark.slow

# Where the templates print labels: headings, table headers, field names, the cover's lines.
LABEL_PLACES = "//h1 | //h2 | //h3 | //th | //dt | //caption | //nav//h1"


def english_labels(language: str) -> set[str]:
    """English label texts whose translation differs (so finding one means a fallback)."""
    with builtin_catalog_path("en").open("rb") as handle:
        english = read_po(handle)
    with builtin_catalog_path(language).open("rb") as handle:
        translated = read_po(handle)
    labels = set()
    for message in english:
        if not message.id or not isinstance(message.id, str) or "{" in message.id:
            continue
        other = translated.get(message.id, message.context)
        if other is not None and other.string and other.string != message.id:
            labels.add(message.id)
    return labels


@pytest.mark.parametrize("language", ["be", "uk"])
def test_no_english_label_in_a_build(tmp_path, language):
    # The project's own files only: a copy of the whole checkout took the benchmarks' work
    # folder too (1.5 GB, kept by pytest for three runs).
    project = copy_repository_project(tmp_path)
    settings = project / "briefgen.yaml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(
        r"(  - id: justice-behind-bars-dossier\n(?:    .*\n)*?)    languages: \[[^\]]*\]",
        rf"\1    languages: [{language}]",
        text,
    )
    settings.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build(project, out, briefs=["justice-behind-bars-dossier"], formats=["html"], jobs=1)
    (page,) = out.rglob(f"*.{language}.html")
    tree = lxml_html.fromstring(Path(page).read_bytes())
    printed = {" ".join(el.text_content().split()) for el in tree.xpath(LABEL_PLACES)}
    left = printed & english_labels(language)
    assert not left, f"English labels in the {language} build: {sorted(left)}"
    assert tree.get("lang") == language
