"""Fault injection: does every acknowledged post survive crashes and a database restart?

    python -m bench.faults [--seconds 60] [--writers 4]      (or: make faults)

On a throwaway PostgreSQL cluster that it creates itself (initdb in a temporary directory, listening
on 127.0.0.1 only, on a free port), it migrates, serves Renkei with gunicorn, and runs writer threads
that post on a patient's timeline through the API. Each post has a unique body and an Idempotency-Key;
a writer retries a failed post with the same key and body until it is acknowledged or the run ends.
Meanwhile it kills gunicorn workers with SIGKILL, kills the whole gunicorn (master and workers) and
starts it again as a supervisor would, and restarts PostgreSQL (fast stop, a few seconds away, start).

At the end it compares the acknowledged posts with the database and prints: acknowledged, lost
(acknowledged but not stored), duplicated (stored more than once), whether the post tally equals a
recount, and the status codes the clients saw ("no status": the connection was refused or cut;
"timeout": no answer within 10 s). Everything it
started is stopped and the cluster is deleted. Bounded: the run lasts --seconds plus a short grace
period for retries; it is not part of CI.

PostgreSQL's programs are found with PG_BIN, else `pg_config --bindir`, else on PATH. initdb refuses
to run as root; as root the cluster is run by the `postgres` user (FAULTS_PG_USER) through runuser.
"""
import argparse
import collections
import datetime
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from bench.run import BIN, PYTHON, ROOT, worker_pids

OUTAGE_SECONDS = 5
GRACE_SECONDS = 30


def log(message):
    print(f"[faults {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def free_port(preferred=None):
    """`preferred` if given, else a port the kernel says is free on 127.0.0.1."""
    if preferred:
        return int(preferred)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin():
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    try:
        return Path(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        found = shutil.which("initdb")
        if not found:
            raise SystemExit("PostgreSQL programs not found: set PG_BIN to the folder holding initdb and pg_ctl")
        return Path(found).parent


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary directory, on 127.0.0.1:port, trust authentication."""

    def __init__(self, port):
        self.port = port
        self.bin = pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="renkei-faults-"))
        self.data = self.dir / "data"
        self.as_user = []
        if os.geteuid() == 0:  # initdb and postgres refuse root
            user = os.environ.get("FAULTS_PG_USER", "postgres")
            shutil.chown(self.dir, user)
            self.as_user = ["runuser", "-u", user, "--"]

    def _run(self, *args, check=True):
        return subprocess.run([*self.as_user, *args], check=check, capture_output=True, text=True, timeout=120)

    def create(self):
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-locale")
        self.start()
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE renkei")

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c max_connections=50"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "postgres.log"), "-o", options,
                  "-w", "start")

    def stop(self, mode="fast", check=True):
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=check)

    def url(self, name="renkei"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self):
        if self.data.exists():
            self.stop("immediate", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


def server_env(database_url, var_dir):
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "RENKEI_DEMO": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "AXES_ENABLED": "0",
            "DJANGO_SETTINGS_MODULE": "renkei.settings",
            "RENKEI_VAR_DIR": str(var_dir),
            "RENKEI_INSECURE_HTTP": "1",  # plain HTTP on the loopback, no TLS proxy in front
            "LOG_LEVEL": "ERROR",  # the outage's per-request warnings would drown the report
        }
    )
    env.pop("REDIS_URL", None)
    return env


SETUP = """
import datetime, secrets
from django.utils import timezone
from renkei.core.models import ApiToken, Municipality, Profession, RegistrationStatus, User
from renkei.network.models import CareTeamMember, Consent, ConsentMethod, MemberStatus, Patient, TeamRole
city = Municipality.objects.get_or_create(code="13203", defaults={"name": "武蔵野市", "name_kana": "むさしのし"})[0]
nurse = User.objects.create_user("faults", password=secrets.token_urlsafe(20), name="試験 看護師",
    profession=Profession.NURSE, registration_status=RegistrationStatus.APPROVED, approved_on=timezone.localdate())
patient = Patient.objects.create(name="試験 花子", name_kana="しけん はなこ", birth_date=datetime.date(1938, 4, 12),
    address="（架空）", municipality=city, is_fictional=True)
CareTeamMember.objects.create(patient=patient, user=nurse, role=TeamRole.VISITING_NURSE, is_manager=True,
    status=MemberStatus.ACTIVE, responded_at=timezone.now())
Consent.objects.create(patient=patient, obtained_on=timezone.localdate(), method=ConsentMethod.WRITTEN, obtained_by=nurse)
key = secrets.token_urlsafe(32)
ApiToken.objects.create(user=nurse, key_hash=ApiToken.hash_key(key), prefix=key[:8],
    expires_at=timezone.now() + datetime.timedelta(hours=2))
print(patient.pk, key)
"""


class Server:
    """gunicorn, restarted like a supervisor would after it was killed."""

    def __init__(self, env, port, workers):
        self.env, self.port, self.workers = env, port, workers
        self.process = None

    def start(self):
        command = [str(BIN / "gunicorn"), "renkei.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers",
                   str(self.workers), "--timeout", "30", "--graceful-timeout", "5", "--log-level", "error"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 90  # a loaded machine can take long to import Django in every worker
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v1/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start (exit code {self.process.poll()})")

    def kill_worker(self):
        pids = worker_pids(self.process.pid)
        if pids:
            os.kill(random.choice(pids), signal.SIGKILL)
        return len(pids)

    def kill_all(self):
        """SIGKILL to the master and every worker (its process group), as a crash of the whole service."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.kill_all()


class Writer(threading.Thread):
    """Posts unique bodies; a failed post is retried with the same Idempotency-Key until acknowledged."""

    def __init__(self, number, url, token, stop, give_up):
        super().__init__(daemon=True)
        self.number, self.url, self.token = number, url, token
        self.stop, self.give_up = stop, give_up
        self.statuses = collections.Counter()  # status code (or "no status") -> responses
        self.acknowledged = {}  # body -> id the server answered
        self.unresolved = []  # bodies sent but never acknowledged

    def run(self):
        sequence = 0
        while not self.stop.is_set():
            sequence += 1
            body = f"fault-{self.number}-{sequence}-{uuid.uuid4().hex[:8]}"
            self._post_until_acknowledged(body, key=uuid.uuid4().hex)

    def _post_until_acknowledged(self, body, key):
        data = json.dumps({"body": body}).encode()
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json", "Idempotency-Key": key}
        while not self.give_up.is_set():
            request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    self.statuses[response.status] += 1
                    self.acknowledged[body] = json.loads(response.read())["id"]
                    return
            except urllib.error.HTTPError as error:
                self.statuses[error.code] += 1
                if error.code < 500:  # refused for good: retrying the same post would not change the answer
                    break
                delay = float(error.headers.get("Retry-After") or 0.2)
            except OSError as error:  # no status at all: refused or cut connection, or no answer in time
                timed_out = isinstance(getattr(error, "reason", error), TimeoutError)
                self.statuses["timeout" if timed_out else "no status"] += 1
                delay = 0.2
            self.give_up.wait(min(delay, 1.0))  # retry soon; the Retry-After of a 503 caps at 1 s in a test run
        self.unresolved.append(body)


def count(cluster, patient_id, writers):
    """(acknowledged, lost, duplicated, stored without acknowledgement, tally equals recount)."""
    import psycopg

    with psycopg.connect(cluster.url()) as conn:
        rows = conn.execute("SELECT id, body FROM network_post WHERE body LIKE 'fault-%%'").fetchall()
        tally = conn.execute("SELECT COALESCE(SUM(posts), 0) FROM network_patientpostyear WHERE patient_id = %s",
                             [patient_id]).fetchone()[0]
        recount = conn.execute("SELECT COUNT(*) FROM network_post WHERE patient_id = %s AND channel = 'team' "
                               "AND kind IN ('text', 'vitals')", [patient_id]).fetchone()[0]
    stored = collections.defaultdict(set)
    for post_id, body in rows:
        stored[body].add(post_id)
    acknowledged = {body: pk for w in writers for body, pk in w.acknowledged.items()}
    lost = sum(1 for body, pk in acknowledged.items() if pk not in stored.get(body, ()))
    duplicated = sum(len(ids) - 1 for ids in stored.values())
    unacknowledged_stored = sum(1 for body in stored if body not in acknowledged)
    return len(acknowledged), lost, duplicated, unacknowledged_stored, tally == recount


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of the run under load (default 60)")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args(argv)
    cluster = Cluster(free_port(os.environ.get("FAULTS_PG_PORT")))
    server = None
    try:
        log(f"throwaway PostgreSQL cluster on 127.0.0.1:{cluster.port}")
        cluster.create()
        (cluster.dir / "var" / "staticfiles").mkdir(parents=True)  # production settings expect it
        env = server_env(cluster.url(), cluster.dir / "var")
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
        out = subprocess.run([PYTHON, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True).stdout.split()
        patient_id, token = int(out[-2]), out[-1]
        server = Server(env, free_port(os.environ.get("FAULTS_PORT")), args.workers)
        server.start()
        log(f"gunicorn on 127.0.0.1:{server.port}, {args.writers} writers for {args.seconds} s")

        stop, give_up = threading.Event(), threading.Event()
        url = f"http://127.0.0.1:{server.port}/api/v1/patients/{patient_id}/posts"
        writers = [Writer(n, url, token, stop, give_up) for n in range(args.writers)]
        for writer in writers:
            writer.start()
        faults = run_faults(args.seconds, server, cluster)
        stop.set()
        deadline = time.monotonic() + GRACE_SECONDS
        for writer in writers:
            writer.join(max(0.1, deadline - time.monotonic()))
        give_up.set()
        for writer in writers:
            writer.join(15)
        acknowledged, lost, duplicated, unacknowledged, tally_ok = count(cluster, patient_id, writers)
        statuses = sum((w.statuses for w in writers), collections.Counter())
        report(args, faults, acknowledged, lost, duplicated, unacknowledged, tally_ok, statuses,
               sum(len(w.unresolved) for w in writers))
        return 0 if lost == 0 and tally_ok else 1
    finally:
        if server:
            server.stop()
        cluster.destroy()
        log("stopped gunicorn and deleted the cluster")


def run_faults(seconds, server, cluster):
    """The schedule, at fractions of the run: worker kills, a whole-gunicorn kill, a database restart."""
    plan = [(0.15, "kill -9 one gunicorn worker"), (0.3, "kill -9 one gunicorn worker"),
            (0.45, "kill -9 the gunicorn master and its workers, start it again"),
            (0.65, f"restart PostgreSQL (fast stop, {OUTAGE_SECONDS} s away, start)"),
            (0.85, "kill -9 one gunicorn worker")]
    started = time.monotonic()
    done = []
    for at, fault in plan:
        time.sleep(max(0.0, started + at * seconds - time.monotonic()))
        log(fault)
        if fault.startswith("kill -9 one"):
            server.kill_worker()
        elif fault.startswith("kill -9 the"):
            server.kill_all()
            server.start()
        else:
            cluster.stop("fast")
            time.sleep(OUTAGE_SECONDS)
            cluster.start()
        done.append(fault)
    time.sleep(max(0.0, started + seconds - time.monotonic()))
    return done


def report(args, faults, acknowledged, lost, duplicated, unacknowledged, tally_ok, statuses, unresolved):
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items(), key=lambda item: str(item[0])))
    lines = [
        f"Fault injection: {args.writers} writers, {args.seconds} s, gunicorn with {args.workers} workers, PostgreSQL "
        "(throwaway cluster)",
        *(f"  fault: {fault}" for fault in faults),
        f"acknowledged: {acknowledged}",
        f"lost:         {lost}",
        f"duplicated:   {duplicated}",
        f"stored without acknowledgement (the client gave up at the end): {unacknowledged}",
        f"never acknowledged: {unresolved}",
        f"post tally equals a recount: {'yes' if tally_ok else 'NO'}",
        f"status codes seen by the clients: {codes}",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
