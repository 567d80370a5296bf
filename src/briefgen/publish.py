"""Publish: checked temporary files -> outputs in place and OUT/manifest.json, atomically.

Writers write to hidden temporary files inside OUT (same file system, so os.replace is
atomic). Publishing moves each into place and rewrites the manifest through a temporary
file too, so a reader sees either the old or the new manifest, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

MANIFEST = "manifest.json"
TEMP_MARK = ".briefgen-tmp-"


@dataclass
class TempOutput:
    job: Any  # plan.Job
    format: str
    relpath: str
    temp: Path
    pages: int | None = None
    record: dict | None = None  # extra manifest fields (inputs for incremental builds)
    companions: tuple[Path, ...] = ()  # temporary folders published beside the file


class Removal(NamedTuple):
    """Outputs an earlier build wrote that the project no longer defines."""

    removed: list[str]  # removed, with their resource folders
    left: list[str]  # changed since briefgen wrote them: left in place, no longer listed


class Publisher:
    def __init__(self, out: Path):
        self.out = out

    def target(self, relpath: str) -> Path:
        target = (self.out / relpath).resolve()
        if not target.is_relative_to(self.out.resolve()):
            raise ValueError(f"{relpath}: an output path must stay inside the output folder")
        return target

    def temp_path(self, relpath: str) -> Path:
        target = self.target(relpath)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target.with_name(f"{TEMP_MARK}{secrets.token_hex(6)}-{target.name}")

    def discard(self, outputs: list[TempOutput]) -> None:
        for output in outputs:
            output.temp.unlink(missing_ok=True)
            for folder in output.companions:
                shutil.rmtree(folder, ignore_errors=True)

    def publish(
        self,
        outputs: list[TempOutput],
        version: str,
        defined: set[str] | None = None,
        project: str | None = None,
        previous: list[dict] | None = None,
    ) -> dict:
        """Move outputs into place; rewrite the manifest. `defined`: relpaths the project
        defines; `project`: its name, recorded as the manifest's `project`; `previous`: the
        entries of the manifest as the caller read it (else it is read here)."""
        if previous is None:
            previous = self.read_manifest().get("outputs", [])
        entries = {e["path"]: e for e in previous}
        for output in outputs:
            target = self.target(output.relpath)
            data = output.temp.read_bytes()
            for folder in output.companions:
                final = companion_name(target, folder, output.temp)
                shutil.rmtree(final, ignore_errors=True)
                os.replace(folder, final)
            os.replace(output.temp, target)
            job = output.job
            entry = {
                "brief": job.brief_id,
                "audience": job.audience_id,
                "language": job.language,
                "format": output.format,
                "recipient": job.recipient_id,
                "path": output.relpath,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
            if output.pages is not None:
                entry["pages"] = output.pages
            if output.record:
                entry.update(output.record)
            entries[output.relpath] = entry
        kept = [
            e
            for path, e in sorted(entries.items())
            if (defined is None or path in defined) and (self.out / path).is_file()
        ]
        manifest = {"briefgen": version, **({"project": project} if project else {}), "outputs": kept}
        self._write_manifest(manifest)
        return manifest

    def remove_undefined(self, previous: list, defined: set[str]) -> Removal:
        """After publishing: remove the outputs the `previous` manifest listed that the
        project no longer defines (an audience or a brief taken out, a recipient gone): a
        confidential copy must not stay beside the public ones in a folder that is shared as
        a whole. Only a file that is still as briefgen wrote it (the sha256 its entry
        recorded) is removed, an HTML file with its resource folder; one changed since is the
        user's and stays, as does one that cannot be removed (`left`, no longer listed either
        way). Folders left empty go. The caller makes sure the previous manifest is this
        project's (build.py): another project's outputs in a shared folder are not its own."""
        removed: list[str] = []
        left: list[str] = []
        # On a file system that ignores case, "x.pt-br.pdf" is the file "x.pt-BR.pdf" names.
        kept = {path.casefold() for path in defined}
        for entry in previous:
            if not isinstance(entry, dict):
                continue
            path, digest = entry.get("path"), entry.get("sha256")
            if not isinstance(path, str) or not isinstance(digest, str) or path.casefold() in kept:
                continue
            try:
                target = self.target(path)
            except ValueError:
                continue
            try:
                if not target.is_file() or (self.out / path).is_symlink():
                    continue
                if hashlib.sha256(target.read_bytes()).hexdigest() != digest:
                    left.append(path)
                    continue
                target.unlink()
            except OSError as exc:  # open in a viewer that locks it, say
                left.append(f"{path} ({exc.strerror or exc})")
                continue
            removed.append(path)
            resources = target.with_name(target.stem + "_files")
            if target.suffix == ".html" and resources.is_dir() and not resources.is_symlink():
                shutil.rmtree(resources, ignore_errors=True)
            folder, top = target.parent, self.out.resolve()
            with contextlib.suppress(OSError):
                while folder != top and folder.is_relative_to(top) and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent
        return Removal(removed, left)

    def read_manifest(self) -> dict:
        try:
            data = json.loads((self.out / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_manifest(self, manifest: dict) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        temp = self.out / f"{TEMP_MARK}{secrets.token_hex(6)}-{MANIFEST}"
        temp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temp, self.out / MANIFEST)

    def sweep_temporaries(self) -> None:
        """Remove temporary files and folders a killed build left behind."""
        if self.out.is_dir():
            for stale in sorted(self.out.rglob(f"{TEMP_MARK}*"), reverse=True):
                if stale.is_dir() and not stale.is_symlink():
                    shutil.rmtree(stale, ignore_errors=True)
                else:
                    stale.unlink(missing_ok=True)


def final_name(temp: Path) -> str:
    """The published name of a temporary file made by Publisher.temp_path."""
    name = temp.name
    if name.startswith(TEMP_MARK):
        return name[len(TEMP_MARK) :].split("-", 1)[1]
    return name


def companion_name(target: Path, folder: Path, temp: Path) -> Path:
    """Where a companion folder of `temp` goes when `temp` is published as `target`:
    "<temp name>_files" -> "<target stem>_files"."""
    suffix = folder.name.removeprefix(temp.name)
    return target.with_name(target.stem + suffix)
