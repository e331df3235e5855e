"""The benchmark measures only its own server: a taken port stops it before it starts, an exited gunicorn
stops it while it runs (it once measured another process that listened on its port)."""
import socket
import subprocess
import sys

import pytest

from bench import run


def test_a_taken_port_refuses_to_start():
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        with pytest.raises(SystemExit, match="already in use"):
            run.ensure_port_free(other.getsockname()[1])


def test_a_free_port_is_accepted():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run.ensure_port_free(port)


def test_an_exited_server_stops_the_benchmark():
    server = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    server.wait(timeout=30)
    with pytest.raises(SystemExit, match="code 3"):
        run.ensure_running(server)


def test_a_running_server_lets_the_benchmark_go_on():
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        run.ensure_running(server)
    finally:
        server.kill()
        server.wait(timeout=30)


def test_the_load_run_stops_when_the_server_exits(tmp_path, monkeypatch):
    server = subprocess.Popen([sys.executable, "-c", "raise SystemExit(9)"])
    server.wait(timeout=30)
    # A stand-in for locust that would run for a minute: the guard must end it at once.
    monkeypatch.setattr(run, "BIN", tmp_path)
    fake = tmp_path / "locust"
    fake.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(60)\n")
    fake.chmod(0o755)
    monkeypatch.setattr(run, "OUT", tmp_path / "out")
    with pytest.raises(SystemExit, match="code 9"):
        run.run_locust(tmp_path / "fixture.json", "guard", 1, 60, 0, server=server)
