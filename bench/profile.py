"""Where the application's time goes: sample the gunicorn worker with py-spy under the benchmark's load.

    python -m bench.profile --scale smoke|city|region [--seconds 20]

Uses the benchmark's database and data (bench.run prepares them), serves Renkei with one gunicorn worker
and production settings, and for each profiled endpoint drives that endpoint alone with locust while py-spy
samples the worker (only stacks holding the GIL: waiting for PostgreSQL, for the socket or for the next
request releases it, so what is counted is the worker's own CPU).
Writes var/bench/profile_<endpoint>.txt (the functions with the most samples, by own time and by time
including callees) and the raw collapsed stacks var/bench/profile_<endpoint>.raw.
"""
import argparse
import os
import shutil
import signal
import subprocess
from collections import Counter

from bench import run

# The endpoints the profile covers (bench/locustfile.py task names).
PROFILED = ["patient_list", "timeline", "new_post", "annual_report"]
TOP = 40


def py_spy():
    """The py-spy executable next to this Python, else on PATH; SystemExit with the install hint if absent."""
    found = run.BIN / "py-spy"
    if found.exists():
        return str(found)
    on_path = shutil.which("py-spy")
    if on_path:
        return on_path
    raise SystemExit("py-spy is not installed: pip install -e '.[bench]'")


def _function(frame):
    """'name (path:line)' → 'name (path)': samples of one function are counted together."""
    name, _, where = frame.rpartition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if name else frame


def summarise(raw_text, top=TOP):
    """The report of a py-spy raw (collapsed-stack) file: total samples, the functions with the most samples of
    their own, the functions with the most samples including what they call (each function counted once per
    stack), and the share of the project's own code (renkei/)."""
    own, inclusive = Counter(), Counter()
    total = 0
    for line in raw_text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = [_function(f) for f in stack.split(";")]
        own[frames[-1]] += samples
        for function in set(frames):
            inclusive[function] += samples
    if not total:
        return "no samples (the worker was idle or py-spy could not attach)\n"

    def table(counter, title):
        lines = [title, "", f"{'samples':>8} {'share':>6}  function"]
        for function, samples in counter.most_common(top):
            lines.append(f"{samples:>8} {samples * 100 / total:>5.1f}%  {function}")
        return lines + [""]

    project = Counter({f: n for f, n in inclusive.items() if "renkei/" in f})
    lines = [f"{total} samples of the worker holding the GIL (its own CPU)", ""]
    lines += table(own, "By own time (where the CPU was when sampled)")
    lines += table(inclusive, "Including callees (each function once per stack)")
    lines += table(project, "Project code (renkei/), including callees")
    return "\n".join(lines)


def profile_endpoint(spy, server, fixture, name, seconds, users):
    """Sample the worker while locust drives `name` alone; returns the raw collapsed stacks."""
    worker = run.worker_pids(server.pid)[0]
    raw = run.OUT / f"profile_{name}.raw"
    sampler = subprocess.Popen(
        [spy, "record", "--pid", str(worker), "--format", "raw", "--output", str(raw), "--duration", str(seconds),
         "--rate", "250", "--gil"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    run.run_locust(fixture, f"profile_{name}", users, seconds, 0, only=name, server=server)
    _, errors = sampler.communicate(timeout=seconds + 60)
    if sampler.returncode != 0 or not raw.exists():
        raise SystemExit(f"py-spy failed on {name}: {errors.strip()}")
    return raw.read_text()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(run.PLANS), default="smoke")
    parser.add_argument("--seconds", type=int, default=20, help="load and sampling time per endpoint")
    parser.add_argument("--users", type=int, default=4, help="simultaneous users (keep the one worker busy)")
    parser.add_argument("--only", choices=PROFILED, action="append", help="profile only this endpoint (repeatable)")
    args = parser.parse_args()
    spy = py_spy()
    run.OUT.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/renkei_bench_{args.scale}"
    cache_url = run.shared_cache_url()
    env = run.server_env(database_url, cache_url)
    fixture, _ = run.prepare(env, database_url, args.scale, fresh=False)
    run.log("start gunicorn (one worker, so one process holds every request's stack)")
    server = run.start_server(env, 1)
    try:
        run.run_locust(fixture, "profile_warmup", 4, 3, 0, server=server)
        for name in args.only or PROFILED:
            run.log(f"profile {name} for {args.seconds} s")
            report = summarise(profile_endpoint(spy, server, fixture, name, args.seconds, args.users))
            out = run.OUT / f"profile_{name}.txt"
            out.write_text(f"{name} at scale {args.scale}, {args.seconds} s, {args.users} users, one worker\n\n{report}")
            print(out)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
