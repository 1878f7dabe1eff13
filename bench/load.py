"""The web app under load on loopback: N people browsing the dashboard and report pages while M
upload reports, against a store of ``--reports`` reports (PostgreSQL when DATABASE_URL says so).

Starts ``nianbao serve`` and ``nianbao worker`` on the store, signs in one reviewer per browsing
thread and per uploading thread, runs for ``--seconds``, then prints the page times (p50, p95,
p99, max per page kind), the errors, and whether every uploaded file ended in a final state
(nothing lost).  Bounded in count and time.  Record the results in docs/benchmarks.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nianbao_load \\
        python bench/load.py [--reports 10000] [--browsers 20] [--uploaders 2] [--seconds 60]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from storebench import NIANBAO, engine, fresh_store, run, store_env

PASSWORD = "load-test-password-9"


def prepare(home: Path, reports: int, env: dict[str, str]) -> None:
    """A store holding the sample unless it already does (generating and importing take minutes)."""
    try:
        held = len(json.loads(run(env, "reports", "--json").stdout))
    except subprocess.CalledProcessError:
        held = 0
    if held < reports:
        env.update(fresh_store(home))
        sample = home / "sample"
        run(env, "sample", "-n", str(reports), "--seed", "5", "--kinds", "txt", "-o", str(sample), "--overwrite")
        run(env, "agencies", "load", str(sample / "名录.csv"))
        run(env, "import", *sorted(str(p) for p in sample.glob("20??")), "--jobs", "2", "--json")


def make_users(env: dict[str, str], names: list[str]) -> None:
    for name in names:
        subprocess.run(
            [str(NIANBAO), "createuser", name, "--role", "reviewer", "--region", "910000", "--password-stdin"],
            env=env,
            input=PASSWORD + "\n",
            capture_output=True,
            text=True,
        )  # fmt: skip  (an existing user is kept: createuser refuses it, which is fine here)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Person:
    """One signed-in browser: a cookie jar and its CSRF token."""

    def __init__(self, base: str, name: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.get("/accounts/login/")[1]
        self.post("/accounts/login/", {"username": name, "password": PASSWORD, "csrfmiddlewaretoken": _token(page)})

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=60) as answer:
            return answer.status, answer.read().decode("utf-8")

    def post(self, path: str, fields: dict[str, str]) -> int:
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=60) as answer:
            return answer.status

    def upload(self, path: str, name: str, data: bytes) -> int:
        page = self.get(path)[1]
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{_token(page)}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: text/plain\r\n\r\n".encode()
            + data
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        request = urllib.request.Request(
            self.base + path,
            data=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.base + path},
        )
        with self.opener.open(request, timeout=60) as answer:
            return answer.status


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def timed(self, kind: str, call: Any, *args: Any) -> Any:
        started = time.perf_counter()
        try:
            result = call(*args)
        except (urllib.error.URLError, OSError, AssertionError) as exc:
            with self.lock:
                self.errors.append(f"{kind}: {exc}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times.setdefault(kind, []).append(elapsed)
        return result


def browse(person: Person, ids: list[int], year: int, until: float, recorder: Recorder, think: float) -> None:
    rng = random.Random(id(person))
    while time.perf_counter() < until:
        if think:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))  # a person reads a page before the next
        choice = rng.random()
        if choice < 0.25:
            recorder.timed("dashboard", person.get, f"/dashboard/?year={year}")
        elif choice < 0.45:
            recorder.timed("reports list (one city, one year)", person.get, f"/reports/?year={year}&region=910100")
        elif choice < 0.55:
            recorder.timed("review queue (errors)", person.get, f"/review/?year={year}&severity=error")
        else:
            recorder.timed("report page", person.get, f"/reports/{rng.choice(ids)}/")


def upload(person: Person, files: list[Path], until: float, recorder: Recorder, sent: list[str]) -> None:
    index = 0
    while time.perf_counter() < until and index < len(files):
        path = files[index]
        index += 1
        data = path.read_bytes() + f"\n{uuid.uuid4().hex}\n".encode()  # new bytes: not a duplicate
        if recorder.timed("upload", person.upload, "/imports/", path.name, data) is not None:
            with recorder.lock:
                sent.append(path.name)
        time.sleep(1.0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--browsers", type=int, default=20)
    parser.add_argument("--uploaders", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--think", type=float, default=1.0, help="average seconds a person spends on a page (0: click on at once)"
    )
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "nianbao-bench-load")
    args = parser.parse_args()
    home = args.home.absolute()
    home.mkdir(parents=True, exist_ok=True)
    env = store_env(home)
    print(f"engine: {engine()}")
    prepare(home, args.reports, env)
    listing = json.loads(run(env, "reports", "--json", "--region", "910000").stdout)
    ids = [entry["id"] for entry in listing]
    year = max(entry["year"] for entry in listing if entry["year"])
    names = [f"load{n}" for n in range(args.browsers + args.uploaders)]
    make_users(env, names)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(NIANBAO), "serve", "--port", str(port), "--threads", "8"], env=env, stdout=subprocess.PIPE
    )
    # the worker below the pages: background work on the web server's own cores (docs/storage.md)
    worker = subprocess.Popen(
        ["nice", "-n", "10", str(NIANBAO), "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        people = [Person(base, name) for name in names]
        recorder = Recorder()
        sent: list[str] = []
        uploads = sorted((home / "sample" / str(year)).glob("*.txt"))[: int(args.seconds) * args.uploaders]
        started = time.time()
        until = time.perf_counter() + args.seconds
        threads = [
            threading.Thread(target=browse, args=(person, ids, year, until, recorder, args.think))
            for person in people[: args.browsers]
        ] + [
            threading.Thread(target=upload, args=(person, uploads[n :: args.uploaders], until, recorder, sent))
            for n, person in enumerate(people[args.browsers :])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        settled = wait_for_uploads(env, len(sent), started)
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=60)
    print(
        f"stored: {len(ids)} reports in region 910000, year {year}; {args.browsers} browsing "
        f"(think {args.think:g} s), {args.uploaders} uploading, {args.seconds:.0f} s"
    )
    every = [t for kind, times in recorder.times.items() if kind != "upload" for t in times]
    for kind, times in sorted(recorder.times.items()):
        print(
            f"{kind}: {len(times)} requests, p50 {statistics.median(times) * 1000:.0f} ms, "
            f"p95 {percentile(times, 0.95) * 1000:.0f} ms, p99 {percentile(times, 0.99) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms"
        )
    if every:
        print(f"all pages (the uploads apart): {len(every)} requests, p95 {percentile(every, 0.95) * 1000:.0f} ms")
    print(f"errors: {len(recorder.errors)}" + (f" (first: {recorder.errors[0]})" if recorder.errors else ""))
    print(f"uploads: {len(sent)} sent, {settled} ended final (imported, duplicate or failed with a reason)")


def wait_for_uploads(env: dict[str, str], sent: int, started: float, timeout: float = 120.0) -> int:
    """How many of this run's uploaded items reached a final state, once the worker has had time."""
    script = (
        "import datetime as dt; from nianbao.web import setup; setup();"
        "from nianbao.web.store.models import ImportItem, FINAL_STATUSES;"
        f"since = dt.datetime.fromtimestamp({started}, dt.timezone.utc);"
        "print(ImportItem.objects.filter(job__requested_by__startswith='web:load', job__created_at__gte=since,"
        " status__in=list(FINAL_STATUSES)).count())"
    )
    deadline = time.perf_counter() + timeout
    settled = 0
    while time.perf_counter() < deadline:
        done = subprocess.run([str(NIANBAO.with_name("python")), "-c", script], env=env, capture_output=True, text=True)
        settled = int(done.stdout.strip() or 0)
        if settled >= sent:
            break
        time.sleep(1.0)
    return settled


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    main()
