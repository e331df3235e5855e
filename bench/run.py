"""Run the benchmark end to end: database, data, production server, load, report.

    python -m bench.run --scale city|region|smoke

It migrates a PostgreSQL database of its own (DATABASE_URL, default renkei_bench_<scale> on
127.0.0.1), generates the data set unless it is already there, serves Renkei with gunicorn
and production settings, drives it with locust from a separate process, and writes
var/bench/results.json and var/bench/results.md.
"""
import argparse
import csv
import datetime
import json
import os
import platform
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
P95_TARGET_MS = 100

# How long each phase runs, per scale (seconds), the arrival rates probed for the p95 target and how many times
# the probe series runs (the capacity reported is the median of the series' figures: one series on a shared
# machine moves by a whole rate step from run to run). Region probes last a minute each, so a probe's p95 rests
# on thousands of requests rather than a few hundred.
PLANS = {
    "smoke": {"mix_s": 4, "saturation_s": 3, "probe_s": 3, "rates": [10, 20], "rate": 10, "workers": 2, "runs": 1},
    "city": {"mix_s": 30, "saturation_s": 10, "probe_s": 10, "rates": [50, 100, 150, 200, 300, 400], "rate": 100,
             "workers": 3, "runs": 1},
    "region": {"mix_s": 60, "saturation_s": 15, "probe_s": 60, "rates": [50, 100, 150, 200, 300, 400], "rate": 100,
               "workers": 3, "runs": 3},
}
# The capacity the issue asks of region scale: every endpoint's p95 under P95_TARGET_MS at this mix rate.
REGION_TARGET_RPS = 200
ENDPOINTS = [
    "patient_list",
    "timeline",
    "new_post",
    "facility_search_text",
    "facility_search_distance",
    "map_data",
    "annual_report",
]


def log(message):
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def shared_cache_url():
    """The Redis the server shares its cache through, as a production install with several workers does
    (docs/configuration.md: REDIS_URL): REDIS_URL if set, else a Redis answering on 127.0.0.1:6379 (database 15, emptied
    first), else None (each worker keeps its own memory cache, and the results say so)."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=6379, db=15, socket_connect_timeout=1)
        client.flushdb()
    except Exception:  # no Redis here: the benchmark still runs, with per-process caches
        return None
    return "redis://127.0.0.1:6379/15"


def server_env(database_url, cache_url=None):
    """Production settings, with the per-request SQL query counter switched on."""
    env = dict(os.environ)
    if cache_url:
        env["REDIS_URL"] = cache_url
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "RENKEI_DEMO": "0",
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "RENKEI_QUERY_COUNT_HEADER": "1",
            "STATIC_ROOT": str(OUT / "static"),
            "AXES_ENABLED": "0",
            "DJANGO_SETTINGS_MODULE": "renkei.settings",
        }
    )
    return env


def ensure_database(database_url, fresh=False):
    """Create the benchmark database if it does not exist (drop it first when `fresh`)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure_port_free(port):
    """Refuse to start when something already listens on the port: the benchmark would measure it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR as gunicorn binds: the closed connections of a previous run (TIME_WAIT) do not count,
        # a socket listening on the port still does.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise SystemExit(
                f"port {port} on 127.0.0.1 is already in use: stop what listens there or set BENCH_PORT"
            ) from None


def ensure_running(server):
    """Stop the benchmark when its gunicorn has exited: answers would come from nowhere (or elsewhere)."""
    code = server.poll()
    if code is not None:
        raise SystemExit(f"gunicorn exited (code {code}) during the benchmark")


def start_server(env, workers):
    ensure_port_free(PORT)
    command = [
        str(BIN / "gunicorn"),
        "renkei.wsgi",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--max-requests",
        "0",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    health = urllib.request.Request(f"http://127.0.0.1:{PORT}/api/v1/health", headers={"X-Forwarded-Proto": "https"})
    for _ in range(100):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited (code {process.returncode}) before it answered")
        try:
            with urllib.request.urlopen(health, timeout=1) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def worker_pids(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def peak_memory_mb(master_pid):
    """The highest resident set (VmHWM) among the gunicorn workers, in MiB."""
    peaks = []
    for pid in worker_pids(master_pid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except FileNotFoundError:
            continue
    return round(max(peaks), 1) if peaks else None


def _stat(pid):
    """The fields of /proc/PID/stat after the command name (None if the process is gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def _cpu_seconds(pids, reaped_by=None):
    """{pid: user + system CPU seconds} of the processes, and under "reaped" the CPU of the children
    that `reaped_by` has waited for (what its processes that exited had spent)."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        fields = _stat(pid)
        if fields:
            seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    if reaped_by is not None and (fields := _stat(reaped_by)):
        seconds["reaped"] = (int(fields[13]) + int(fields[14])) / ticks  # cutime, cstime
    return seconds


def _postgres_pids():
    """The PostgreSQL server's processes on this machine and its postmaster (the one whose parent is not
    a postgres process), whose reaped-children times hold the CPU of backends that exited."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    parents = {pid: int(fields[1]) for pid in pids if (fields := _stat(pid))}
    postmaster = next((pid for pid, parent in parents.items() if parent not in parents), None)
    return pids, postmaster


class CpuMeter:
    """CPU seconds spent by the app server's workers, PostgreSQL and the load generator during a run."""

    def __init__(self, server_pid):
        self.server_pid = server_pid

    def snapshot(self):
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "app": _cpu_seconds(worker_pids(self.server_pid)),
            "db": _cpu_seconds(*_postgres_pids()),
            "load": {0: children.ru_utime + children.ru_stime},
        }

    @staticmethod
    def per_request_ms(before, after, requests):
        """CPU ms per request of each group over the run: the processes alive at the end, from the start
        (whole if they started meanwhile), plus those that ended meanwhile (e.g. a database connection
        closed after DB_CONN_MAX_AGE): their parent's reaped-children time, less what they had spent before."""
        if not requests:
            return {}
        result = {}
        for group in before:
            spent = sum(cpu - before[group].get(pid, 0) for pid, cpu in after[group].items())
            spent -= sum(cpu for pid, cpu in before[group].items() if pid != "reaped" and pid not in after[group])
            result[f"{group}_cpu_ms"] = round(spent * 1000 / requests, 2)
        return result


def _number(text):
    """A locust CSV cell as a float; None where it has no value ("N/A")."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def run_locust(fixture, name, users, seconds, rate_per_user, only="", meter=None, server=None):
    """One headless locust run; returns {endpoint: stats} parsed from its CSV. With a CpuMeter and a single
    endpoint (`only`), its stats also get the CPU milliseconds per request of app, database and load generator.
    With the gunicorn `server`, the run stops (SystemExit) as soon as that server exits."""
    prefix = OUT / "locust" / name
    prefix.parent.mkdir(parents=True, exist_ok=True)
    queries_file = OUT / "locust" / f"{name}_queries.json"
    env = dict(os.environ)
    env.update(
        {
            "BENCH_FIXTURE": str(fixture),
            "BENCH_ONLY": only,
            "BENCH_RATE": str(rate_per_user),
            "BENCH_QUERIES": str(queries_file),
        }
    )
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--host",
        f"http://127.0.0.1:{PORT}",
        "--csv",
        str(prefix),
        "--stop-timeout",
        "30",
        "--loglevel",
        "WARNING",
    ]
    before = meter.snapshot() if meter else None
    with open(f"{prefix}.log", "w", encoding="utf-8") as log_file:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            while locust.poll() is None:
                if server is not None:
                    ensure_running(server)
                time.sleep(0.5)
        finally:
            if locust.poll() is None:
                locust.terminate()
                locust.wait(timeout=30)
    after = meter.snapshot() if meter else None
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                key = "_all"
            else:
                key = row["Name"]
            stats[key] = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
            }
    queries = json.loads(queries_file.read_text()) if queries_file.exists() else {}
    for key, times in queries.get("times", {}).items():
        if key in stats and times:
            stats[key]["sql_ms_p50"] = round(statistics.median(times), 2)
    for key, counts in queries.get("counts", {}).items():
        if key in stats and counts:
            stats[key]["queries"] = sorted(set(counts))
    if meter and only in stats:
        stats[only].update(CpuMeter.per_request_ms(before, after, stats[only]["requests"]))
    return stats


def timed_get(path, token):
    request = urllib.request.Request(
        f"http://127.0.0.1:{PORT}{path}",
        headers={"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        status = response.status
    return round(time.perf_counter() - started, 3), status


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(PLANS), default="city")
    parser.add_argument("--check", action="store_true", help="exit 1 unless every endpoint answered without errors (CI)")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark database and generate anew")
    parser.add_argument("--runs", type=int, help="times the probe series runs; the median highest rate is reported "
                        "(default: the scale's plan, 3 at region)")
    parser.add_argument("--probe-s", type=int, help="seconds of each rate probe (default: the scale's plan)")
    parser.add_argument("--saturation-s", type=int, help="seconds of each endpoint's saturation run")
    parser.add_argument("--mix-s", type=int, help="seconds of the mix run")
    parser.add_argument("--rates", type=lambda text: [int(r) for r in text.split(",")],
                        help="arrival rates to probe, comma-separated (default: the scale's plan)")
    args = parser.parse_args()
    plan = plan_for(args)
    OUT.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/renkei_bench_{args.scale}"
    cache_url = shared_cache_url()
    env = server_env(database_url, cache_url)

    fixture, generated = prepare(env, database_url, args.scale, fresh=args.fresh)
    import_s = time_import(env, args.scale)
    runs = load_phases(env, plan, fixture, generated)
    results = collect_results(args.scale, plan, cache_url, generated, import_s, runs)
    write_results(args.scale, results)
    if args.check:
        check_answers(results, runs)


def plan_for(args):
    """The scale's plan with the command line's overrides (a shortened run says so in its results)."""
    plan = dict(PLANS[args.scale])
    for key in ("runs", "probe_s", "saturation_s", "mix_s", "rates"):
        value = getattr(args, key, None)
        if value is not None:
            if key != "rates" and value < 1:
                raise SystemExit(f"--{key.replace('_', '-')} must be 1 or more")
            plan[key] = value
    return plan


def prepare(env, database_url, scale, *, fresh):
    """Create and migrate the database, collect static files, generate (or reuse) the data."""
    ensure_database(database_url, fresh=fresh)
    log("migrate")
    manage(env, "migrate", "--noinput", "-v", "0")
    # The measured endpoints serve no static file; collecting (and compressing) them takes minutes on a busy
    # machine, so a collection already made is kept (--fresh collects anew).
    if fresh or not (OUT / "static" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v", "0")

    log("generate data (reused when present)")
    fixture = OUT / f"fixture_{scale}.json"
    subprocess.run([PYTHON, "-m", "bench.generate", "--scale", scale, "--fixture", str(fixture)], cwd=ROOT, env=env, check=True)
    return fixture, json.loads(fixture.read_text())


def time_import(env, scale):
    """{"seconds", "rows"} of importing a full ministry open-data file."""
    log("import a full ministry open-data file")
    return json.loads(
        subprocess.run(
            [PYTHON, "-m", "bench.import_timing", "--scale", scale],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1]
    )


def load_phases(env, plan, fixture, generated):
    """Start gunicorn and run warm-up, mix, saturation and rate probes; stops the server afterwards."""
    log("start gunicorn")
    server = start_server(env, plan["workers"])
    try:
        # The warm-up starts with empty caches, so it also sees the uncached paths' query counts.
        warmup = run_locust(fixture, "warmup", 10, 2, 0, server=server)
        rate = plan["rate"]
        users = max(10, rate // 2)
        log(f"mix at {rate} requests/s")
        mix = run_locust(fixture, f"mix_{rate}", users, plan["mix_s"], rate / users, server=server)
        saturated = _saturate(fixture, plan, server)
        series = [_probe_rates(fixture, plan, server, run=n + 1) for n in range(plan["runs"])]
        report_s, report_status = timed_get(generated["annual_report_5y_path"], generated["staff_token"])
        memory = peak_memory_mb(server.pid)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return {"warmup": warmup, "mix": mix, "saturated": saturated, **capacity(series),
            "report_s": report_s, "report_status": report_status, "memory": memory}


def _saturate(fixture, plan, server):
    log("saturation per endpoint")
    saturated = {}
    for name in ["baseline", *ENDPOINTS]:
        saturated[name] = run_locust(
            fixture, f"sat_{name}", 8, plan["saturation_s"], 0, only=name, meter=CpuMeter(server.pid), server=server
        ).get(name, {})
    return saturated


def probe_ok(result):
    """Whether a probe met the target: every endpoint answered, each with p95 under target and no errors."""
    endpoints = {k: v for k, v in result.items() if k != "_all"}
    return bool(endpoints) and all(
        v["p95_ms"] is not None and v["p95_ms"] < P95_TARGET_MS and v["errors"] == 0 for v in endpoints.values()
    )


def _probe_rates(fixture, plan, server, run=1):
    """One probe series, rising rates until one misses: (highest rate with every endpoint's p95 under target,
    {rate: probe})."""
    log(f"highest arrival rate with p95 under target (series {run} of {plan['runs']}, {plan['probe_s']} s probes)")
    best_rate = None
    probes = {}
    for probe_rate in plan["rates"]:
        probe_users = max(10, probe_rate // 2)
        result = run_locust(
            fixture, f"probe_{run}_{probe_rate}", probe_users, plan["probe_s"], probe_rate / probe_users, server=server
        )
        ok = probe_ok(result)
        slowest = max(((k, v["p95_ms"]) for k, v in result.items() if k != "_all" and v["p95_ms"] is not None),
                      key=lambda item: item[1], default=(None, None))
        probes[probe_rate] = {"ok": ok, "achieved_rps": result.get("_all", {}).get("rps"),
                              "slowest": slowest[0], "slowest_p95_ms": slowest[1]}
        if not ok:
            break
        best_rate = probe_rate
    return best_rate, probes


def capacity(series):
    """The capacity figure of several probe series: the median of their highest rates (a series where no rate
    met the target counts as 0; median_low, so the figure is a rate that was probed), and every series' own."""
    rates = [best or 0 for best, _ in series]
    median = statistics.median_low(rates) if rates else 0
    return {
        "best_rate": median or None,
        "probes": series[-1][1] if series else {},
        "probe_runs": [{"best_rate": best, "probes": probes} for best, probes in series],
    }


def collect_results(scale, plan, cache_url, generated, import_s, runs):
    warmup, mix, saturated = runs["warmup"], runs["mix"], runs["saturated"]
    baseline_rps = saturated["baseline"].get("rps", 0)
    results = {
        "scale": scale,
        "rate_rps": plan["rate"],
        "achieved_rps": mix.get("_all", {}).get("rps"),
        "ran_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} — {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}",
        "cache": "Redis (shared by the workers)" if cache_url else "a memory cache per worker (no Redis found)",
        "data": generated["counts"],
        "generation_s": generated["generation_s"],
        "data_reused": generated.get("reused", False),
        "endpoints": {},
        "baseline": {
            "saturated_rps": baseline_rps,
            "cpu_ms_per_request": _cpu_of(saturated["baseline"]),
            **{k: v for k, v in mix.get("baseline", {}).items() if k not in ("queries", "sql_ms_p50")},
        },
        "max_rate_p95_under_100ms": runs["best_rate"],
        "probes": runs["probes"],
        "probe_runs": runs.get("probe_runs", []),
        "probe_s": plan["probe_s"],
        "plan": {k: plan[k] for k in ("mix_s", "saturation_s", "probe_s", "rates", "runs")},
        "annual_report_5y_s": runs["report_s"] if runs["report_status"] == 200 else None,
        "import_s": import_s["seconds"],
        "import_rows": import_s["rows"],
        "peak_worker_memory_mb": runs["memory"],
    }
    # Queries per request: the most seen (an answer from the cache needs fewer), in warm-up, mix and saturation.
    seen = {name: {q for run in (warmup, mix, saturated) for q in run.get(name, {}).get("queries", [])} for name in ENDPOINTS}
    for name in ENDPOINTS:
        m = mix.get(name, {})
        results["endpoints"][name] = {
            "p50_ms": m.get("p50_ms"),
            "p95_ms": m.get("p95_ms"),
            "p99_ms": m.get("p99_ms"),
            "rps": m.get("rps"),
            "errors": m.get("errors"),
            "requests": m.get("requests"),
            "queries_per_request": max(seen[name]) if seen[name] else None,
            "sql_ms_p50": m.get("sql_ms_p50"),
            "query_counts_seen": sorted(seen[name]),
            "saturated_rps": saturated[name].get("rps"),
            "saturated_vs_baseline": round(saturated[name].get("rps", 0) / baseline_rps, 2) if baseline_rps else None,
            "cpu_ms_per_request": _cpu_of(saturated[name]),
        }
    return results


def write_results(scale, results):
    (OUT / f"results_{scale}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    markdown = render_markdown(results)
    (OUT / f"results_{scale}.md").write_text(markdown)
    (OUT / "results.md").write_text(markdown)
    print(markdown)


def check_answers(results, runs):
    """Exit 1 unless every endpoint answered without errors and the annual report was served (CI)."""
    saturated, mix = runs["saturated"], runs["mix"]
    broken = [
        name
        for name in ["baseline", *ENDPOINTS]
        if not saturated[name].get("requests") or saturated[name].get("errors") or mix.get(name, {}).get("errors")
    ]
    if broken or results["annual_report_5y_s"] is None:
        raise SystemExit(f"benchmark check failed: no answers or errors for {broken or ['annual_report_5y']}")


def _cpu_of(stats):
    """{"app", "db", "load"}: CPU ms per request measured during the endpoint's saturation run."""
    return {k.removesuffix("_cpu_ms"): v for k, v in stats.items() if k.endswith("_cpu_ms")} or None


def render_markdown(results):
    """The results as a Markdown table, with the targets checked."""
    lines = [
        f"Scale `{results['scale']}` ({', '.join(f'{k} {v:,}' for k, v in results['data'].items())}), "
        f"mix at {results['rate_rps']} requests/s (Poisson arrivals; {results['achieved_rps']} achieved), "
        f"on {results['machine']}, {results['ran_at']}; cache: {results.get('cache')}.",
        "",
        "| endpoint | p50 ms | p95 ms | p99 ms | errors | SQL/request | SQL ms (p50) | saturated req/s | vs baseline |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, e in results["endpoints"].items():
        lines.append(
            f"| {name} | {e['p50_ms']} | {e['p95_ms']} | {e['p99_ms']} | {e['errors']} | "
            f"{e['queries_per_request']} | {e.get('sql_ms_p50')} | {e['saturated_rps']} | {e['saturated_vs_baseline']} |"
        )
    b = results["baseline"]
    lines.append(f"| baseline (no database) | {b.get('p50_ms')} | {b.get('p95_ms')} | {b.get('p99_ms')} | {b.get('errors')} | 0 | 0 | {b['saturated_rps']} | 1.0 |")
    lines += [
        "",
        f"- highest mix arrival rate with every p95 under {P95_TARGET_MS} ms and no errors: "
        f"{results['max_rate_p95_under_100ms'] or 'none of the probed rates'} requests/s{capacity_note(results)}",
        f"- annual report over five fiscal years: {results['annual_report_5y_s']} s",
        f"- ministry open-data file import ({results['import_rows']:,} rows): {results['import_s']} s",
        f"- data generation: {results['generation_s']} s{' (reused from an earlier run)' if results['data_reused'] else ''}",
        f"- peak worker memory: {results['peak_worker_memory_mb']} MiB",
        "",
        *cpu_lines(results),
        "Targets (issue: region scale, this 2-core machine):",
        "",
        *target_lines(results),
    ]
    return "\n".join(lines) + "\n"


def capacity_note(results):
    """How the capacity figure was found: probe length, and with several series the median and each series' rate."""
    runs = results.get("probe_runs") or []
    note = f" ({results.get('probe_s')}-second probes"
    if len(runs) > 1:
        each = ", ".join(str(r["best_rate"] or "none") for r in runs)
        note += f"; median of {len(runs)} series: {each}"
    return note + ")"


def _total_cpu(cpu):
    return round(sum(cpu.values()), 2) if cpu else None


def cpu_lines(results):
    """Where each request's CPU goes at saturation (ms per request; every process shares the same cores)."""
    rows = [*results["endpoints"].items(), ("baseline (no database)", results["baseline"])]
    if not any(e.get("cpu_ms_per_request") for _, e in rows):
        return []
    lines = [
        "CPU per request in the saturation runs (ms; app = gunicorn workers, database = PostgreSQL, "
        f"load = locust; {os.cpu_count()} cores shared by all three):",
        "",
        "| endpoint | app | database | load | total | app ÷ database |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, e in rows:
        cpu = e.get("cpu_ms_per_request") or {}
        lines.append(f"| {name} | {cpu.get('app')} | {cpu.get('db')} | {cpu.get('load')} | {_total_cpu(cpu)} "
                     f"| {_app_per_db(cpu) or '—'} |")
    return [*lines, ""]


def _app_per_db(cpu):
    """Application CPU over database CPU per request (None without a database share)."""
    return round(cpu["app"] / cpu["db"], 2) if cpu and cpu.get("app") is not None and cpu.get("db") else None


# The patient-data endpoints whose application CPU may not exceed the database's (issue 18, item 2).
APP_WITHIN_DB = ("patient_list", "timeline", "new_post")


def target_lines(results):
    """Each target of the benchmark, met or missed with the measured gap."""

    def verdict(ok):
        return "met" if ok else "**missed**"

    lines = []
    for name, e in results["endpoints"].items():
        p95, errors = e["p95_ms"], e["errors"]
        ok = p95 is not None and p95 < P95_TARGET_MS and not errors
        gap = "" if ok or p95 is None else f" (p95 {p95} ms, {p95 - P95_TARGET_MS:+.0f} ms)"
        lines.append(f"- {name}: p95 under {P95_TARGET_MS} ms at {results['rate_rps']} req/s, no errors — {verdict(ok)}{gap}")
    for name in APP_WITHIN_DB:
        cpu = results["endpoints"].get(name, {}).get("cpu_ms_per_request")
        ratio = _app_per_db(cpu)
        measured = f"app {cpu.get('app')} ms, database {cpu.get('db')} ms per request" if cpu else "not measured"
        lines.append(f"- {name}: application CPU ≤ database CPU — {verdict(ratio is not None and ratio <= 1)} ({measured})")
    other = {"region": OUT / "results_city.json", "city": OUT / "results_region.json"}.get(results["scale"])
    if other and other.exists():
        theirs = json.loads(other.read_text())["endpoints"]
        differing = [
            f"{n} {e['queries_per_request']} vs {theirs.get(n, {}).get('queries_per_request')}"
            for n, e in results["endpoints"].items()
            if e["queries_per_request"] != theirs.get(n, {}).get("queries_per_request")
        ]
        lines.append(f"- same SQL queries per request at city and region scale — {verdict(not differing)}"
                     + (f" ({', '.join(differing)})" if differing else ""))
    else:
        lines.append("- same SQL queries per request at city and region scale — not compared (run both scales)")
    if results["scale"] == "region":
        best = results["max_rate_p95_under_100ms"] or 0
        lines.append(f"- every p95 under {P95_TARGET_MS} ms at {REGION_TARGET_RPS} req/s (median of "
                     f"{len(results.get('probe_runs') or [1])} series) — {verdict(best >= REGION_TARGET_RPS)} ({best or 'none'})")
    report_s = results["annual_report_5y_s"]
    lines.append(f"- annual report over five fiscal years under 1 s — {verdict(report_s is not None and report_s < 1)} ({report_s} s)")
    lines.append(f"- full ministry file ({results['import_rows']:,} rows) imported under 60 s — {verdict(results['import_s'] < 60)} ({results['import_s']} s)")
    return lines


if __name__ == "__main__":
    main()
