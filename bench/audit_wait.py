"""How long audited requests wait for the audit trail's lock at saturation (issue 18 item 3).

Runs gunicorn with --workers (default 4) against the benchmark's PostgreSQL database, saturates the audited
write (new post) and read (timeline) with locust, and samples pg_stat_activity every 10 ms for the
server's backends waiting on an advisory lock (the audit chain's). Once with AUDIT_CHAINS=1 (one chain:
every audited request queues behind one lock, as before) and once with the configured chains (default 32).
Prints and writes var/bench/audit_wait.{json,md}:

    python -m bench.audit_wait [--scale smoke|city|region] [--workers 4] [--seconds 60]

The share reported is the mean number of backends waiting divided by the number of workers: the part of
the workers' time spent queueing for the audit lock.
"""
import argparse
import datetime
import json
import os
import platform
import signal
import threading
import time

import psycopg

from bench import run


class LockWaitSampler(threading.Thread):
    """Counts, every `interval` seconds, the backends of `database` waiting for an advisory lock."""

    def __init__(self, database_url, interval=0.01):
        super().__init__(daemon=True)
        self.database_url, self.interval = database_url, interval
        self.samples, self.waiting, self.busy = 0, 0, 0
        self._halt = threading.Event()

    def run(self):
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            while not self._halt.is_set():
                row = conn.execute(
                    "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'),"
                    " count(*) FILTER (WHERE state = 'active')"
                    " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
                self.samples += 1
                self.waiting += row[0]
                self.busy += row[1]
                time.sleep(self.interval)

    def stop(self):
        self._halt.set()
        self.join(timeout=5)
        return {"samples": self.samples, "mean_waiting": round(self.waiting / max(self.samples, 1), 3),
                "mean_active": round(self.busy / max(self.samples, 1), 3)}


def measure(env, database_url, fixture, workers, seconds, chains):
    env = {**env, "AUDIT_CHAINS": str(chains)}
    server = run.start_server(env, workers)
    results = {}
    try:
        run.run_locust(fixture, f"audit_warm_{chains}", workers * 2, 3, 0, server=server)
        for endpoint in ("new_post", "timeline"):
            sampler = LockWaitSampler(database_url)
            sampler.start()
            stats = run.run_locust(fixture, f"audit_{chains}_{endpoint}", workers * 2, seconds, 0, only=endpoint,
                                   server=server).get(endpoint, {})
            waits = sampler.stop()
            results[endpoint] = {**waits, "rps": stats.get("rps"), "p95_ms": stats.get("p95_ms"),
                                 "errors": stats.get("errors"),
                                 "wait_share": round(waits["mean_waiting"] / workers, 3)}
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(run.PLANS), default="smoke")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--chains", type=int, default=32)
    args = parser.parse_args()
    run.OUT.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/renkei_bench_{args.scale}"
    env = run.server_env(database_url, run.shared_cache_url())
    fixture, _ = run.prepare(env, database_url, args.scale, fresh=False)
    result = {
        "ran_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} — {os.cpu_count()} cores, {platform.platform()}",
        "scale": args.scale, "workers": args.workers, "seconds": args.seconds,
        "runs": {str(chains): measure(env, database_url, fixture, args.workers, args.seconds, chains)
                 for chains in (1, args.chains)},
    }
    (run.OUT / "audit_wait.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    lines = [f"Audit lock wait at saturation — {result['ran_at']}, {result['machine']}, scale {args.scale}, "
             f"{args.workers} gunicorn workers, {args.seconds} s per endpoint", "",
             "| chains | endpoint | req/s | p95 ms | errors | backends waiting (mean) | share of worker time waiting |",
             "|---|---|---|---|---|---|---|"]
    for chains, runs in result["runs"].items():
        for endpoint, r in runs.items():
            lines.append(f"| {chains} | {endpoint} | {r['rps']} | {r['p95_ms']} | {r['errors']} | {r['mean_waiting']} | "
                         f"{r['wait_share']:.1%} |")
    markdown = "\n".join(lines) + "\n"
    (run.OUT / "audit_wait.md").write_text(markdown)
    print(markdown)


if __name__ == "__main__":
    main()
