"""Photos (R19): up to 3 JPEG or PNG files of up to 10 MB, decoded to prove they are images,
re-encoded without their metadata, stored outside the web root and shown only to their owner."""

import io

import pytest
from PIL import Image, PngImagePlugin
from sqlalchemy import select

from adapters.db.accounts import NewAccount, SqlAccounts
from adapters.db.tables.repairs import RepairRow
from repairs.refs import RepairRef
from tests.support.forms import csrf_token_from, submit
from tests.support.page_checker import assert_good_page
from tests.web.report.support import PASSWORD, image_bytes, send, start, to_check_answers, triage

pytestmark = pytest.mark.web

GPS_IFD, MAKE, ORIENTATION = 0x8825, 0x010F, 0x0112


@pytest.fixture
def at_photos(tenant):
    start(tenant)
    triage(tenant, "kitchen", "sink_and_taps", "sink_blocked")
    submit(tenant, "/report/description", {"description": "Sink will not drain"})
    return tenant


def upload(client, data: bytes, name: str = "photo.jpg", action: str = "upload"):
    token = csrf_token_from(client.get("/report/photos").text)
    return client.post(
        "/report/photos",
        data={"csrf_token": token, "action": action, "photo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def phone_photo() -> bytes:
    """A JPEG as a phone makes it: camera make, GPS position, rotated 90 degrees."""
    exif = Image.Exif()
    exif[MAKE] = "SecretPhoneMaker"
    exif[ORIENTATION] = 6
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 40.0)})
    data = image_bytes("JPEG", (40, 30), exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test photo has GPS
    return data


def stored_files(app):
    folder = app.extensions["report"].photos.folder
    return sorted(folder.glob("*")) if folder.exists() else []


def test_the_photos_page_is_a_good_page(at_photos):
    page = at_photos.get("/report/photos")
    assert_good_page(page)
    assert 'accept="image/jpeg,image/png"' in page.text


def test_a_phone_photo_is_kept_upright_without_its_location_or_camera_details(at_photos, app):
    response = upload(at_photos, phone_photo())
    assert response.headers["Location"].endswith("/report/photos")
    [path] = stored_files(app)
    assert path.parent.name == "photos" and "static" not in str(path)
    content = path.read_bytes()
    stored = Image.open(io.BytesIO(content))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {} and b"SecretPhoneMaker" not in content
    assert stored.size == (30, 40)  # the camera's rotation applied before EXIF was dropped
    assert len(path.stem) >= 40  # a random name, nothing of the tenant's file name


def test_a_png_loses_its_text_chunks(at_photos, app):
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "51.5N 0.12W")
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(out, "PNG", pnginfo=info)
    upload(at_photos, out.getvalue(), "photo.png")
    [path] = stored_files(app)
    assert path.suffix == ".png" and b"51.5N" not in path.read_bytes()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 not a photo", "photo.jpg", "must be a JPG or PNG photo"),
        (image_bytes("GIF"), "photo.gif", "must be a JPG or PNG photo"),
        (image_bytes("JPEG")[:60], "photo.jpg", "must be a JPG or PNG photo"),
        (b"\xff" * (10 * 1024 * 1024 + 1), "big.jpg", "must be smaller than 10MB"),
    ],
)
def test_a_file_that_is_not_a_small_enough_photo_is_refused(at_photos, app, data, name, message):
    response = upload(at_photos, data, name)
    assert response.status_code == 200
    assert_good_page(response)
    assert message in response.text and 'href="#photo"' in response.text
    assert stored_files(app) == []


def test_uploading_without_choosing_a_file_says_so(at_photos):
    response = upload(at_photos, b"", "")
    assert "Select a photo to upload" in response.text


def test_no_more_than_three_photos(at_photos, app):
    for _ in range(3):
        upload(at_photos, image_bytes())
    page = at_photos.get("/report/photos")
    assert 'type="file"' not in page.text
    assert "the most you can add" in page.text
    response = upload(at_photos, image_bytes())
    assert "You can add up to 3 photos" in response.text
    assert len(stored_files(app)) == 3


def test_a_photo_can_be_removed_before_sending(at_photos, app):
    upload(at_photos, image_bytes())
    token = stored_files(app)[0].stem
    csrf = csrf_token_from(at_photos.get("/report/photos").text)
    response = at_photos.post(f"/report/photos/{token}/remove", data={"csrf_token": csrf})
    assert response.headers["Location"].endswith("/report/photos")
    assert stored_files(app) == []
    assert at_photos.get(f"/report/photos/{token}").status_code == 404


def test_continue_with_a_file_chosen_uploads_it_too(at_photos, app):
    response = upload(at_photos, image_bytes(), action="continue")
    assert response.headers["Location"].endswith("/report/access")
    assert len(stored_files(app)) == 1


def test_a_photo_is_served_to_its_owner_only(at_photos, app, make_app, clock):
    upload(at_photos, image_bytes())
    token = stored_files(app)[0].stem
    mine = at_photos.get(f"/report/photos/{token}")
    assert mine.status_code == 200 and mine.mimetype == "image/jpeg"
    assert "no-store" in mine.headers["Cache-Control"]
    services = app.extensions["services"]
    SqlAccounts(services.sessions).create(
        NewAccount(
            sign_in_name="neighbour@example.com",
            password_hash=services.extras["password_hasher"].hash(PASSWORD),
            tenancy_ref="TEN-100002",
            tenant_name="Mr Andrew White",
            address="Northbridge",
            mobile="+447700900456",
            mobile_verified_at=clock.now(),
        ),
        clock.now(),
    )
    neighbour = app.test_client()
    page = neighbour.get("/sign-in")
    credentials = {"sign_in_name": "neighbour@example.com", "password": PASSWORD}
    neighbour.post("/sign-in", data={**credentials, "csrf_token": csrf_token_from(page.text)})
    assert neighbour.get("/report/").status_code == 200  # signed in
    assert neighbour.get(f"/report/photos/{token}").status_code == 404


def test_photos_go_with_the_repair_when_it_is_sent(at_photos, app):
    upload(at_photos, image_bytes())
    upload(at_photos, image_bytes("PNG"), "b.png")
    tokens = [p.stem for p in stored_files(app)]
    to_check_answers_after_photos(at_photos)
    assert "2 photos" in at_photos.get("/report/check").text
    send(at_photos)
    context = app.extensions["report"]
    [repair] = [context.store.summary(d) for d in _refs(app)]
    assert sorted(repair.photo_tokens) == sorted(tokens)
    for token in tokens:
        assert at_photos.get(f"/report/photos/{token}").status_code == 200


def to_check_answers_after_photos(client):
    submit(client, "/report/photos", {"action": "continue"})
    submit(client, "/report/access", {"access_notes": ""})
    submit(client, "/report/contact", {"mobile": "07700 900123"})


def _refs(app):
    with app.extensions["services"].sessions() as session:
        return [RepairRef(r) for r in session.scalars(select(RepairRow.reference))]


def test_a_report_can_be_sent_with_no_photos(tenant, app):
    to_check_answers(tenant)
    assert "None" in tenant.get("/report/check").text
    send(tenant)
    assert stored_files(app) == []
