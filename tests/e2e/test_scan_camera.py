"""Scan station with the tablet's camera: the decoder loads on demand and reads a sheet's QR."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image, ImageFilter
from playwright.sync_api import BrowserType, expect

import printforms as pf
from webapp.codes import make_case_payload

from ..printforms import factories as pf_factories
from ..printforms.fax_model import receive, render_grey
from .conftest import CHROMIUM, CHROMIUM_ARGS, login
from .seed import seed_case

WIDTH, HEIGHT = 640, 480


def camera_video(path: Path, payload: str) -> Path:
    """A Y4M clip of a QR code on white paper, which Chromium plays as its fake camera."""
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode)
    bitmap = memoryview(zxingcpp.write_barcode_to_image(barcode, scale=8))
    height, width = bitmap.shape
    qr = Image.frombytes("L", (width, height), bitmap.tobytes())
    return frame_video(path, qr)


def faxed_sheet_video(path: Path, payload: str, code: str) -> Path:
    """A clip of the QR corner of a printed referral as received after a fax of a fax."""
    pdf = pf.render_referral(
        pf_factories.referral(meta=pf_factories.meta(case_code=code, qr_payload=payload))
    )
    (page,) = render_grey(pdf)
    received = receive(page, "fax-of-fax")
    # The camera held over the sheet's top right corner, the QR about half the frame high; its
    # lens blurs the fax's pixel-sharp speckle (held sharp, jsQR misses some finder patterns).
    corner = received.crop((received.width * 11 // 20, 0, received.width, received.height // 5))
    corner.thumbnail((WIDTH, HEIGHT))
    return frame_video(path, corner.filter(ImageFilter.GaussianBlur(1.0)))


def frame_video(path: Path, picture: Image.Image) -> Path:
    """A Y4M clip of the picture (greys) centred on white, as Chromium's fake camera plays it."""
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(picture, ((WIDTH - picture.width) // 2, (HEIGHT - picture.height) // 2))
    # Video luma runs from 16 (black) to 235 (white).
    luma = frame.point(lambda v: 16 + v * 219 // 255).tobytes()
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + (b"FRAME\n" + luma + chroma + chroma) * 10)
    return path


# A clean code, and the sheet as jsQR sees it after a fax of a fax (skewed, speckled, lines
# lost and doubled, toner dark then light).
@pytest.mark.parametrize("source", ["clean", "faxed-sheet"])
def test_camera_scan_of_a_sheet_opens_the_case(
    source: str,
    browser_type: BrowserType,
    browser_context_args: dict[str, Any],
    live_server,
    live_app,
    make_staff,
    tmp_path: Path,
) -> None:
    seeded = seed_case(live_app)
    make_staff(username="sek1", role="secretary", display_name="Sigrid Sekreterare")
    payload = make_case_payload(seeded["code"], "REM", 1)
    if source == "clean":
        video = camera_video(tmp_path / "sheet.y4m", payload)
    else:
        video = faxed_sheet_video(tmp_path / "sheet.y4m", payload, seeded["code"])
    browser = browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        decoder_requests: list[str] = []
        page.on("request", lambda r: decoder_requests.append(r.url) if "jsQR" in r.url else None)
        base = live_server.url
        login(page, base, "sek1")
        page.goto(f"{base}/scan")
        # The decoder is not part of the page until someone uses the camera.
        assert decoder_requests == []
        page.get_by_role("button", name="Skanna med kameran").tap()
        expect(page.locator(".patient-header")).to_contain_text("19121212-1212", timeout=15_000)
        expect(page.locator(".patient-header")).to_contain_text(seeded["code"])
        assert len(decoder_requests) == 1 and "?v=" in decoder_requests[0]
        context.close()
    finally:
        browser.close()
