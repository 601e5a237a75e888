"""The server under load and the load clients for bench/web_load.py: ``newscollate serve`` in a
subprocess, wrk (output parsed, a Lua script for random paths) or a Python keep-alive client."""

from __future__ import annotations

import http.client
import json
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path


# ---------------------------------------------------------------------------------------------
# The server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


UNCACHED_SERVER = (
    "import sys, uvicorn\n"
    "from pathlib import Path\n"
    "from newscollate.web import WebSettings, create_app\n"
    "app = create_app(WebSettings(store=Path(sys.argv[1]), cache_bytes=0))\n"
    "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning', server_header=False)\n"
)


class Server:
    """``newscollate serve`` (or, ``uncached``, the same app with no page cache) in a subprocess."""

    def __init__(self, store: Path, uncached: bool = False) -> None:
        self.port = free_port()
        bin_dir = Path(sys.executable).parent
        if uncached:
            command = [sys.executable, "-c", UNCACHED_SERVER, str(store), str(self.port)]
        else:
            command = [str(bin_dir / "newscollate"), "serve", "--store", str(store), "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.process.stderr.read()}")
            try:
                with urllib.request.urlopen(self.base + "/api/events?limit=1", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the server did not answer within 60 s")
            time.sleep(0.2)

    def peak_rss(self) -> int | None:
        """The server's high-water mark of resident memory (VmHWM, Linux), else None."""
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# ---------------------------------------------------------------------------------------------
# Load


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {value!r}")
    return float(match[1]) * _UNITS[match[2]]


def parse_wrk(output: str) -> dict:
    """Requests/s, latency percentiles (ms) and errors from wrk's ``--latency`` output."""
    result: dict = {"p50": None, "p75": None, "p90": None, "p99": None, "non_2xx": 0, "socket_errors": 0}
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not rps:
        raise ValueError("no Requests/sec line in the wrk output")
    result["rps"] = float(rps[1])
    for percent, value in re.findall(r"^\s+(50|75|90|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.M):
        result[f"p{percent}"] = _ms(value)
    requests = re.search(r"^\s*(\d+) requests in ([\d.]+\w+)", output, re.M)
    if requests:
        result["requests"] = int(requests[1])
        result["seconds"] = _ms(requests[2]) / 1e3
    average = re.search(r"^\s+Latency\s+(\S+)", output, re.M)
    if average:
        result["mean"] = _ms(average[1])
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        result["non_2xx"] = int(non_2xx[1])
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sockets:
        result["socket_errors"] = sum(int(n) for n in sockets.groups())
    return result


def lua_script(paths: list[str]) -> str:
    """A wrk script that asks for a random one of ``paths`` with every request."""
    listed = ",\n".join(json.dumps(p) for p in paths)
    return (
        f"local paths = {{\n{listed}\n}}\n"
        "local n = #paths\n"
        "function setup(thread) thread:set('id', math.random(1, 1000000)) end\n"
        "function init(args) math.randomseed(os.time() + (id or 0)) end\n"
        "function request() return wrk.format('GET', paths[math.random(n)]) end\n"
    )


def run_wrk(base: str, paths: list[str], duration: int, connections: int, threads: int, scratch: Path) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if len(paths) > 1:
        script = scratch / f"random-{len(paths)}-{abs(hash(tuple(paths))) % 10**8}.lua"
        script.write_text(lua_script(paths))
        command += ["-s", str(script)]
    command.append(base + paths[0])
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout) | {"raw": done.stdout}


def run_python_client(base: str, paths: list[str], duration: int, connections: int) -> dict:
    """The fallback without wrk: ``connections`` threads, each with a keep-alive connection."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = {"non_2xx": 0, "socket_errors": 0}
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        mine: list[float] = []
        bad = sock = 0
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", rng.choice(paths))
                response = conn.getresponse()
                response.read()
                if not 200 <= response.status < 400:
                    bad += 1
            except OSError:
                sock += 1
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=5)
                continue
            mine.append((time.perf_counter() - started) * 1e3)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors["non_2xx"] += bad
            errors["socket_errors"] += sock

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    seconds = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float | None:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else None

    return {"rps": len(latencies) / seconds, "requests": len(latencies), "seconds": seconds,
            "mean": statistics.fmean(latencies) if latencies else None,
            "p50": percentile(50), "p75": percentile(75), "p90": percentile(90), "p99": percentile(99)} | errors  # fmt: skip


def warm(base: str, paths: list[str]) -> dict:
    """Fetch every path once, over one keep-alive connection; bytes and seconds."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    total, sizes, started = 0, [], time.perf_counter()
    for path in paths:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        sizes.append(len(body))
        total += 1
    seconds = time.perf_counter() - started
    return {"pages": total, "seconds": seconds, "mean_bytes": statistics.fmean(sizes), "max_bytes": max(sizes),
            "total_bytes": sum(sizes)}  # fmt: skip


def measure(store: Path, ids: list[str], duration: int, connections: int, threads: int, use_wrk: bool,
            uncached: bool) -> dict:  # fmt: skip
    event_paths = [f"/events/{i}" for i in ids]
    brief_paths = [f"/api/events/{i}" for i in ids]
    results: dict = {}
    scratch = Path(tempfile.mkdtemp(prefix="web-load-"))

    def load(name: str, base: str, paths: list[str]) -> None:
        print(f"loading {name} for {duration} s ...", file=sys.stderr)
        if use_wrk:
            result = run_wrk(base, paths, duration, connections, threads, scratch)
        else:
            result = run_python_client(base, paths, duration, connections)
        results[name] = result
        print(f"  {result['rps']:.1f} requests/s, p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
              f"errors {result['non_2xx'] + result['socket_errors']}", file=sys.stderr)  # fmt: skip

    extra: dict = {}
    try:
        server = Server(store)
        try:
            load("event page, cache cold", server.base, event_paths)
            extra["warming"] = warm(server.base, event_paths)
            load("event page, cache warm", server.base, event_paths)
            load("API brief", server.base, brief_paths)
            load("API list", server.base, ["/api/events"])
            load("events list page", server.base, ["/"])
            extra["peak_rss"] = server.peak_rss()
        finally:
            server.stop()
        if uncached:
            server = Server(store, uncached=True)
            try:
                load("event page, no cache", server.base, event_paths)
                extra["uncached_peak_rss"] = server.peak_rss()
            finally:
                server.stop()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"targets": results, **extra}


