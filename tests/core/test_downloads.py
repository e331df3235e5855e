"""Server-chosen download names and the type detected from a file's first bytes."""
import pytest

from renkei.core.downloads import detect_type, download_name


@pytest.mark.parametrize(("original", "content_type", "expected"), [
    ("poly.html", "application/pdf", "poly.pdf"),
    ("gpj.exe", "image/jpeg", "gpj.jpg"),
    ("議事録.2025.04.docx", "application/pdf", "議事録_2025_04.pdf"),
    ("../../etc/passwd", "text/plain", "passwd.txt"),
    ("C:\\Users\\x\\evil.bat", "application/octet-stream", "evil.bin"),
    ('a<b>:"c|d?*.png', "image/png", "abcd.png"),
    ("", "image/png", "attachment-7.png"),
    ("...", "image/png", "attachment-7.png"),
    ("x.svg", "image/svg+xml", "x.bin"),
])
def test_the_download_name_has_a_safe_base_and_the_types_extension(original, content_type, expected):
    assert download_name(original, content_type, fallback="attachment-7") == expected


@pytest.mark.parametrize(("head", "expected"), [
    (b"%PDF-1.4\n", "application/pdf"),
    (b"<html><script>alert(1)</script></html>", "text/plain"),
    ("会議の議事録".encode(), "text/plain"),
    (b"MZ\x90\x00\x03\x00\x00\x00", "application/octet-stream"),
    (b"\x00\x01\x02garbage", "application/octet-stream"),
])
def test_the_type_comes_from_the_content(head, expected):
    assert detect_type(head) == expected
