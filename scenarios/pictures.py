"""Pictures a message shows: checked and re-encoded with Pillow before anything is stored.

Whatever an author uploads (in the admin or in a zip pack) is opened by Pillow, refused
unless it is a PNG, JPEG or WebP whose content matches its file name, refused when it is
too large in bytes or in pixels (a decompression bomb: a small file that unpacks to
gigabytes is refused from its header, before its pixels are read), and then drawn again
from its pixels alone: EXIF (camera, place, time), ICC profiles, text chunks and every
other piece of metadata are left behind. The first frame of an animation is kept.

The result is named by the SHA-256 of its bytes (`scenarios.models.Picture`): the same
picture uploaded twice is stored once, and a stored picture never changes, so it can be
cached for good. PNG stays PNG (drawings, screenshots: lossless, and re-encoding our own
output gives the same bytes, so an exported pack imports again as unchanged); JPEG and
WebP are re-encoded lossy at a fixed quality.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# What a file may weigh when it comes in, and how many pixels it may unpack to. A phone
# shows at most about 1 000 px across; 40 megapixels is far above any honest upload.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
# The longest side kept: larger pictures are scaled down (a phone screen, twice over).
MAX_SIDE = 1600
JPEG_QUALITY = 85
WEBP_QUALITY = 85

# Pillow's format name -> (content type, file extension, the extensions a file may have).
FORMATS = {
    "PNG": ("image/png", "png", {"png"}),
    "JPEG": ("image/jpeg", "jpg", {"jpg", "jpeg"}),
    "WEBP": ("image/webp", "webp", {"webp"}),
}
EXTENSIONS = {ext for _type, _ext, exts in FORMATS.values() for ext in exts}
CONTENT_TYPES = {ext: content_type for content_type, ext, _exts in FORMATS.values()}


class PictureRefused(ValueError):
    """The file is not a picture Saq takes; the message says why, for the author."""


@dataclass(frozen=True)
class CleanPicture:
    sha256: str
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _looks_like_markup(raw: bytes) -> bool:
    head = raw[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype", b"<html")) or b"<svg" in head


def picture_clean(raw: bytes, name: str) -> CleanPicture:
    """The picture in `raw` (uploaded as `name`) checked and drawn again, or PictureRefused."""
    extension = _extension(name)
    if _looks_like_markup(raw) or extension == "svg":
        raise PictureRefused(
            _("an SVG or other markup file: it can carry scripts; save it as PNG, JPEG or WebP")
        )
    if extension not in EXTENSIONS:
        raise PictureRefused(_("the file name must end in .png, .jpg, .jpeg or .webp"))
    if len(raw) > MAX_UPLOAD_BYTES:
        raise PictureRefused(
            _("larger than %(limit)d MB; make it smaller") % {"limit": MAX_UPLOAD_BYTES // 2**20}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(raw), formats=list(FORMATS))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PictureRefused(_bomb())
            if extension not in FORMATS[image.format][2]:
                raise PictureRefused(
                    _("the file is a %(actual)s picture but its name ends in .%(extension)s")
                    % {"actual": image.format, "extension": extension}
                )
            image.seek(0)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureRefused(_bomb()) from None
    except UnidentifiedImageError:
        raise PictureRefused(_("not a PNG, JPEG or WebP picture Saq can read")) from None
    except (OSError, SyntaxError, ValueError) as error:
        if isinstance(error, PictureRefused):
            raise
        raise PictureRefused(_("the picture is damaged and cannot be read")) from None
    try:
        return _redrawn(image)
    except (OSError, ValueError):
        raise PictureRefused(_("the picture is damaged and cannot be read")) from None


def _bomb() -> str:
    message = _(
        "unpacks to more than %(limit)d million pixels: refused as a decompression bomb; "
        "make the picture smaller"
    )
    return message % {"limit": MAX_PIXELS // 1_000_000}


def _redrawn(image: Image.Image) -> CleanPicture:
    """The pixels alone, turned upright, scaled to MAX_SIDE, encoded without any metadata."""
    source_format = image.format
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha and source_format != "JPEG" else "RGB"
    if image.mode == "L" and source_format != "WEBP":
        mode = "L"
    image = image.convert(mode)
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A new image from the pixels: nothing of the file's info dictionary comes along.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if source_format == "PNG":
        clean.save(out, "PNG", optimize=True)
    elif source_format == "JPEG":
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        clean.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    data = out.getvalue()
    content_type, extension, _exts = FORMATS[source_format]
    return CleanPicture(
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        content_type=content_type,
        extension=extension,
        width=clean.width,
        height=clean.height,
    )
