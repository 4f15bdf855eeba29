"""The captions page in headless chromium with a fake microphone (Playwright drives it).

The main test runs ``transcribe-ws web --local`` (the local server with
pocketsphinx, in the same process as the web server) and feeds a speech
fixture through chromium's fake capture device: the page's captions must
hold the fixture's words, and stop must end the stream cleanly.  The others
check the error banner: permission denied, no microphone, and a stream the
service refuses.  Set TRANSCRIBE_WS_WEB_SCREENSHOT=PATH to keep a screenshot
of the page with captions.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest
from web_support import CHROMIUM, DATA, TEXTS, chromium, web_command, wer

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium); the browser tests need it",
)

from playwright.async_api import Page, async_playwright  # noqa: E402
from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from sigv4 import Credentials  # noqa: E402
from transcribe_ws.server import serve as serve_local  # noqa: E402
from transcribe_ws.web import serve as serve_web  # noqa: E402

FIXTURE = "two_sentences.wav"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


async def state(page: Page) -> dict[str, str]:
    data: dict[str, str] = await page.evaluate("({...document.body.dataset})")
    return data


async def finals(page: Page) -> str:
    return await page.text_content("#finals") or ""


async def captions(page: Page) -> str:
    return (await finals(page)) + " " + (await page.text_content("#partial") or "")


async def until(page: Page, what: str, check: object, timeout: float) -> None:
    """Poll *check* (an async callable) until it is true; fail with the page's state."""
    deadline = time.monotonic() + timeout
    while not await check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}: {await state(page)}")
        await page.wait_for_timeout(200)


async def test_captions_from_a_fake_microphone_then_stop(tmp_path: Path) -> None:
    reference = TEXTS[FIXTURE]
    shot = Path(os.environ.get("TRANSCRIBE_WS_WEB_SCREENSHOT") or tmp_path / "captions.png")
    async with (
        web_command("--local", cwd=tmp_path) as (url, proc),
        async_playwright() as pw,
        chromium(pw, tmp_path / "profile", audio_file=DATA / FIXTURE) as context,
    ):
        page = await context.new_page()
        requests: list[str] = []
        sockets: list[str] = []
        frames: list[str] = []
        page.on("request", lambda r: requests.append(r.url))

        def on_socket(ws: object) -> None:
            sockets.append(ws.url)  # type: ignore[attr-defined]
            ws.on("framereceived", lambda payload: frames.append(str(payload)))  # type: ignore[attr-defined]

        page.on("websocket", on_socket)
        await page.goto(url)
        await page.wait_for_selector("body[data-state=idle]")
        assert await page.is_hidden("#banner")
        await page.click("#start")
        await page.wait_for_selector("body[data-state=listening]")

        # Live: partial results show up, and the level meter moves with the speech.
        await page.wait_for_function("() => Number(document.body.dataset.partials || 0) > 0")
        await page.wait_for_function(
            "() => Number(document.getElementById('meter').getAttribute('aria-valuenow')) > 0"
        )
        # The moment worth a picture: one sentence final, the next one still partial.
        try:
            await page.wait_for_function(
                "() => document.querySelectorAll('#finals .final').length >= 1 && "
                "document.getElementById('partial').textContent.trim().split(/\\s+/).length >= 3",
                timeout=20_000,
            )
        except PlaywrightTimeout:
            pass  # the picture is a by-product; the checks below are what counts
        await page.screenshot(path=str(shot))

        # Every word arrives while the microphone is still open.
        async def heard_it_all() -> bool:
            return wer(reference, await captions(page)) <= 0.15

        await until(page, "the fixture's words in the captions", heard_it_all, 60)

        await page.click("#stop")
        await page.wait_for_selector("body[data-state=stopped]")
        data = await state(page)
        assert data["closeCode"] == "1000"  # the server ended the stream normally
        assert "error" not in data
        assert await page.is_hidden("#banner")
        text = await finals(page)
        assert wer(reference, text) <= 0.15, text
        assert await page.text_content("#partial") == ""
        assert await page.is_enabled("#start")
        assert await page.is_disabled("#stop")
        # Clear empties the captions.
        await page.click("#clear")
        assert await finals(page) == ""

    assert proc.returncode == 0
    # Only our own origin was contacted: no external assets, one socket, no secrets.
    assert requests and all(r.startswith(url) for r in requests), requests
    assert sockets == [url.replace("http://", "ws://") + "socket"]
    assert any('"type": "end"' in f for f in frames)
    assert not any("Signature" in f or "X-Amz" in f for f in frames)


async def _start_and_read_banner(page: Page, url: str) -> tuple[str, str]:
    await page.goto(url)
    await page.wait_for_selector("body[data-state=idle]")
    await page.click("#start")
    await page.wait_for_selector("#banner:not([hidden])")
    await page.wait_for_selector("body[data-state=error]")
    title = await page.text_content("#banner-title") or ""
    text = await page.text_content("#banner-text") or ""
    return title, text


async def test_denied_microphone_shows_the_banner(tmp_path: Path) -> None:
    kwargs = {"endpoint": "ws://127.0.0.1:9", "credentials": Credentials("AKIDWEB", SECRET)}
    async with (
        serve_web(connect_kwargs=kwargs) as web,
        async_playwright() as pw,
        chromium(pw, tmp_path / "profile", fake_ui=False) as context,
    ):
        await context.clear_permissions()
        page = await context.new_page()
        sockets: list[object] = []
        page.on("websocket", lambda ws: sockets.append(ws))
        title, text = await _start_and_read_banner(page, web.url)
        assert title == "Microphone permission denied."
        assert "Allow this page to use the microphone" in text
        assert sockets == []  # nothing was sent anywhere
        assert web.streams == 0
        # The banner can be dismissed, and Start is offered again.
        await page.click("#banner-close")
        assert await page.is_hidden("#banner")
        assert await page.is_enabled("#start")


async def test_missing_microphone_shows_the_banner(tmp_path: Path) -> None:
    kwargs = {"endpoint": "ws://127.0.0.1:9", "credentials": Credentials("AKIDWEB", SECRET)}
    async with (
        serve_web(connect_kwargs=kwargs) as web,
        async_playwright() as pw,
        chromium(pw, tmp_path / "profile") as context,
    ):
        # What a machine without any capture device answers.
        await context.add_init_script(
            "navigator.mediaDevices.getUserMedia = () => Promise.reject("
            "new DOMException('Requested device not found', 'NotFoundError'));"
        )
        page = await context.new_page()
        title, _ = await _start_and_read_banner(page, web.url)
        assert title == "No microphone found."


async def test_service_refusal_shows_its_message(tmp_path: Path) -> None:
    """The server's credentials are not accepted: the banner says why, without secrets."""
    async with serve_local(engine="synthetic", credentials={"AKIDKNOWN": "other"}) as local:
        kwargs = {"endpoint": local.url, "credentials": Credentials("AKIDUNKNOWN", SECRET)}
        async with (
            serve_web(connect_kwargs=kwargs) as web,
            async_playwright() as pw,
            chromium(pw, tmp_path / "profile") as context,
        ):
            page = await context.new_page()
            title, text = await _start_and_read_banner(page, web.url)
            assert title == "Transcription service error."
            assert text.startswith("HTTP 403: ")
            html = await page.content()
            assert SECRET not in html and "Signature" not in html
            # The microphone was released and the page can start again.
            await page.wait_for_function("() => !document.getElementById('start').disabled")
            await asyncio.sleep(0)
