"""Themes: a theme's name -> its folder -> a Theme (typed tokens, font files, CSS and templates).

A theme folder holds `theme.yaml` (design tokens), and optionally `print.css.j2`, `fonts/`,
`templates/` (found after the project's templates, before the built-in ones) and
`reference.docx` (a designer's Word styles, used instead of generated ones).

theme.yaml is read by yamlsource, the reader content uses, and typed by `tokens.Tokens`:
every mistake in it (an unquoted `#1d4e89`, `body: large`, a misspelt token, a colour that
is not one, a missing font file) is a Diagnostic at its PATH:LINE:COLUMN, gathered in a
ThemeError. Tokens a theme leaves out take the default theme's values.

One Theme drives both writers: render.theme_css turns the tokens into the print CSS that
WeasyPrint uses, and the DOCX writer reads the same tokens to define its Word styles.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import software_digest, this_builds, tree_digest
from .classstyles import ClassLook, class_looks, css_file_problems, family_problems
from .diagnostics import Diagnostic, Location, ProjectError, error
from .tokens import Tokens, group_fields, hint_for
from .typed import validate_node
from .yamlsource import Node, YamlFile, read_yaml, size_problem

if TYPE_CHECKING:
    from .model import Model

BUILTIN_THEMES = Path(__file__).parent / "themes"
DEFAULT_THEME_DIR = BUILTIN_THEMES / "default"
THEME_FILE = "theme.yaml"


class ThemeError(ProjectError):
    """A theme is missing, or its theme.yaml has mistakes; carries them as diagnostics."""


@dataclass(frozen=True)
class FontFile:
    family: str
    weight: int
    style: str
    path: Path


@dataclass(frozen=True, eq=False)
class Theme:
    """A theme's typed tokens and where its files are. The properties are the names the
    writers and print.css.j2 (as `t`) have always used."""

    folder: Path
    tokens: Tokens
    font_files: tuple[FontFile, ...]
    # The script keys the theme's own theme.yaml writes: their font files are relative to its
    # folder, the others' to the default theme's (fonts.py).
    own_scripts: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.tokens.name or self.folder.name

    @property
    def templates_dir(self) -> Path:
        return self.folder / "templates"

    @property
    def reference_docx(self) -> Path | None:
        ref = self.folder / "reference.docx"
        return ref if ref.is_file() else None

    # Read from the fields, as model_dump gives them: a theme from the cache was never
    # validated, and model_dump would build the tokens' serializers first (some 20 ms).
    @cached_property
    def colors(self) -> dict[str, str]:
        return group_fields(self.tokens.colors)

    @cached_property
    def sizes(self) -> dict[str, float]:
        return {name: value for name, value in group_fields(self.tokens.sizes).items() if value is not None}

    @cached_property
    def page(self) -> dict[str, Any]:
        return group_fields(self.tokens.page)

    @property
    def body_font(self) -> str:
        return self.tokens.fonts.body

    @property
    def heading_font(self) -> str:
        return self.tokens.fonts.heading

    @property
    def mono_font(self) -> str:
        """The family `code` is printed in (PDF) and the DOCX's Code style names."""
        return self.tokens.fonts.mono

    @property
    def body_fallback(self) -> tuple[str, ...]:
        return tuple(self.tokens.fonts.fallback.body)

    @property
    def heading_fallback(self) -> tuple[str, ...]:
        return tuple(self.tokens.fonts.fallback.heading)

    @property
    def embed_fonts(self) -> bool:
        """fonts.embed: the DOCX carries subsets of the fonts it uses."""
        return self.tokens.fonts.embed

    @property
    def line_height(self) -> float:
        return self.tokens.spacing.line_height

    @property
    def paragraph_after(self) -> float:
        return self.tokens.spacing.paragraph_after

    @property
    def logo_width_mm(self) -> float:
        return self.tokens.logo.width

    @property
    def logo_position(self) -> str:
        return self.tokens.logo.position

    @property
    def logo_gap_mm(self) -> int | float:
        return self.tokens.logo.gap

    @property
    def headings(self):
        return self.tokens.headings

    @property
    def boxes(self):
        return self.tokens.boxes

    @property
    def tables(self):
        return self.tokens.tables

    def color(self, name: str) -> str:
        """A colour token as 6 hex digits without '#', the form Word wants."""
        digits = self.colors[name].lstrip("#").upper()
        return "".join(d * 2 for d in digits) if len(digits) == 3 else digits

    @cached_property
    def class_styles(self) -> dict[str, ClassLook]:
        """`styles`: each custom class's look, colours as 6 hex digits (classstyles.py)."""
        return class_looks(self)

    @property
    def css_files(self) -> tuple[Path, ...]:
        """`css`: the theme's CSS files appended after its print CSS."""
        return tuple(self.folder / name for name in self.tokens.css)

    def font_stack(self, role: str) -> str:
        main = self.body_font if role == "body" else self.heading_font
        fallback = self.body_fallback if role == "body" else self.heading_fallback
        return ", ".join(f'"{f}"' for f in (main, *fallback))


# ---------------------------------------------------------------- finding a theme


def available_themes(project_dir: Path | None) -> list[str]:
    """The names a project may use: its templates/NAME/theme.yaml folders and the built-in ones."""
    names = [p.name for p in BUILTIN_THEMES.iterdir() if (p / THEME_FILE).is_file()]
    if project_dir is not None and (project_dir / "templates").is_dir():
        names += [p.name for p in (project_dir / "templates").iterdir() if (p / THEME_FILE).is_file()]
    return sorted(set(names))


def resolve_theme(name: str, project_dir: Path | None = None, where: Location | None = None) -> Path:
    """Find a theme folder: a folder under the project's templates/, else a built-in theme.
    Mistakes are reported at `where` (the `theme:` line of briefgen.yaml)."""
    where = where or Location("briefgen.yaml", 1, 1)

    def fail(message: str, hint: str | None = None) -> ThemeError:
        return ThemeError([error(where.path, where.line, where.column, message, hint)])

    if ".." in Path(name).parts or Path(name).is_absolute():
        # The theme's folder is a root of the resource sandbox: it must not lead elsewhere.
        raise fail(
            f"theme {name!r}: a theme is a built-in name or a folder under templates/",
            "write the folder's name alone, e.g. theme: my-ngo for templates/my-ngo/theme.yaml",
        )
    if project_dir is not None:
        candidate = project_dir / "templates" / name
        if (candidate / THEME_FILE).is_file():
            if not candidate.resolve().is_relative_to((project_dir / "templates").resolve()):
                raise fail(f"theme {name!r}: templates/{name} is a link that leads out of the project")
            return candidate
    candidate = BUILTIN_THEMES / name
    if (candidate / THEME_FILE).is_file():
        return candidate
    known = available_themes(project_dir)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    builtin = ", ".join(available_themes(None))
    raise fail(
        f"unknown theme {name!r}: no templates/{name}/{THEME_FILE} in the project and no "
        f"built-in theme of that name (built-in: {builtin})",
        f"did you mean '{close[0]}'?" if close else f"create templates/{name}/{THEME_FILE}",
    )


def project_theme(model: Model) -> Theme:
    """The theme a loaded project names; ThemeError when it is unknown or broken."""
    return load_theme(resolve_theme(model.project.theme, Path(model.root), model.settings_locate("theme")))


def audience_theme(model: Model, audience_id: str | None) -> Theme:
    """The theme of one audience's outputs: the one it names (`theme:` in its entry), else
    the project's."""
    audiences = model.project.audiences
    audience = next((a for a in audiences if a.id == audience_id), None)
    if audience is None or audience.theme is None:
        return project_theme(model)
    where = model.settings_locate("audiences", audience.id, "theme")
    return load_theme(resolve_theme(audience.theme, Path(model.root), where))


def check_project_theme(
    project_dir: Path, name: str, node: Node | None, settings_path: str
) -> list[Diagnostic]:
    """Every mistake in the theme a project names, for `load_project` (so validate and build
    report them with the content's)."""
    where = Location(settings_path, node.line, node.column) if node is not None else None
    try:
        load_theme(resolve_theme(name, project_dir, where))
    except ThemeError as exc:
        return exc.diagnostics
    return []


# ---------------------------------------------------------------- reading theme.yaml


@cache
def load_theme(folder: Path) -> Theme:
    """Read and type theme.yaml in `folder`; missing tokens take the default theme's values.

    In a build's worker, a theme read before with the same files is taken from the
    project's cache (cache.this_builds): typing theme.yaml builds the tokens' validators,
    about 30 ms of every worker's start. A theme with mistakes is never kept."""
    folder = folder.resolve()
    store = this_builds()
    if store is None:
        return _read_theme(folder)
    name, key = _kept_name(folder), _kept_key(folder)
    kept = store.get(KEPT_KIND, name)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key:
        theme = kept[1]
        if isinstance(theme, Theme) and theme.folder == folder:
            return theme
    theme = _read_theme(folder)
    store.put(KEPT_KIND, name, (key, theme))
    return theme


KEPT_KIND = "themes"
# The files a theme is read from, counted by their bytes; fonts and pictures by size and time.
_TEXT_SUFFIXES = frozenset({".yaml", ".yml", ".css", ".j2"})


def _kept_name(folder: Path) -> str:
    """One entry per theme folder: a theme's next version replaces its last."""
    return hashlib.sha256(str(folder).encode()).hexdigest()


def _kept_key(folder: Path) -> str:
    """Everything load_theme reads: the theme's files, and the software, whose digest covers
    the built-in themes (the default theme's tokens and fonts fill in every theme's)."""
    builtin = folder.is_relative_to(BUILTIN_THEMES.resolve())
    own = "" if builtin else tree_digest(folder, read_bytes=False, text_suffixes=_TEXT_SUFFIXES)
    return hashlib.sha256(f"{software_digest()}\n{folder}\n{own}".encode()).hexdigest()


def _read_theme(folder: Path) -> Theme:
    shown = _shown(folder / THEME_FILE)
    own, root = _read_tokens(folder / THEME_FILE, shown)
    default, _ = _read_tokens(DEFAULT_THEME_DIR / THEME_FILE, _shown(DEFAULT_THEME_DIR / THEME_FILE))
    # Typed as content is: the same messages, at the same places.
    tokens, problems = validate_node(
        Tokens, root or _EMPTY, YamlFile(shown), "theme.yaml", data=_merge_tokens(default, own)
    )
    if tokens is None:
        raise ThemeError(_with_hints(problems, root))
    # The theme's own font files come first (_merge_tokens), relative to its folder; the
    # default theme's that follow stay relative to the default theme's folder.
    own_fonts = own.get("fonts") if isinstance(own.get("fonts"), dict) else {}
    own_count = len(own_fonts["files"]) if isinstance(own_fonts.get("files"), list) else 0
    files, missing = [], []
    for index, entry in enumerate(tokens.fonts.files):  # type: ignore[union-attr]
        font_base = folder if index < own_count else DEFAULT_THEME_DIR.resolve()
        path = (font_base / entry.file).resolve()
        if path.is_relative_to(font_base) and path.is_file():
            files.append(FontFile(entry.family, entry.weight, entry.style, path))
            continue
        node = _at(root, "fonts", "files", index, "file") if font_base == folder else None
        line, column = (node.line, node.column) if node else (1, 1)
        outside = not path.is_relative_to(font_base)
        missing.append(
            error(
                shown,
                line,
                column,
                f"font file {entry.file!r} "
                + ("leads out of the theme's folder" if outside else "not found in the theme's folder"),
                "name a file relative to the theme's folder, e.g. fonts/NotoSans-Regular.ttf",
            )
        )
    missing += _script_font_problems(tokens, own, root, folder, shown)
    if not missing:
        missing += family_problems(tokens, root, shown)  # type: ignore[arg-type]
        missing += css_file_problems(tokens, root, folder, shown)  # type: ignore[arg-type]
    if missing:
        raise ThemeError(missing)
    own_scripts = own.get("scripts")
    return Theme(
        folder=folder,
        tokens=tokens,  # type: ignore[arg-type]
        font_files=tuple(files),
        own_scripts=frozenset(own_scripts) if isinstance(own_scripts, dict) else frozenset(),
    )


_EMPTY = Node("map", 1, 1, 0, 0)

# Installed fonts a theme may name (`system:` in a script of the font chain), and no other file.
SYSTEM_FONTS = Path("/usr/share/fonts")


def _script_font_problems(
    tokens: Tokens, own: dict, root: Node | None, folder: Path, shown: str
) -> list[Diagnostic]:
    """Each font of the script chain that is not where the theme says, at its line: a file in
    its theme's folder (the default theme's for the scripts it brings), a system font under
    /usr/share/fonts (a theme may come from a partner: it never names other files)."""
    own_scripts = own.get("scripts") if isinstance(own.get("scripts"), dict) else {}
    problems = []
    for key, script in tokens.scripts.items():
        if script is None:
            continue
        mine = key in own_scripts
        base = folder if mine else DEFAULT_THEME_DIR.resolve()
        for index, entry in enumerate(script.files):
            node = _at(root, "scripts", key, "files", index) if mine else None
            if entry.system is not None:
                path = Path(entry.system)
                if path.is_absolute() and ".." not in path.parts and path.is_relative_to(SYSTEM_FONTS):
                    continue
                message = f"scripts.{key}: a system font is a file under {SYSTEM_FONTS}/, not {path}"
                hint = f"name an installed font, e.g. {SYSTEM_FONTS}/opentype/noto/NotoSansCJK-Regular.ttc"
                node = _at(node, "system") or node
            else:
                path = (base / str(entry.file)).resolve()
                if path.is_relative_to(base) and path.is_file():
                    continue
                message = f"scripts.{key}: font file {entry.file!r} not found in the theme's folder"
                hint = "name a file relative to the theme's folder, e.g. fonts/NotoSansHebrew-Regular.ttf"
                node = _at(node, "file") or node
            line, column = (node.line, node.column) if node else (1, 1)
            problems.append(
                error(shown if mine else _shown(DEFAULT_THEME_DIR / THEME_FILE), line, column, message, hint)
            )
    return problems


def _read_tokens(path: Path, shown: str) -> tuple[dict, Node | None]:
    """theme.yaml -> (its plain data, its root node), or ThemeError with every problem."""
    try:
        too_large = size_problem(path.stat().st_size)
        raw = b"" if too_large else path.read_bytes()
    except OSError as exc:
        raise ThemeError(
            [error(shown, 1, 1, f"cannot read the theme's tokens: {exc.strerror or exc}")]
        ) from None
    if too_large:
        raise ThemeError([error(shown, 1, 1, too_large.message, "a theme.yaml holds a few tokens")])
    # A theme may come from a partner: yamlsource refuses aliases (no alias bombs in the
    # main process), tags and duplicate keys, as in content.
    source = read_yaml(shown, raw)
    if source.problems:
        raise ThemeError([error(shown, p.line, p.column, p.message, p.hint) for p in source.problems])
    root = source.root
    if root is None:
        return {}, None
    if root.kind != "map":
        raise ThemeError(
            [
                error(
                    shown,
                    root.line,
                    root.column,
                    "a theme.yaml must be a mapping of tokens",
                    "start with a line such as 'colors:' (see docs/themes.md)",
                )
            ]
        )
    return root.data(), root


def _with_hints(problems: list[Diagnostic], root: Node | None) -> list[Diagnostic]:
    """The typing's diagnostics, with the unit or quoting hint of the token each is about."""
    paths = _paths(root) if root is not None else {}
    out = []
    for problem in problems:
        found = paths.get((problem.location.line, problem.location.column))
        if problem.hint is None and found is not None:
            path, empty = found
            problem = Diagnostic(problem.location, problem.message, problem.severity, hint_for(path, empty))
        out.append(problem)
    return out


def _paths(root: Node) -> dict[tuple[int, int], tuple[tuple[str | int, ...], bool]]:
    """(line, column) of every key and value -> (its token path, whether the value is empty)."""
    found: dict[tuple[int, int], tuple[tuple[str | int, ...], bool]] = {}

    def visit(node: Node, path: tuple[str | int, ...]) -> None:
        empty = node.kind == "scalar" and node.value is None
        found.setdefault((node.line, node.column), (path, empty))
        for key, value in node.pairs:
            child = (*path, key.value or "")
            # A mapping starts where its first key does: the key is what a message is about.
            found[(key.line, key.column)] = (child, value.kind == "scalar" and value.value is None)
            visit(value, child)
        for index, item in enumerate(node.items):
            visit(item, (*path, index))

    visit(root, ())
    return found


def _at(node: Node | None, *path: str | int) -> Node | None:
    return node.at(*path) if node is not None else None


def _shown(path: Path) -> str:
    """A theme file as a user knows it: templates/NAME/theme.yaml, or the built-in theme's."""
    path = path.resolve()
    if path.is_relative_to(BUILTIN_THEMES.resolve()):
        return "<built-in themes>/" + path.relative_to(BUILTIN_THEMES.resolve()).as_posix()
    parts = path.parts
    if "templates" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("templates") - 1 :])
    return path.name


def _merge_tokens(default: dict, own: dict) -> dict:
    """The theme's tokens over the default theme's. A script of the font chain is replaced
    whole (its files belong to one folder), or removed with `name: ~`. `fonts.files` extends
    the default theme's list (the theme's own entries first, so their indices are the ones
    written): a theme that adds a brand font keeps the default body and heading fonts, and
    an entry of the same family, weight and style replaces the default's."""
    merged = _merge(default, {k: v for k, v in own.items() if k != "scripts"})
    own_files = (own.get("fonts") or {}).get("files") if isinstance(own.get("fonts"), dict) else None
    default_files = (default.get("fonts") or {}).get("files")
    if isinstance(own_files, list) and isinstance(default_files, list):
        mine = {_font_key(entry) for entry in own_files}
        merged["fonts"]["files"] = own_files + [e for e in default_files if _font_key(e) not in mine]
    scripts = own.get("scripts")
    if isinstance(scripts, dict) and isinstance(default.get("scripts"), dict):
        merged["scripts"] = {**default["scripts"], **scripts}
    elif "scripts" in own:
        merged["scripts"] = scripts  # not a mapping: the typing says so, at its line
    return merged


def _font_key(entry: object) -> tuple:
    if not isinstance(entry, dict):
        return (id(entry),)
    return (str(entry.get("family")), str(entry.get("weight", 400)), str(entry.get("style", "normal")))


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged
