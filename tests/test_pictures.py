"""Pictures in messages: checked and re-encoded before they are stored, in zip packs and
packs on disk, refused whole with their place named, and served by hash for good."""

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from scenarios.models import Message, Picture, Scenario, ScenarioVersion
from scenarios.pictures import MAX_SIDE, PictureRefused, picture_clean

PACKS = Path(__file__).parent / "packs"


def png(size=(40, 30), colour=(200, 30, 30), info: PngInfo | None = None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x9003] = "2024:01:02 03:04:05"  # DateTimeOriginal
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def bomb() -> bytes:
    """A PNG of a few dozen bytes whose header says 100 000 × 100 000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


# Re-encoding ---------------------------------------------------------------------------


def test_a_png_loses_its_text_chunks_and_is_named_by_the_hash_of_what_is_kept():
    info = PngInfo()
    info.add_text("Author", "someone@example.com")
    clean = picture_clean(png(info=info), "photo.png")
    assert clean.content_type == "image/png"
    assert (clean.width, clean.height) == (40, 30)
    assert b"someone@example.com" not in clean.data
    assert Image.open(io.BytesIO(clean.data)).info.get("Author") is None
    # Our own output comes back unchanged: an exported pack imports again as it was.
    assert picture_clean(clean.data, "again.png").sha256 == clean.sha256


def test_a_jpeg_loses_its_exif():
    raw = jpeg_with_exif()
    assert b"CameraMaker" in raw
    clean = picture_clean(raw, "photo.jpeg")
    assert clean.content_type == "image/jpeg" and clean.extension == "jpg"
    assert b"CameraMaker" not in clean.data
    assert not Image.open(io.BytesIO(clean.data)).getexif()


def test_a_webp_is_taken_and_a_large_picture_scaled_to_the_longest_side():
    out = io.BytesIO()
    Image.new("RGB", (MAX_SIDE * 2, MAX_SIDE), (0, 0, 0)).save(out, "WEBP")
    clean = picture_clean(out.getvalue(), "wide.webp")
    assert clean.content_type == "image/webp"
    assert (clean.width, clean.height) == (MAX_SIDE, MAX_SIDE // 2)


@pytest.mark.parametrize(
    ("raw", "name", "said"),
    [
        (bomb(), "tiny.png", "decompression bomb"),
        (jpeg_with_exif(), "photo.png", "a JPEG picture but its name ends in .png"),
        (SVG_WITH_SCRIPT, "drawing.png", "SVG"),
        (SVG_WITH_SCRIPT, "drawing.svg", "SVG"),
        (b"GIF89a" + b"\0" * 30, "anim.png", "not a PNG, JPEG or WebP"),
        (png(), "picture.gif", "must end in .png, .jpg, .jpeg or .webp"),
        (png()[:60], "cut.png", "damaged"),
    ],
)
def test_what_is_not_a_plain_picture_is_refused_with_the_reason(raw, name, said):
    with pytest.raises(PictureRefused, match=said):
        picture_clean(raw, name)


# Packs ---------------------------------------------------------------------------------


def pack_with_picture(image="pictures/phone.png", alt="A phone in a box, photographed close"):
    pack = json.loads((PACKS / "outsider.json").read_text(encoding="utf-8"))
    message = pack["scenarios"][0]["steps"][0]["messages"][0]
    message["image"] = image
    if alt is not None:
        message["alt"] = alt
    return pack


def zip_pack(pack: dict, files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("pack.json", json.dumps(pack, ensure_ascii=False))
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def run_import(path: Path) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_scenarios", str(path), stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def the_message() -> Message:
    return Message.objects.select_related("picture").get(
        key="m1", step__version__scenario__slug="instagram-phone-seller"
    )


@pytest.mark.django_db
def test_a_zip_pack_brings_its_pictures_and_imports_again_unchanged(tmp_path):
    path = tmp_path / "pack.zip"
    path.write_bytes(zip_pack(pack_with_picture(), {"pictures/phone.png": png()}))
    out, _err = run_import(path)
    assert "instagram-phone-seller (en): created" in out
    message = the_message()
    assert message.alt == "A phone in a box, photographed close"
    assert message.picture.content_type == "image/png"
    assert bytes(message.picture.data) == picture_clean(png(), "x.png").data
    out, _err = run_import(path)
    assert "instagram-phone-seller (en): unchanged" in out

    # Exported, the pack is a zip naming the picture by its hash; imported, it is unchanged.
    exported = tmp_path / "out.zip"
    call_command("export_scenarios", "--output", str(exported))
    with zipfile.ZipFile(exported) as archive:
        names = set(archive.namelist())
        pack = json.loads(archive.read("pack.json"))
    image = pack["scenarios"][0]["steps"][0]["messages"][0]["image"]
    assert image == f"images/{message.picture.sha256}.png"
    assert names == {"pack.json", image}
    out, _err = run_import(exported)
    assert "instagram-phone-seller (en): unchanged" in out
    assert Picture.objects.count() == 1


@pytest.mark.django_db
def test_a_json_pack_on_disk_finds_its_pictures_in_its_folder(tmp_path):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "phone.png").write_bytes(png())
    path = tmp_path / "pack.json"
    path.write_text(json.dumps(pack_with_picture()), encoding="utf-8")
    run_import(path)
    assert the_message().picture is not None


@pytest.mark.django_db
def test_export_without_output_says_a_pack_with_pictures_is_a_zip(tmp_path):
    path = tmp_path / "pack.zip"
    path.write_bytes(zip_pack(pack_with_picture(), {"pictures/phone.png": png()}))
    run_import(path)
    with pytest.raises(CommandError, match="--output PACK.zip"):
        call_command("export_scenarios", stdout=io.StringIO())


def refused(tmp_path: Path, data: bytes, name="pack.zip") -> list[str]:
    path = tmp_path / name
    path.write_bytes(data)
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_scenarios", str(path), stdout=io.StringIO(), stderr=stderr)
    assert not Scenario.objects.exists() and not Picture.objects.exists()
    assert not ScenarioVersion.objects.exists()
    return stderr.getvalue().splitlines()


PLACE = "scenarios[0].steps[0].messages[0]"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_name", "data", "said"),
    [
        ("pictures/phone.png", bomb(), "decompression bomb"),
        ("pictures/phone.png", jpeg_with_exif(), "a JPEG picture but its name ends in .png"),
        ("pictures/phone.png", SVG_WITH_SCRIPT, "an SVG or other markup file"),
    ],
)
def test_a_bad_picture_refuses_the_whole_pack_naming_its_place(tmp_path, file_name, data, said):
    # A second, good scenario in the same pack is not imported either.
    lines = refused(tmp_path, zip_pack(pack_with_picture(), {file_name: data}))
    assert len(lines) == 1
    assert lines[0].startswith(f"{tmp_path}/pack.zip: {PLACE}.image: {file_name}: ")
    assert said in lines[0]


@pytest.mark.django_db
def test_an_svg_file_name_is_refused_by_its_place(tmp_path):
    pack = pack_with_picture(image="pictures/logo.svg")
    lines = refused(tmp_path, zip_pack(pack, {"pictures/logo.svg": SVG_WITH_SCRIPT}))
    assert f"{PLACE}.image: " in lines[0] and ".png, .jpg, .jpeg or .webp" in lines[0]


@pytest.mark.django_db
def test_a_missing_picture_a_missing_alt_and_an_alt_in_another_language_are_refused(tmp_path):
    lines = refused(tmp_path, zip_pack(pack_with_picture(), {}))
    assert lines == [
        f"{tmp_path}/pack.zip: {PLACE}.image: pictures/phone.png: the zip holds no such file"
    ]
    lines = refused(tmp_path, zip_pack(pack_with_picture(alt=None), {"pictures/phone.png": png()}))
    assert lines == [
        f"{tmp_path}/pack.zip: {PLACE}: a picture needs its text (alt): what it shows, in words"
    ]
    pack = pack_with_picture(alt="Телефон в коробке")
    lines = refused(tmp_path, zip_pack(pack, {"pictures/phone.png": png()}))
    assert lines == [
        f"{tmp_path}/pack.zip: {PLACE}.alt: the picture's text must be written in "
        "the scenario's language (en)"
    ]


@pytest.mark.django_db
def test_a_zip_that_climbs_out_of_its_folder_or_holds_two_packs_is_refused(tmp_path):
    lines = refused(tmp_path, zip_pack(pack_with_picture(), {"../evil.png": png()}))
    assert lines == [f"{tmp_path}/pack.zip: ../evil.png lies outside the pack's folder"]
    lines = refused(tmp_path, zip_pack(pack_with_picture(), {"other.json": b"{}"}))
    assert "exactly one .json file" in lines[0]


# Serving -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_picture_is_served_by_its_hash_with_caching_for_good(client, django_assert_num_queries):
    clean = picture_clean(png(), "x.png")
    Picture.objects.create(
        sha256=clean.sha256, content_type="image/png", width=40, height=30, data=clean.data
    )
    url = f"/pictures/{clean.sha256}.png"
    with django_assert_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{clean.sha256}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(clean.data))
    assert response.content == clean.data
    # Asked again with its ETag: not modified, and no query.
    with django_assert_num_queries(0):
        again = client.get(url, headers={"If-None-Match": f'"{clean.sha256}"'})
    assert again.status_code == 304 and again["ETag"] == f'"{clean.sha256}"'
    assert client.get(f"/pictures/{clean.sha256}.jpg").status_code == 404
    assert client.get(f"/pictures/{'0' * 64}.png").status_code == 404
    assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_the_play_page_shows_the_picture_with_its_text(tmp_path, client):
    path = tmp_path / "pack.zip"
    path.write_bytes(zip_pack(pack_with_picture(), {"pictures/phone.png": png()}))
    run_import(path)
    picture = the_message().picture
    response = client.post("/s/instagram-phone-seller/en/", follow=True)
    html = response.content.decode()
    assert (
        f'<img class="message-picture" src="/pictures/{picture.sha256}.png" '
        'alt="A phone in a box, photographed close" width="40" height="30"'
    ) in html


# The admin -----------------------------------------------------------------------------


def _upload_step(author_client, alt: str, data: bytes, name: str = "phone.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.authoring import step_form
    from tests.factories import build_scenario

    version = build_scenario(published=False, scenes=1).versions.get()
    scene = version.steps.get(key="scene-0")
    scene.messages.all().delete()
    scene.choices.all().delete()
    safe, scammed = version.steps.get(key="safe"), version.steps.get(key="scammed")
    rows = [
        {
            "text": "Look at the phone",
            "flag": "",
            "explanation": "",
            "key": "",
            "order": "",
            "alt": alt,
            "upload": SimpleUploadedFile(name, data),
        }
    ]
    choices = [
        {"text": "Pay", "verdict": "harmful", "feedback": "", "next_step": str(scammed.pk)},
        {"text": "Ask", "verdict": "safe", "feedback": "", "next_step": str(safe.pk)},
    ]
    form = step_form(scene, messages=rows, choices=choices)
    url = reverse("admin:scenarios_step_change", args=[scene.pk])
    return author_client.post(url, form), scene


@pytest.mark.django_db
def test_an_author_uploads_a_picture_with_its_text_in_the_message_form(author_client):
    response, scene = _upload_step(author_client, "A phone in a box", png())
    assert response.status_code == 302
    message = scene.messages.get()
    assert message.alt == "A phone in a box"
    assert bytes(message.picture.data) == picture_clean(png(), "x.png").data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("alt", "data", "said"),
    [
        ("", png(), "A picture needs its text"),
        ("A phone", bomb(), "decompression bomb"),
        ("A phone", SVG_WITH_SCRIPT, "SVG"),
    ],
)
def test_the_message_form_refuses_a_bad_picture_or_one_without_text(author_client, alt, data, said):
    response, scene = _upload_step(author_client, alt, data)
    assert response.status_code == 200
    assert said in response.content.decode()
    assert not scene.messages.exists() and not Picture.objects.exists()


# The built-in content ------------------------------------------------------------------

CONTENT = Path(__file__).resolve().parent.parent / "content"
CASES_WITH_PICTURES = {
    "case-phone-seller.json": "pictures/phone-post.png",
    "case-multiply-money.json": "pictures/payout-screenshots.png",
    "case-found-documents.json": "pictures/found-id-card.png",
    "scam-fast-delivery.json": "pictures/shop-page.png",
}


@pytest.mark.django_db
def test_the_built_in_cases_show_the_pictures_they_talk_about_in_every_language():
    paths = [CONTENT / "red-flag-types.json", *(CONTENT / name for name in CASES_WITH_PICTURES)]
    call_command("import_scenarios", *map(str, paths), stdout=io.StringIO())
    for name, image in CASES_WITH_PICTURES.items():
        expected = picture_clean((CONTENT / image).read_bytes(), image)
        pack = json.loads((CONTENT / name).read_text(encoding="utf-8"))
        for scenario in pack["scenarios"]:
            shown = Message.objects.filter(
                step__version__scenario__slug=scenario["slug"],
                step__version__scenario__language=scenario["language"],
                picture_id=expected.sha256,
            )
            assert shown.count() == 1, (name, scenario["language"])
            assert shown.get().alt.strip()
    assert Picture.objects.count() == len(CASES_WITH_PICTURES)


@pytest.mark.django_db
def test_the_admin_exports_a_pack_with_pictures_as_a_zip_and_imports_it_back(
    author_client, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    path = tmp_path / "pack.zip"
    path.write_bytes(zip_pack(pack_with_picture(), {"pictures/phone.png": png()}))
    run_import(path)
    response = author_client.post(
        reverse("admin:scenarios_scenario_changelist"),
        {
            "action": "export_selected",
            "_selected_action": [s.pk for s in Scenario.objects.all()],
            "download": "yes",
        },
    )
    assert response["Content-Type"] == "application/zip"
    assert 'filename="saq-scenarios.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert len(archive.namelist()) == 2 and "saq-scenarios.json" in archive.namelist()
    upload = SimpleUploadedFile("saq-scenarios.zip", response.content, "application/zip")
    page = author_client.post(reverse("admin:scenarios_scenario_import"), {"packs": [upload]})
    assert "instagram-phone-seller (en): unchanged" in page.content.decode()


@pytest.mark.django_db
def test_a_jpeg_exported_and_imported_again_is_the_same_picture(tmp_path):
    """JPEG is re-encoded when it comes in; its stored bytes coming back are kept as they are,
    so the export of a pack imports again as unchanged."""
    path = tmp_path / "pack.zip"
    pack = pack_with_picture(image="pictures/phone.jpg")
    path.write_bytes(zip_pack(pack, {"pictures/phone.jpg": jpeg_with_exif()}))
    run_import(path)
    exported = tmp_path / "out.zip"
    call_command("export_scenarios", "--output", str(exported))
    out, _err = run_import(exported)
    assert "instagram-phone-seller (en): unchanged" in out
    assert Picture.objects.get().content_type == "image/jpeg"


@pytest.mark.django_db
def test_the_steps_page_shows_the_picture_small_on_a_draft_and_a_published_version(
    author_client, tmp_path
):
    from django.urls import reverse

    from scenarios.authoring.drafts import draft_start

    path = tmp_path / "pack.zip"
    path.write_bytes(zip_pack(pack_with_picture(), {"pictures/phone.png": png()}))
    run_import(path)
    published = the_message()
    scenario = published.step.version.scenario
    draft = draft_start(scenario=scenario)
    drafted = Message.objects.get(step__version=draft, key="m1")
    assert drafted.picture_id == published.picture_id and drafted.alt == published.alt
    for message in (published, drafted):
        url = reverse("admin:scenarios_step_change", args=[message.step_id])
        html = author_client.get(url).content.decode()
        src = f"/pictures/{published.picture_id}.png"
        assert f'<img src="{src}" alt="A phone in a box, photographed close" width="120">' in html


@pytest.mark.django_db
def test_a_zip_pack_waiting_for_the_authors_answer_keeps_its_pictures(client):
    """Over a draft with edits the admin asks first; the zip's pictures wait with the pack in
    the author's session and are imported with it once the author says yes."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.authoring import author
    from tests.test_authoring_import_drafts import edited_draft

    edited_draft()
    client.force_login(author())
    data = zip_pack(pack_with_picture(), {"pictures/phone.png": png()})
    url = reverse("admin:scenarios_scenario_import")
    asked = client.post(url, {"packs": [SimpleUploadedFile("p.zip", data, "application/zip")]})
    assert "drafts would be set aside" in asked.content.decode()
    assert not Picture.objects.exists()
    done = client.post(url, {"confirm": asked.context["pending_token"]})
    assert "instagram-phone-seller (en): new version 3" in done.content.decode()
    message = Message.objects.get(step__version__number=3, key="m1")
    assert bytes(message.picture.data) == picture_clean(png(), "x.png").data
