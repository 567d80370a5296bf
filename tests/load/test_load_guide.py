"""The examples in docs/content-guide.md are valid: each YAML block reads without problems
and each item in it passes its model (references between blocks are not checked)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.model import COLLECTIONS, Project
from briefgen.yamlsource import read_yaml

GUIDE = Path(__file__).parents[2] / "docs" / "content-guide.md"
BLOCKS = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S) if GUIDE.exists() else []


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_guide_example_is_valid(block):
    yaml_file = read_yaml("guide.yaml", block.encode())
    assert yaml_file.problems == []
    if yaml_file.root is None:  # only a comment, e.g. the yaml-language-server line
        return
    data = yaml_file.root.data()
    if "name" in data and "briefs" in data:
        Project.model_validate(data)
        return
    for key, items in data.items():
        if key in COLLECTIONS:
            for item in items:
                COLLECTIONS[key].model_validate(item)
        else:  # a single field shown on its own, e.g. `title: ...`
            assert key in {f for cls in COLLECTIONS.values() for f in cls.model_fields}, key


def test_guide_has_examples_of_every_collection():
    text = "\n".join(BLOCKS)
    for collection in COLLECTIONS:
        assert f"\n{collection}:\n" in f"\n{text}", collection
