"""Schema: the pydantic models -> JSON Schemas (draft 2020-12) for editors' autocompletion.

`content_schema()` describes one content file (model.ContentFile), `project_schema()`
briefgen.yaml (model.Project). Both are generated from the same models that validate the
content, with the scalar types an editor's YAML parser produces: a year is a number, a
`suspended` flag a boolean, a date text (YYYY-MM-DD), and a text field also accepts the
numbers and booleans that briefgen keeps as the text written. briefgen itself remains the
judge: the schema cannot check references between files.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .model import ContentFile, Project

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def content_schema() -> dict[str, Any]:
    """JSON Schema of a content file (content/*.yaml)."""
    return _schema(
        ContentFile,
        "briefgen content file",
        "A briefgen content file: collections (organisations, people, cases, events, "
        "recommendations, sources, recipients), each a list of items with an id.",
    )


def project_schema() -> dict[str, Any]:
    """JSON Schema of briefgen.yaml."""
    return _schema(Project, "briefgen project settings", "briefgen.yaml: settings, audiences and briefs.")


def _schema(model: type[BaseModel], title: str, description: str) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    schema.update({"title": title, "description": description})
    _strip_titles(schema)
    return {"$schema": DRAFT, **schema}


def _lift_description(prop: dict[str, Any]) -> None:
    """An optional property is anyOf[type, null]: show the type's description on the property."""
    if "description" in prop or not isinstance(prop.get("anyOf"), list):
        return
    for option in prop["anyOf"]:
        if isinstance(option, dict) and "description" in option:
            prop["description"] = option["description"]
            return


def _strip_titles(node: Any) -> None:
    """Drops pydantic's generated per-property titles ("Short Name"): they only echo the key,
    and editors show them instead of the description."""
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            for value in properties.values():
                if isinstance(value, dict):
                    value.pop("title", None)
                    _lift_description(value)
        for value in node.values():
            _strip_titles(value)
    elif isinstance(node, list):
        for value in node:
            _strip_titles(value)
