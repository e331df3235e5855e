"""The load mix of the benchmark, driven by locust from a process separate from the server.

Environment (set by bench/run.py):
  BENCH_FIXTURE   JSON written by the generator: tokens with the patients each may see, search words, points
  BENCH_ONLY      run only this endpoint name (saturation runs); empty = the weighted mix
  BENCH_RATE      requests per second per simulated user (Poisson arrivals); 0 = as fast as possible
  BENCH_QUERIES   where to write the per-endpoint SQL query counts and times (X-Query-Count, X-Query-Time-Ms)
"""
import json
import os
import random
import time
from collections import defaultdict

from locust import FastHttpUser, events, task

FIXTURE = json.loads(open(os.environ["BENCH_FIXTURE"], encoding="utf-8").read())
ONLY = os.environ.get("BENCH_ONLY", "")
RATE = float(os.environ.get("BENCH_RATE", "0"))
QUERY_COUNTS = defaultdict(list)
QUERY_TIMES = defaultdict(list)

# name: weight in the mix (a realistic day: reading dominates, posting and reports are rarer).
WEIGHTS = {
    "patient_list": 20,
    "timeline": 30,
    "new_post": 8,
    "facility_search_text": 12,
    "facility_search_distance": 10,
    "map_data": 8,
    "annual_report": 2,
    "baseline": 10,
}


@events.request.add_listener
def _count_queries(request_type, name, response, exception, **kwargs):
    if exception is None and response is not None:
        value = response.headers.get("X-Query-Count")
        if value is not None:
            QUERY_COUNTS[name].append(int(value))
        value = response.headers.get("X-Query-Time-Ms")
        if value is not None:
            QUERY_TIMES[name].append(float(value))


@events.quitting.add_listener
def _write_query_counts(environment, **kwargs):
    path = os.environ.get("BENCH_QUERIES")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"counts": QUERY_COUNTS, "times": QUERY_TIMES}, out)


class Professional(FastHttpUser):
    def wait_time(self):
        """Poisson arrivals at RATE per user (exponential gaps), so users never fire in lockstep; 0 = no wait."""
        return random.expovariate(RATE) if RATE > 0 else 0

    def on_start(self):
        if RATE > 0:
            time.sleep(random.uniform(0, 1 / RATE))  # spread the first requests (gevent-patched sleep)
        account = random.choice(FIXTURE["accounts"])
        self.patients = account["patients"]
        # Behind the production reverse proxy every request arrives as HTTPS.
        self.headers = {"Authorization": f"Bearer {account['token']}", "X-Forwarded-Proto": "https"}
        self.public = {"X-Forwarded-Proto": "https"}

    def _get(self, path, name, headers):
        with self.client.get(path, name=name, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    def patient_list(self):
        self._get("/api/v1/patients?limit=20", "patient_list", self.headers)

    def timeline(self):
        self._get(f"/api/v1/patients/{random.choice(self.patients)}/posts?limit=20", "timeline", self.headers)

    def new_post(self):
        body = {"body": random.choice(FIXTURE["post_bodies"])}
        path = f"/api/v1/patients/{random.choice(self.patients)}/posts"
        with self.client.post(path, json=body, name="new_post", headers=self.headers, catch_response=True) as r:
            if r.status_code not in (200, 201):
                r.failure(f"HTTP {r.status_code}")

    def facility_search_text(self):
        q = random.choice(FIXTURE["search_words"])
        self._get(f"/api/v1/facilities?q={q}&limit=20", "facility_search_text", self.public)

    def facility_search_distance(self):
        lat, lon = random.choice(FIXTURE["points"])
        self._get(f"/api/v1/facilities?lat={lat}&lon={lon}&radius_m=1500&limit=20", "facility_search_distance", self.public)

    def map_data(self):
        municipality = random.choice(FIXTURE["municipalities"])
        self._get(FIXTURE["map_data_path"].format(municipality=municipality), "map_data", self.public)

    def annual_report(self):
        self._get(FIXTURE["annual_report_path"], "annual_report", self.headers_staff())

    def headers_staff(self):
        return {"Authorization": f"Bearer {FIXTURE['staff_token']}", "X-Forwarded-Proto": "https"}

    def baseline(self):
        self._get("/api/v1/health", "baseline", self.public)

    @task
    def one_request(self):
        if ONLY:
            getattr(self, ONLY)()
            return
        names = list(WEIGHTS)
        getattr(self, random.choices(names, weights=[WEIGHTS[n] for n in names])[0])()
