"""Themes: a folder of design tokens (theme.yaml), fonts and optional templates -> a Theme.

One Theme drives both writers: `css()` turns the tokens into the print CSS that WeasyPrint
uses, and the DOCX writer reads the same tokens to define its Word styles. A theme folder may
also hold `templates/` (found after the project's templates, before the built-in ones) and
`reference.docx` (a designer's Word styles, used instead of generated ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

BUILTIN_THEMES = Path(__file__).parent / "themes"


class ThemeError(Exception):
    """A theme is missing or its theme.yaml is unusable."""


@dataclass(frozen=True)
class FontFile:
    family: str
    weight: int
    style: str
    path: Path


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path
    colors: dict[str, str]
    body_font: str
    heading_font: str
    font_files: tuple[FontFile, ...]
    body_fallback: tuple[str, ...]
    heading_fallback: tuple[str, ...]
    sizes: dict[str, float]
    line_height: float
    paragraph_after: float
    page: dict[str, object]
    logo_width_mm: float
    logo_position: str
    extra: dict = field(default_factory=dict, hash=False, compare=False)
    embed_fonts: bool = True  # fonts.embed: the DOCX carries subsets of the fonts it uses

    @property
    def templates_dir(self) -> Path:
        return self.folder / "templates"

    @property
    def reference_docx(self) -> Path | None:
        ref = self.folder / "reference.docx"
        return ref if ref.is_file() else None

    def color(self, name: str) -> str:
        """A colour token as 6 hex digits without '#', the form Word wants."""
        return self.colors[name].lstrip("#").upper()

    def font_stack(self, role: str) -> str:
        main = self.body_font if role == "body" else self.heading_font
        fallback = self.body_fallback if role == "body" else self.heading_fallback
        return ", ".join(f'"{f}"' for f in (main, *fallback))


def resolve_theme(name: str, project_dir: Path | None = None) -> Path:
    """Find a theme folder: a folder under the project's templates/, else a built-in theme."""
    if ".." in Path(name).parts or Path(name).is_absolute():
        # The theme's folder is a root of the resource sandbox: it must not lead elsewhere.
        raise ThemeError(f"theme {name!r}: a theme is a built-in name or a folder under templates/")
    if project_dir is not None:
        candidate = project_dir / "templates" / name
        if (candidate / "theme.yaml").is_file():
            if not candidate.resolve().is_relative_to((project_dir / "templates").resolve()):
                raise ThemeError(f"theme {name!r}: templates/{name} is a link that leads out of the project")
            return candidate
    candidate = BUILTIN_THEMES / name
    if (candidate / "theme.yaml").is_file():
        return candidate
    known = sorted(p.name for p in BUILTIN_THEMES.iterdir() if (p / "theme.yaml").is_file())
    raise ThemeError(
        f"unknown theme {name!r}: no templates/{name}/theme.yaml in the project and no "
        f"built-in theme of that name (built-in: {', '.join(known)})"
    )


@cache
def load_theme(folder: Path) -> Theme:
    """Read theme.yaml in `folder`; missing tokens take the default theme's values."""
    folder = folder.resolve()
    defaults = _read_tokens(BUILTIN_THEMES / "default" / "theme.yaml")
    tokens = _merge(defaults, _read_tokens(folder / "theme.yaml"))
    fonts = tokens["fonts"]
    # Font files named by the default theme stay relative to the default theme folder.
    own_files = _read_tokens(folder / "theme.yaml").get("fonts", {}).get("files")
    font_base = folder if own_files else BUILTIN_THEMES / "default"
    files = []
    for entry in fonts["files"]:
        path = (font_base / entry["file"]).resolve()
        if not path.is_relative_to(font_base.resolve()) or not path.is_file():
            raise ThemeError(f"{_shown(folder / 'theme.yaml')}: font file {entry['file']!r} not found")
        files.append(
            FontFile(entry["family"], int(entry.get("weight", 400)), entry.get("style", "normal"), path)
        )
    embed_fonts = fonts.get("embed", True)
    if not isinstance(embed_fonts, bool):
        raise ThemeError(f"{_shown(folder / 'theme.yaml')}: fonts.embed must be true or false")
    spacing = tokens["spacing"]
    return Theme(
        name=str(tokens.get("name", folder.name)),
        folder=folder,
        colors={k: str(v) for k, v in tokens["colors"].items()},
        body_font=fonts["body"],
        heading_font=fonts["heading"],
        font_files=tuple(files),
        body_fallback=tuple(fonts.get("fallback", {}).get("body", [])),
        heading_fallback=tuple(fonts.get("fallback", {}).get("heading", [])),
        sizes={k: float(v) for k, v in tokens["sizes"].items()},
        line_height=float(spacing["line_height"]),
        paragraph_after=float(spacing["paragraph_after"]),
        page=dict(tokens["page"]),
        logo_width_mm=float(tokens["logo"]["width"]),
        logo_position=str(tokens["logo"]["position"]),
        extra={k: v for k, v in tokens.items() if k not in _KNOWN_KEYS},
        embed_fonts=embed_fonts,
    )


_KNOWN_KEYS = {"name", "colors", "fonts", "sizes", "spacing", "page", "logo"}


def _read_tokens(path: Path) -> dict:
    try:
        if path.stat().st_size > 1024 * 1024:
            raise ThemeError(f"{_shown(path)}: larger than 1 MiB; a theme.yaml holds a few tokens")
        data = _load_tokens(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ThemeError(f"{_shown(path)}: cannot read theme tokens: {exc}") from None
    if not isinstance(data, dict):
        raise ThemeError(f"{_shown(path)}: a theme.yaml must be a mapping of tokens")
    return data


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when pyyaml has it


def _load_tokens(text: str):
    """Safe YAML without aliases: a theme may come from a partner, and an alias bomb in it
    would exhaust memory in the main process, outside the workers' limits. The events are
    checked first, so an alias is refused before anything is built."""
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.YAMLError(f"line {event.start_mark.line + 1}: YAML aliases are not allowed in a theme")
    return yaml.load(text, Loader=_LOADER)


def _shown(path: Path) -> str:
    """A theme file as a user knows it: templates/NAME/theme.yaml, or the built-in theme's."""
    path = path.resolve()
    if path.is_relative_to(BUILTIN_THEMES.resolve()):
        return "<built-in themes>/" + path.relative_to(BUILTIN_THEMES.resolve()).as_posix()
    parts = path.parts
    if "templates" in parts:
        return "/".join(parts[len(parts) - parts[::-1].index("templates") - 1 :])
    return path.name


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged
