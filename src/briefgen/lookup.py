"""Template lookup: a template's name -> the file it is read from, through one chain.

The chain, first match wins: the project's `templates/<audience-id>/`, the project's
`templates/`, the theme's `templates/`, briefgen's built-in templates. A name may start
with `project/`, `theme/` or `builtin/` to name one link of the chain, so an override can
extend the template it replaces: `{% extends "builtin/policy-brief.html.j2" %}`.

Render (the Jinja loader), the fingerprint (which files an output depends on) and validate
(which names briefgen.yaml may use) all ask this module, so they cannot disagree about
which file a name means. What a template extends, includes or imports is read with Jinja's
own parser (`jinja2.meta.find_referenced_templates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, TemplateError
from jinja2 import meta as jinja_meta
from jinja2 import nodes as jinja_nodes
from jinja2.loaders import BaseLoader, split_template_path

SUFFIX = ".html.j2"
BUILTIN_DIR = Path(__file__).parent / "templates"
# The built-in brief templates briefgen.yaml may name (base and _macros are their parts).
BUILTIN_NAMES = ("policy-brief", "event-summary", "case-dossier")
PROJECT, THEME, BUILTIN = "project", "theme", "builtin"  # the prefixes that name one link
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")  # a name in briefgen.yaml: no folder, no suffix


def template_filename(name: str) -> str:
    """A brief's template name ("policy-brief") -> the file name the chain looks up."""
    return name if name.endswith(".j2") else name + SUFFIX


@dataclass(frozen=True)
class TemplateChain:
    """The lookup chain of one project, theme and (optionally) audience."""

    project_root: Path
    theme_templates: Path | None  # the theme's templates/ folder
    audience_id: str | None = None

    def links(self) -> list[tuple[str, Path]]:
        """(prefix, folder) of each link that exists, in lookup order (no audience link:
        `project/x` names the project's own templates/x)."""
        links = [(PROJECT, self.project_root / "templates")]
        if self.theme_templates is not None:
            links.append((THEME, self.theme_templates))
        links.append((BUILTIN, BUILTIN_DIR))
        return [(prefix, folder) for prefix, folder in links if folder.is_dir()]

    def folders(self) -> list[Path]:
        """The folders searched for a name without prefix, in order."""
        folders = [self.project_root / "templates" / self.audience_id] if self.audience_id else []
        folders += [folder for _, folder in self.links()]
        return [folder for folder in folders if folder.is_dir()]

    def find(self, name: str) -> Path | None:
        """The file `name` means (a prefix names one link), or None."""
        prefix, _, rest = name.partition("/")
        links = dict(self.links())
        candidates = [links[prefix] / rest] if prefix in links else []
        candidates += [folder / name for folder in self.folders()]
        return next((c for c in candidates if c.is_file()), None)

    def all_names(self) -> list[str]:
        """Every template file reachable without a prefix, as the names that find them."""
        return sorted(
            {p.relative_to(folder).as_posix() for folder in self.folders() for p in folder.rglob("*.j2")}
        )

    def brief_names(self) -> list[str]:
        """The template names briefgen.yaml may give a brief: built-in, the project's (also
        per audience) and the theme's."""
        names = set(BUILTIN_NAMES)
        for prefix, folder in self.links():
            # The project's templates/ holds one folder per audience overriding templates.
            patterns = {PROJECT: [f"*{SUFFIX}", f"*/*{SUFFIX}"], THEME: [f"*{SUFFIX}"]}.get(prefix, [])
            for pattern in patterns:
                names.update(p.name[: -len(SUFFIX)] for p in folder.glob(pattern))
        return sorted(names)

    def label(self, path: Path) -> str:
        """Which link a found file came from: "project/x.html.j2", "theme/...", "builtin/..."."""
        roots = ((PROJECT, self.project_root), (THEME, self.theme_templates), (BUILTIN, BUILTIN_DIR))
        for prefix, folder in roots:
            if folder is not None and path.is_relative_to(folder):
                return f"{prefix}/{path.relative_to(folder).as_posix()}"
        return path.name

    def kind(self, path: Path) -> str:
        """Which link of the chain a found file is, in words: "project audience folder",
        "project", "theme" or "built-in" (what `briefgen list` shows)."""
        if self.audience_id and path.is_relative_to(self.project_root / "templates" / self.audience_id):
            return "project audience folder"
        # The theme's folder before the project's: a project's theme lives in its templates/.
        if self.theme_templates is not None and path.is_relative_to(self.theme_templates):
            return "theme"
        return "built-in" if path.is_relative_to(BUILTIN_DIR) else "project"

    def resolve_all(self, name: str) -> list[tuple[str, Path | None]]:
        """`name` and every template it extends, includes or imports, transitively, each with the
        file it resolves to (None: not found), in the order met. A name given by a variable is
        left out: which template it means is only known when the template runs."""
        found: dict[str, Path | None] = {}
        pending = [name]
        while pending:
            current = pending.pop(0)
            if current in found:
                continue
            path = found[current] = self.find(current)
            if path is not None:
                source = path.read_text(encoding="utf-8", errors="replace")
                pending.extend(ref for ref in referenced_templates(source) if ref)
        return list(found.items())

    def resolution(self, name: str, theme_folder: Path) -> list[tuple[str, str]]:
        """(name, "the file it resolves to (which link)") for `name` and every template it
        pulls in: what `briefgen list` shows."""
        return [
            (
                ref,
                f"{author_path(path, self.project_root, theme_folder)} ({self.kind(path)})"
                if path is not None
                else "not found",
            )
            for ref, path in self.resolve_all(name)
        ]

    def loader(self) -> BaseLoader:
        """The Jinja loader of this chain; no link follows a symbolic link out of its folder."""
        contained = {prefix: ContainedLoader(folder, self.project_root) for prefix, folder in self.links()}
        return ChoiceLoader(
            [PrefixLoader(contained), *(ContainedLoader(d, self.project_root) for d in self.folders())]
        )


class ContainedLoader(FileSystemLoader):
    """A FileSystemLoader that does not follow a symbolic link out of its folder: a project's
    templates/x.html.j2 -> /etc/passwd would otherwise print that file into the brief. A folder
    inside the project may not lead out of the project either."""

    def __init__(self, folder: Path, project_root: Path):
        super().__init__(str(folder))
        self.boundary = (project_root if folder.is_relative_to(project_root) else folder).resolve()

    def get_source(self, environment, template):
        target = Path(self.searchpath[0]).joinpath(*split_template_path(template))
        if target.is_file() and not target.resolve().is_relative_to(self.boundary):
            # Not TemplateNotFound: the chain must not quietly fall back to a built-in template.
            raise TemplateError(f"{template} is a link that leads out of its templates folder")
        return super().get_source(environment, template)


def shown_path(filename: str, project_root: Path, theme_folder: Path) -> str:
    """A template file as a user knows it: relative to the project, <built-in>/ or <theme>/."""
    path = Path(filename).resolve()
    for root, label in ((project_root, ""), (BUILTIN_DIR, "<built-in>/")):
        if path.is_relative_to(root.resolve()):
            return label + path.relative_to(root.resolve()).as_posix()
    if path.is_relative_to(theme_folder):
        return "<theme>/" + path.relative_to(theme_folder).as_posix()
    return path.name


def author_path(path: Path, project_root: Path, theme_folder: Path) -> str:
    """A template file as its author names it: builtin/NAME for briefgen's own, else its
    path in the project (or <theme>/... for a theme outside the project)."""
    if path.is_relative_to(BUILTIN_DIR):
        return f"{BUILTIN}/{path.relative_to(BUILTIN_DIR).as_posix()}"
    return shown_path(str(path), project_root, theme_folder)


def referenced_templates(source: str) -> list[str | None]:
    """The names a template extends, includes or imports; None for one given by a variable
    (it could be any template). A template that does not parse references nothing here:
    rendering it reports the syntax error."""
    tree = parse_template(source)
    return [] if tree is None else list(jinja_meta.find_referenced_templates(tree))


@lru_cache(maxsize=128)
def parse_template(source: str) -> jinja_nodes.Template | None:
    """A template's syntax tree, read with Jinja's own parser; None when it does not parse
    (rendering it reports the syntax error). Parsed once per text: the build's template
    check and every output's fingerprint read the same few templates, and only read the
    tree (never change it)."""
    try:
        return _parser().parse(source)
    except TemplateError:
        return None


@cache
def _parser() -> Environment:
    # Parsing only: the i18n extension so that {% trans %} blocks parse, as in render; `do`
    # too, so that a template using it is still read here (render decides whether it runs).
    return Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do"])
