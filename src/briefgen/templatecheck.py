"""Template check: a project's templates + the outputs it plans -> the mistakes that would
otherwise vanish without a word (docs/templates.md, "Mistakes briefgen reports").

- A folder under `templates/` that is neither an audience id nor a theme (a misspelt
  `templates/eu-policymaker/`): no output ever uses its templates. A warning, with "did you
  mean" for a near audience id; a folder whose templates another template includes or
  imports (`{% include "partials/box.html.j2" %}`) is in use and not reported.
- A block an override defines that the templates it extends do not have
  (`{% block key_message %}`): Jinja renders only the blocks the parent prints, so its
  content would simply be missing. An error at the block tag, listing the blocks that exist.
- A brief's template that does not extend the base (`builtin/base.html.j2`) and does not
  print `theme_css` either: its PDF and web page would have none of the theme's styles, no
  running header or footer. A warning at its first line.

Everything here is read with Jinja's own parser through lookup.py's chain, so it sees the
files the render uses; nothing is rendered. A template that does not parse is left to the
render, which reports the syntax error; while the content has errors and nothing can be
rendered, `syntax_problems` parses every project template for `validate`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import nodes

from .diagnostics import Diagnostic, ProjectError, error, warning
from .lookup import (
    BUILTIN_DIR,
    TemplateChain,
    author_path,
    parse_template,
    referenced_templates,
    template_filename,
)
from .model import Model
from .plan import Job, brief_audiences
from .theme import THEME_FILE, Theme, audience_theme
from .typed import did_you_mean

BASE = "builtin/base.html.j2"


@dataclass(frozen=True)
class Level:
    """One template of an extends chain: its file, its syntax tree, what it extends."""

    path: Path
    tree: nodes.Template
    source: str

    @property
    def parent(self) -> str | None:
        """The name this template extends ("" when given by a variable), None when it extends nothing."""
        for node in self.tree.find_all(nodes.Extends):
            return node.template.value if isinstance(node.template, nodes.Const) else ""
        return None

    def blocks(self) -> set[str]:
        return {block.name for block in self.tree.find_all(nodes.Block)}

    def outer_blocks(self) -> list[nodes.Block]:
        """The blocks not inside another block: in a template that extends another, the only
        ones that are shown are those its parents print (a block nested inside an override is
        printed by that override)."""
        found: list[nodes.Block] = []

        def walk(node: nodes.Node) -> None:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Block):
                    found.append(child)
                else:
                    walk(child)

        walk(self.tree)
        return found


def template_problems(model: Model, jobs: list[Job]) -> list[Diagnostic]:
    """Every problem of the templates the planned outputs use, and of the project's
    templates/ folder; each reported once however many outputs share it."""
    root = Path(model.root)
    themes: dict[str, Theme] = {}
    for audience_id in dict.fromkeys(job.audience_id for job in jobs):
        try:
            themes[audience_id] = audience_theme(model, audience_id)  # an audience may name its own
        except ProjectError:
            continue  # an unknown or broken theme: reported with the theme's mistakes
    found = stray_folders(root, list(dict.fromkeys(themes.values())), known_audiences(model))
    templates = {brief.id: brief.template for brief in model.project.briefs}
    for audience_id, template in dict.fromkeys((job.audience_id, templates[job.brief_id]) for job in jobs):
        if audience_id in themes:
            theme = themes[audience_id]
            chain = TemplateChain(root, theme.templates_dir, audience_id)
            found += chain_problems(chain, template_filename(template), root, theme)
    return list(dict.fromkeys(found))


def known_audiences(model: Model) -> list[str]:
    """The audience ids outputs are made for (the implicit `public` one included)."""
    ids = [a.id for a in model.audiences()]
    ids += [a.id for brief in model.project.briefs for a in brief_audiences(model, brief)]
    return list(dict.fromkeys(ids))


# ---------------------------------------------------------------- folders


def stray_folders(root: Path, themes: list[Theme], audiences: list[str]) -> list[Diagnostic]:
    """Folders under the project's templates/ that no output can use."""
    templates = root / "templates"
    if not templates.is_dir():
        return []
    used = _folders_referenced(templates, themes)
    found = []
    for folder in sorted(p for p in templates.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name in audiences or (folder / THEME_FILE).is_file() or folder.name in used:
            continue
        files = sorted(p for p in folder.rglob("*.j2") if p.is_file())
        if not files:
            continue  # no template in it: nothing silently left unused
        names = ", ".join(p.relative_to(folder).as_posix() for p in files[:3])
        close = difflib.get_close_matches(folder.name, audiences, n=1, cutoff=0.6)
        hint = (
            f"did you mean templates/{close[0]}/?"
            if close
            else "name the folder after the audience whose outputs its templates are for, or "
            "make it a theme with a theme.yaml"
        )
        found.append(
            warning(
                files[0].relative_to(root).as_posix(),
                1,
                1,
                f"templates/{folder.name}/ is neither an audience id nor a theme, so no output uses "
                f"its templates ({names}); the audiences are: {', '.join(audiences)}",
                hint,
            )
        )
    return found


def _folders_referenced(templates: Path, themes: list[Theme]) -> set[str]:
    """The folders under templates/ that some template includes, imports or extends from."""
    folders: set[str] = set()
    sources = [*templates.rglob("*.j2")]
    for theme in themes:
        if theme.templates_dir.is_dir():
            sources += theme.templates_dir.rglob("*.j2")
    for path in sources:
        for name in referenced_templates(path.read_text(encoding="utf-8", errors="replace")):
            parts = (name or "").split("/")
            if parts[0] == "project":
                parts = parts[1:]
            if len(parts) > 1:
                folders.add(parts[0])
    return folders


# ---------------------------------------------------------------- blocks and the base


def extends_chain(chain: TemplateChain, name: str) -> list[Level] | None:
    """The template `name` and each template it extends, in order, as the render finds them;
    None when the chain cannot be followed here (a file missing or not parsing, a parent
    named by a variable, a loop): the render reports those."""
    levels: list[Level] = []
    while True:
        path = chain.find(name)
        if path is None or any(level.path == path for level in levels):
            return None
        source = path.read_text(encoding="utf-8", errors="replace")
        tree = parse_template(source)
        if tree is None:
            return None
        levels.append(Level(path, tree, source))
        parent = levels[-1].parent
        if parent is None:
            return levels
        if not parent:
            return None
        name = parent


def chain_problems(chain: TemplateChain, name: str, root: Path, theme: Theme) -> list[Diagnostic]:
    """Unknown blocks in the extends chain of `name`, and whether it reaches a base."""
    levels = extends_chain(chain, name)
    if levels is None:
        return []
    found = []
    for index, child in enumerate(levels[:-1]):
        ancestors = levels[index + 1 :]
        existing = set().union(*(level.blocks() for level in ancestors))
        parent_name = author_path(ancestors[0].path, root, theme.folder)
        for block in child.outer_blocks():
            if block.name in existing:
                continue
            found.append(
                error(
                    author_path(child.path, root, theme.folder),
                    block.lineno,
                    _block_column(child.source, block),
                    f"block '{block.name}' is not a block of {parent_name} or the templates it "
                    f"extends, so nothing in it would be shown; their blocks: "
                    f"{', '.join(sorted(existing))}",
                    did_you_mean(block.name, sorted(existing), listing=False)
                    or "a new block shows only inside a block the parent prints: override that "
                    "block and put the new one in it, after {{ super() }}",
                )
            )
    top = levels[-1]
    if top.path != BUILTIN_DIR / "base.html.j2" and not _prints_theme_css(top.tree):
        found.append(
            warning(
                author_path(top.path, root, theme.folder),
                1,
                1,
                f"the template does not extend the base ({BASE}), so its PDF and web "
                "page have none of the theme's styles, no running header or footer and no page "
                "numbers (its DOCX takes the theme's Word styles)",
                f'start it with {{% extends "{BASE}" %}} and write the body in {{% block content %}}',
            )
        )
    return found


def _prints_theme_css(tree: nodes.Template) -> bool:
    # A template of its own that brings the theme's styles itself, as base.html.j2 does.
    return any(name.name == "theme_css" and name.ctx == "load" for name in tree.find_all(nodes.Name))


def _block_column(source: str, block: nodes.Block) -> int:
    """The 1-based column of `{% block NAME` on the block's line (Jinja gives only the line)."""
    lines = source.splitlines()
    if not 0 < block.lineno <= len(lines):
        return 1
    tag = re.search(r"\{%[-+]?\s*block\s+" + re.escape(block.name) + r"\b", lines[block.lineno - 1])
    return tag.start() + 1 if tag else 1


def syntax_problems(root: Path) -> list[Diagnostic]:
    """The syntax errors of every template under the project's `templates/` (themes'
    included), each at its line and column: what `validate` can still say of the templates
    while the content has errors, and no output can be rendered to find them."""
    from jinja2 import DictLoader, TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    from .render import _environment
    from .templateerrors import syntax_diagnostic

    folder = root / "templates"
    if not folder.is_dir():
        return []
    env = _environment(DictLoader({}))
    # A theme's CSS templates are rendered without the i18n extension (render.theme_css).
    css_env = SandboxedEnvironment(autoescape=False)
    found: list[Diagnostic] = []
    for path in sorted(folder.rglob("*.j2")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the render reports a template it cannot read
        parser = css_env if path.name.endswith(".css.j2") else env
        try:
            parser.parse(source, name=relative.as_posix(), filename=str(path))
        except TemplateSyntaxError as exc:
            found.append(syntax_diagnostic(exc, relative.as_posix(), source, parser))
    return found
