"""README's screenshots, taken from the demo: the phone timeline, a home page and the map.

    python -m bench.screenshots [--out docs/img]

A throwaway SQLite database under a temporary folder is migrated and filled with `load_demo`, the
development server runs on 127.0.0.1, and Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium)
takes the pictures. Japanese text needs a CJK font on the machine (e.g. Debian's fonts-noto-cjk); the
screenshots are for the docs only, nothing in Renkei needs the font.
"""
import argparse
import base64
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django_otp.oath import TOTP

from tests.e2e.signin import sign_in

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "renkei-demo-2026"
DEMO_TOTP_KEY = base64.b32decode("JBSWY3DPEHPK3PXP")  # the demo-only secret (README)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 860}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def wait_for(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def login(page, base, username):
    sign_in(page, base, username, DEMO_PASSWORD, f"{TOTP(DEMO_TOTP_KEY).token():06d}")


def shoot(browser, base, out):
    def context(viewport):
        return browser.new_context(viewport=viewport, locale="ja-JP", device_scale_factor=2 if viewport is PHONE else 1)

    phone = context(PHONE)
    page = phone.new_page()
    login(page, base, "nurse")
    page.goto(f"{base}/network/")
    page.locator("ul.patient-list a").first.click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out / "timeline-phone.png")
    phone.close()

    desk = context(DESK)
    page = desk.new_page()
    login(page, base, "staff")
    page.screenshot(path=out / "home-staff.png", full_page=True)
    page.goto(f"{base}/directory/map/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=out / "map.png")
    desk.close()
    return ["timeline-phone.png", "home-staff.png", "map.png"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "img"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {"RENKEI_DEMO": "1", "DATABASE_URL": f"sqlite:///{tmp}/shots.sqlite3",
                            "RENKEI_VAR_DIR": tmp, "PYTHONPATH": str(ROOT)}
        manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
        manage(env, "load_demo", stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(f"{base}/accounts/login/", server)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
                names = shoot(browser, base, out)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    for name in names:
        print(out / name)


if __name__ == "__main__":
    main()
