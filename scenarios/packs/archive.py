"""Packs with pictures: a zip holding one pack (JSON) and the pictures its messages name,
or a JSON file on disk with its pictures in its folder (the built-in content).

Reading a zip is guarded like any upload: at most MAX_FILES entries, each and all
together at most MAX_UNPACKED_BYTES once unpacked (a zip bomb is refused before it is
unpacked, from the sizes its directory declares, and again while reading), no entry
outside the archive's root. Every picture is then checked and re-encoded
(`scenarios.pictures.picture_clean`); a refused picture refuses the whole import, its
problem naming the pack, the message and the file.
"""

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from scenarios.models import Picture, picture_extension
from scenarios.pictures import (
    FORMATS,
    MAX_UPLOAD_BYTES,
    CleanPicture,
    PictureRefused,
    picture_clean,
)

from .exporter import PICTURE_FOLDER
from .picture_rules import image_name_problem
from .rules import Path_, place
from .validation import read_pack

ZIP_MAGIC = b"PK\x03\x04"
# A stored picture's extension -> the extensions its file may have in a pack.
EXTENSIONS_OF = {extension: names for _type, extension, names in FORMATS.values()}
MAX_FILES = 200
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


class PackFiles:
    """The files beside a pack, by the names its messages give; None when there is none."""

    def read(self, name: str) -> bytes | None:
        return None

    def where(self) -> str:
        """How a missing file's problem says where it was looked for."""
        return _("a pack with pictures is a .zip holding the JSON and its pictures")


class ZipFiles(PackFiles):
    def __init__(self, files: dict[str, bytes]):
        self.files = files

    def as_text(self, names: set[str]) -> dict[str, str]:
        """The files named, as text a session can keep (an import waiting for an answer)."""
        return {
            name: base64.b64encode(self.files[name]).decode() for name in names & set(self.files)
        }

    @classmethod
    def from_text(cls, kept: dict[str, str]) -> "ZipFiles":
        return cls({name: base64.b64decode(text) for name, text in kept.items()})

    def read(self, name: str) -> bytes | None:
        return self.files.get(name)

    def where(self) -> str:
        return _("the zip holds no such file")


class FolderFiles(PackFiles):
    """A JSON pack on disk: its pictures are in its folder (`image_name_problem` has already
    refused names that climb out of it)."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()

    def read(self, name: str) -> bytes | None:
        path = (self.folder / name).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            return path.read_bytes()[: MAX_UPLOAD_BYTES + 1]  # refused as too large
        return path.read_bytes()

    def where(self) -> str:
        return _("no such file in %(folder)s") % {"folder": self.folder}


def is_zip(raw: bytes) -> bool:
    return raw.startswith(ZIP_MAGIC)


def read_pack_zip(raw: bytes, *, name: str) -> tuple[dict | None, PackFiles, list[str]]:
    """The pack in a zip and the files beside it; on failure (None, ..., problems)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        entries = [entry for entry in archive.infolist() if not entry.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None, PackFiles(), [_("%(name)s: not a zip file Saq can read") % {"name": name}]
    problem = _zip_shape_problem(entries)
    if problem:
        return None, PackFiles(), [f"{name}: {problem}"]
    packs = [entry for entry in entries if entry.filename.lower().endswith(".json")]
    if len(packs) != 1:
        message = _("%(name)s: a zip pack holds exactly one .json file (the pack), not %(count)d")
        return None, PackFiles(), [message % {"name": name, "count": len(packs)}]
    files: dict[str, bytes] = {}
    try:
        for entry in entries:
            with archive.open(entry) as stream:
                data = stream.read(MAX_UNPACKED_BYTES + 1)
            if len(data) > MAX_UNPACKED_BYTES or len(data) != entry.file_size:
                return None, PackFiles(), [f"{name}: {_too_large()}"]
            files[entry.filename] = data
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return None, PackFiles(), [_("%(name)s: not a zip file Saq can read") % {"name": name}]
    data, problems = read_pack(files.pop(packs[0].filename), name=name)
    return data, ZipFiles(files), problems


def _too_large() -> str:
    return _("unpacks to more than %(limit)d MB; split it into smaller packs") % {
        "limit": MAX_UNPACKED_BYTES // 2**20
    }


def _zip_shape_problem(entries: list[zipfile.ZipInfo]) -> str | None:
    if len(entries) > MAX_FILES:
        return _("holds more than %(limit)d files") % {"limit": MAX_FILES}
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        return _too_large()
    for entry in entries:
        parts = entry.filename.split("/")
        if entry.filename.startswith("/") or "\\" in entry.filename or ".." in parts:
            return _("%(file)s lies outside the pack's folder") % {"file": entry.filename}
    return None


def _images(data: dict) -> Iterator[tuple[Path_, dict]]:
    for i, scenario in enumerate(data.get("scenarios", ())):
        for j, step in enumerate(scenario.get("steps", ())):
            for k, message in enumerate(step.get("messages", ())):
                if "image" in message:
                    yield ("scenarios", i, "steps", j, "messages", k, "image"), message


def pack_pictures(
    packs: list[tuple[str, dict]], files: dict[str, PackFiles]
) -> tuple[dict[tuple[str, str], CleanPicture], list[str]]:
    """Every picture the packs name, checked and re-encoded, by (pack name, image name);
    and the problems, each naming the pack, the message's place and the file."""
    pictures: dict[tuple[str, str], CleanPicture] = {}
    problems: list[str] = []
    for pack_name, data in packs:
        beside = files.get(pack_name, PackFiles())
        for path, message in _images(data):
            image = message["image"]
            if (pack_name, image) in pictures or image_name_problem(image):
                continue
            where = f"{pack_name}: {place(path)}: {image}"
            raw = beside.read(image)
            if raw is None:
                problems.append(f"{where}: {beside.where()}")
                continue
            try:
                pictures[(pack_name, image)] = _stored(raw, image) or picture_clean(raw, image)
            except PictureRefused as refused:
                problems.append(f"{where}: {refused}")
    return pictures, problems


def _stored(raw: bytes, name: str) -> CleanPicture | None:
    """The picture as stored already, when `raw` is exactly a stored picture's bytes (a pack
    exported and imported again): it was checked and re-encoded when it came in, and a JPEG
    or WebP re-encoded again would come out different and look like a new picture."""
    sha256 = hashlib.sha256(raw).hexdigest()
    found = Picture.objects.filter(pk=sha256).values_list("content_type", "width", "height")
    row = found.first()
    if row is None:
        return None
    content_type, width, height = row
    extension = picture_extension(content_type)
    if name.rsplit(".", 1)[-1].lower() not in EXTENSIONS_OF[extension]:
        return None  # checked as any file, and refused for its name
    return CleanPicture(sha256, raw, content_type, extension, width, height)


def picture_file_name(picture: CleanPicture) -> str:
    """A picture's name in an exported pack: the same picture always has the same name."""
    return f"{PICTURE_FOLDER}/{picture.sha256}.{picture.extension}"


def picture_hash(file_name: str) -> str:
    """The hash in a stored picture's name (`picture_file_name`)."""
    return file_name.rsplit("/", 1)[-1].split(".", 1)[0]


def pack_image_names(pack: dict) -> set[str]:
    """The pictures an exported pack's messages name."""
    return {message["image"] for _path, message in _images(pack)}


def pack_as_zip(pack: dict, pack_name: str = "pack.json") -> bytes:
    """An exported pack with pictures as a zip: the pack and each picture it names."""
    names = {picture_hash(name): name for name in pack_image_names(pack)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(pack, ensure_ascii=False, indent=2) + "\n"
        archive.writestr(pack_name, text.encode("utf-8"))
        for sha256, data in Picture.objects.filter(pk__in=names).values_list("pk", "data"):
            # Pictures are compressed already: stored, not deflated again.
            archive.writestr(names[sha256], bytes(data), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()
