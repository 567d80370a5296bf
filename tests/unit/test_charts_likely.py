"""build.may_show_charts: the guess, made before loading, that tells early workers to import
the charts' libraries while they wait. Only speed depends on it; it reads briefgen.yaml."""

from __future__ import annotations

import pytest

from briefgen.build import may_show_charts


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("briefs:\n  - id: a\n    charts: [detention-days]\n", True),
        ("briefs:\n  - id: a\n    charts:\n      - detention-days\n", True),
        ("briefs:\n- id: a\n  charts:\n  - detention-days\n", True),
        ("briefs:\n  - charts: [x]\n    id: a\n", True),
        ("briefs:\n  - id: a\n    charts:\n    template: policy-brief\n", False),
        ("briefs:\n  - id: a\n    charts:   # none yet\n", False),
        ("briefs:\n  - id: a\n    template: policy-brief\n", False),
        ("title: Charts of the year\n", False),
    ],
)
def test_the_guess_reads_the_settings(tmp_path, settings, expected):
    (tmp_path / "briefgen.yaml").write_text(settings, encoding="utf-8")
    assert may_show_charts(tmp_path) is expected


def test_no_settings_no_charts(tmp_path):
    assert may_show_charts(tmp_path) is False
