#!/usr/bin/env python3
"""Conformance harness: run the `manual` scenario files against a REAL Ray and Redis.

For every scenario file with "supervisor": "manual" this script
  1. starts a real redis-server on 127.0.0.1 (when the scenario has GCS FT on),
  2. starts a real Ray head (num_cpus=0) and N worker nodes (num_cpus=1) with
     Ray's own test utility `ray.cluster_utils.Cluster`,
  3. creates a detached counter actor on the first worker and increments it once,
  4. performs the scenario's steps at their `at` times (t = 0 is the moment the
     actor answered its first increment),
  5. watches every process by pid every 100 ms, probes the GCS port, and at `until`
     calls the counter once more,
  6. stops every process it started, by pid, and checks that none is left,
  7. asks the Swift model (`simulate check` and a `simulate run` seed sweep) what it
     allows, and compares per property.

Nothing is installed by this script. See Tests/Conformance/README.md.
Standard library only in the orchestrator; `ray` is imported lazily. Redis is driven
with `redis-cli` (the `ray` wheel does not bring the `redis` Python client).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import fnmatch
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid

# Loopback only: on Linux Ray resolves "127.0.0.1" in an address to the host's routable IP unless
# this is 0 (ray._private.services.get_node_ip_address). It must be set before `ray` is imported;
# every Ray process and driver this script starts inherits it.
os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.abspath(os.path.join(HERE, "..", ".."))
DEFAULT_SIMULATE = os.path.join(PROJECT, ".build", "release", "simulate")
ACTOR_NAME = "conformance_counter"
LOOPBACK = "127.0.0.1"
RAY_NAMESPACE = "conformance"
LOG_PATTERNS = [
    "Failed to connect to GCS",
    "GCS has been unavailable",
    "authentication error",
    "marked as dead",
]
# Not asked for by the brief, but they date the events that explain an outcome.
EXTRA_LOG_PATTERNS = [
    "The GCS has restarted",          # a raylet reconnected to a restarted GCS and resubscribed
    "fate-share",                     # a raylet exiting because an agent it fate-shares with exited
    "consider this node to be dead",  # the raylet's self-check answer from a GCS that lost its data
    "Redis connection",               # the GCS losing Redis
]
SETUP_COMMANDS = ["pip install ray==2.60.0", "apt-get install -y redis-server"]
TABLE_START = "<!-- conformance-table:start -->"
TABLE_END = "<!-- conformance-table:end -->"


# --------------------------------------------------------------------------- durations

def parse_duration(text) -> float:
    """Scenario duration ("10s", "500ms", "1.5s", "2m", "0") -> seconds."""
    if isinstance(text, (int, float)):
        return float(text)
    s = str(text).strip()
    if s == "0":
        return 0.0
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|h)", s)
    if not m:
        raise ValueError(f"bad duration {text!r}")
    v = float(m.group(1))
    return v * {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}[m.group(2)]


def fmt_s(x) -> str:
    return "n/a" if x is None else f"{x:.1f} s"


# --------------------------------------------------------------------------- /proc helpers

def proc_stat(pid: int):
    """(state, ppid, starttime) of a pid, or None if it does not exist."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    rest = data[data.rfind(")") + 2:].split()
    return rest[0], int(rest[1]), int(rest[19])


def alive(pid: int, start: int | None = None) -> bool:
    st = proc_stat(pid)
    if st is None or st[0] in ("Z", "X"):
        return False
    return start is None or st[2] == start


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = proc_stat(int(d))
            if st:
                children.setdefault(st[1], []).append(int(d))
    out, todo = set(), [root]
    while todo:
        p = todo.pop()
        for c in children.get(p, []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def ancestors(pid: int) -> set[int]:
    out = set()
    while pid > 1:
        out.add(pid)
        st = proc_stat(pid)
        if not st:
            break
        pid = st[1]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(host: str, port: int, timeout=0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


# --------------------------------------------------------------------------- prerequisites

def check_prerequisites() -> dict:
    missing = []
    info = {}
    try:
        import ray  # noqa: F401
        info["ray"] = ray.__version__
    except Exception:  # noqa: BLE001
        missing.append("ray")
    for tool in ("redis-server", "redis-cli"):
        if shutil.which(tool) is None:
            missing.append(tool)
    if missing:
        print("missing: " + ", ".join(missing) + ". Install them with:", file=sys.stderr)
        for c in SETUP_COMMANDS:
            print("    " + c, file=sys.stderr)
        sys.exit(2)
    out = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
    m = re.search(r"v=(\S+)", out)
    info["redis"] = m.group(1) if m else out.strip()
    return info


# --------------------------------------------------------------------------- the model side

class Model:
    def __init__(self, binary: str, seeds: int, workdir: str):
        self.binary = binary
        self.seeds = seeds
        # `simulate check` writes counterexample traces (MODEL.PROPERTY.trace.json) into its working
        # directory: run it in the results directory, never in the package tree.
        self.workdir = os.path.join(workdir, "model-traces")
        os.makedirs(self.workdir, exist_ok=True)

    def predict(self, path: str) -> dict:
        out = {"check": {}, "allowed": {}, "seedOutcomes": {}, "workerExitMs": [], "actorDeathMs": [],
               "header": {}, "errors": []}
        path = os.path.abspath(path)
        r = subprocess.run([self.binary, "check", path, "--json"], capture_output=True, text=True, timeout=900,
                           cwd=self.workdir)
        try:
            d = json.loads(r.stdout)
            out["check"] = {p["id"]: p["verdict"] for p in d.get("properties", [])}
        except json.JSONDecodeError:
            out["errors"].append(f"simulate check exit {r.returncode}: {r.stderr.strip()[:300]}")
        seed_outcomes: dict[str, set] = {}
        for seed in range(self.seeds):
            r = subprocess.run([self.binary, "run", path, "--seed", str(seed), "--json"],
                               capture_output=True, text=True, timeout=300, cwd=self.workdir)
            if r.returncode == 2:
                out["errors"].append(f"simulate run --seed {seed}: {r.stderr.strip()[:300]}")
                break
            exits, deaths = [], []
            for line in r.stdout.splitlines():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if rec.get("type") == "run":
                    out["header"] = rec
                elif rec.get("type") == "property":
                    seed_outcomes.setdefault(rec["id"], set()).add(rec["verdict"])
                elif rec.get("type") == "event":
                    comp = rec.get("component", "")
                    if rec.get("event") == "rayletExited" and comp.startswith("worker"):
                        exits.append(rec["atMs"])
                    if comp == "actor" and "died" in rec.get("detail", ""):
                        deaths.append(rec["atMs"])
            if exits:
                out["workerExitMs"].append(min(exits))
            if deaths:
                out["actorDeathMs"].append(min(deaths))
        out["seedOutcomes"] = {k: sorted(v) for k, v in seed_outcomes.items()}
        for prop, verdict in out["check"].items():
            if verdict == "holds":
                allowed = {"held"}
            elif verdict == "violated":
                allowed = {"violated"} | ({"held"} if "held" in seed_outcomes.get(prop, set()) else set())
            else:
                allowed = set(seed_outcomes.get(prop, set())) or {"held", "violated"}
            out["allowed"][prop] = sorted(allowed)
        return out


# --------------------------------------------------------------------------- the real side

class Monitor(threading.Thread):
    """Polls tracked pids every 100 ms; records when each one was first seen dead."""

    def __init__(self, t0_ref):
        super().__init__(daemon=True)
        self.t0_ref = t0_ref
        self.lock = threading.Lock()
        self.tracked: dict[str, dict] = {}
        self.events: list[dict] = []
        self.seen: dict[int, int] = {}  # pid -> starttime, every descendant ever seen
        self.gcs_probe = None  # (host, port, started_at)
        self.stop_flag = threading.Event()
        self.me = os.getpid()

    def now(self) -> float:
        t0 = self.t0_ref[0]
        return time.time() - t0 if t0 else -(time.time())

    def event(self, what: str, **kw):
        rec = {"t": round(self.now(), 2), "what": what, **kw}
        with self.lock:
            self.events.append(rec)
        print(f"    [{rec['t']:7.2f}s] {what} {' '.join(f'{k}={v}' for k, v in kw.items())}", flush=True)

    def track(self, name: str, pid: int, popen=None, kind: str = ""):
        st = proc_stat(pid)
        with self.lock:
            self.tracked[name] = {"pid": pid, "start": st[2] if st else None, "popen": popen,
                                  "kind": kind, "diedAt": None, "exitCode": None, "cause": None}
            if st:
                self.seen[pid] = st[2]

    def set_cause(self, name: str, cause: str):
        with self.lock:
            if name in self.tracked:
                self.tracked[name]["cause"] = cause

    def probe_gcs(self, host, port):
        with self.lock:
            self.gcs_probe = (host, port, self.now())

    def snapshot_descendants(self):
        for p in descendants(self.me):
            st = proc_stat(p)
            if st and p not in self.seen:
                self.seen[p] = st[2]

    def run(self):
        tick = 0
        while not self.stop_flag.is_set():
            with self.lock:
                items = list(self.tracked.items())
                probe = self.gcs_probe
            for name, rec in items:
                if rec["diedAt"] is not None:
                    continue
                dead = not alive(rec["pid"], rec["start"])
                if dead:
                    code = None
                    if rec["popen"] is not None:
                        try:
                            code = rec["popen"].poll()
                        except Exception:  # noqa: BLE001
                            code = None
                    with self.lock:
                        rec["diedAt"] = round(self.now(), 2)
                        rec["exitCode"] = code
                    self.event("process-exited", process=name, pid=rec["pid"], exitCode=code)
            if probe is not None and port_open(probe[0], probe[1], timeout=0.05):
                with self.lock:
                    self.gcs_probe = None
                self.event("gcs-port-accepting", port=probe[1], afterStart=round(self.now() - probe[2], 2))
            if tick % 10 == 0:
                try:
                    self.snapshot_descendants()
                except Exception:  # noqa: BLE001
                    pass
            tick += 1
            self.stop_flag.wait(0.1)


def run_driver(address: str, op: str, timeout: float, log_path: str, node_id: str = "", max_restarts: int = 0,
               monitor: Monitor | None = None) -> dict:
    """A fresh driver process (like KubeRay's increment_counter.py): ray.init, get the actor, increment."""
    cmd = [sys.executable, os.path.abspath(__file__), "--_driver", op, "--_address", address,
           "--_timeout", str(timeout), "--_node-id", node_id, "--_max-restarts", str(max_restarts)]
    env = os.environ.copy()
    env.pop("RAY_ADDRESS", None)
    t_start = round(monitor.now(), 2) if monitor and monitor.t0_ref[0] else None
    with open(log_path, "ab") as log:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, env=env, start_new_session=True)
        if monitor:
            st = proc_stat(p.pid)
            if st:
                monitor.seen[p.pid] = st[2]
        try:
            out, _ = p.communicate(timeout=timeout + 15)
        except subprocess.TimeoutExpired:
            for c in descendants(p.pid):
                try:
                    os.kill(c, signal.SIGKILL)
                except OSError:
                    pass
            p.kill()
            p.wait()
            return {"ok": False, "error": f"driver killed after {timeout + 15:.0f} s (hung)", "t": t_start}
    for line in out.decode(errors="replace").splitlines()[::-1]:
        if line.startswith("{"):
            try:
                r = json.loads(line)
                r["t"] = t_start
                return r
            except json.JSONDecodeError:
                pass
    return {"ok": False, "error": f"driver exit {p.returncode}, no result", "t": t_start}


def driver_main(args) -> int:
    """Hidden mode: one driver call. Prints one JSON line."""
    res = {"ok": False}
    try:
        import ray
        ray.init(address=args._address, namespace=RAY_NAMESPACE, log_to_driver=False, logging_level="ERROR",
                 _node_ip_address=LOOPBACK)
        if args._driver == "create":
            from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

            @ray.remote
            class Counter:
                def __init__(self):
                    self.value = 0

                def increment(self):
                    self.value += 1
                    return {"value": self.value, "pid": os.getpid(),
                            "node_id": ray.get_runtime_context().get_node_id()}

            actor = Counter.options(
                name=ACTOR_NAME, lifetime="detached", num_cpus=1, max_restarts=args._max_restarts,
                scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=args._node_id, soft=False),
            ).remote()
        else:
            actor = ray.get_actor(ACTOR_NAME, namespace=RAY_NAMESPACE)
        r = ray.get(actor.increment.remote(), timeout=args._timeout)
        res = {"ok": True, **r}
    except BaseException as e:  # noqa: BLE001
        res = {"ok": False, "error": f"{type(e).__name__}: {str(e).splitlines()[0][:300] if str(e) else ''}"}
    print(json.dumps(res), flush=True)
    os._exit(0)  # do not wait for ray's atexit (it may hang while the GCS is gone)


class RedisServer:
    def __init__(self, persistence: str, workdir: str, monitor: Monitor, log):
        self.port = free_port()
        self.dir = os.path.join(workdir, "redis")
        os.makedirs(self.dir, exist_ok=True)
        self.argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--protected-mode", "no",
                     "--dir", self.dir, "--daemonize", "no", "--logfile", os.path.join(self.dir, "redis.log")]
        if persistence == "appendOnly":
            self.argv += ["--save", "", "--appendonly", "yes"]
        else:
            self.argv += ["--save", "", "--appendonly", "no"]
        self.monitor = monitor
        self.proc = None
        self.generation = 0
        self.log = log

    def start(self):
        self.generation += 1
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline and not self.cli("PING").strip() == "PONG":
            time.sleep(0.05)
        self.monitor.track(f"redis-server#{self.generation}", self.proc.pid, self.proc, "redis")

    def cli(self, *args) -> str:
        r = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), *args],
                           capture_output=True, text=True, timeout=10)
        return r.stdout

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.monitor.set_cause(f"redis-server#{self.generation}", "stopped by the harness")
            os.kill(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def load_scenario(path: str) -> dict:
    with open(path) as f:
        sc = json.load(f)
    cluster = sc.get("cluster", {})
    if isinstance(cluster, str):
        with open(os.path.join(os.path.dirname(path), cluster)) as f:
            cluster = json.load(f).get("cluster", {})
    sc["_cluster"] = cluster
    return sc


def grep_logs(logs_dir: str, t0: float, pid_names: dict[int, str] | None = None) -> dict:
    pid_names = pid_names or {}
    patterns = LOG_PATTERNS + EXTRA_LOG_PATTERNS
    found: dict[str, list] = {p: [] for p in patterns}
    ts_re = re.compile(r"\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) \w (\d+) ")
    for path in sorted(glob.glob(os.path.join(logs_dir, "**", "*"), recursive=True)):
        if not os.path.isfile(path):
            continue
        try:
            with open(path, errors="replace") as f:
                lines = f.readlines()
        except OSError:
            continue
        for line in lines:
            for pat in patterns:
                if pat.lower() in line.lower():
                    rel = None
                    proc = None
                    m = ts_re.search(line)
                    if m:
                        try:
                            wall = time.mktime(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) + int(m.group(2)) / 1000
                            rel = round(wall - t0, 2)
                        except ValueError:
                            pass
                        proc = pid_names.get(int(m.group(3)))
                    found[pat].append({"file": os.path.relpath(path, logs_dir), "t": rel, "process": proc,
                                       "line": line.strip()[:600]})
    return found


def run_real(path: str, sc: dict, args, workdir: str, model_header: dict) -> dict:
    import ray
    import ray._private.ray_constants as rc
    from ray.cluster_utils import Cluster

    c = sc["_cluster"]
    ft = c.get("ftEnabled", True)
    workers = int(c.get("workers", 1))
    persistence = c.get("redisPersistence", "appendOnly")
    head_t = c.get("headReconnectTimeoutSeconds") or (model_header.get("headReconnectTimeoutMs", 60000) // 1000)
    worker_t = c.get("workerReconnectTimeoutSeconds") or (model_header.get("workerReconnectTimeoutMs", 60000) // 1000)
    max_restarts = int(c.get("actorMaxRestarts", 0))
    until = parse_duration(sc.get("until", "600s"))
    run_for = min(until, args.max_seconds)
    timing = sc.get("timing", {})
    downtime_range = timing.get("redisRestartDowntime", {"min": "1s", "max": "30s"})
    redis_downtime = parse_duration(downtime_range["min"])
    namespace = f"conf-{uuid.uuid4().hex[:12]}"

    t0_ref = [None]
    mon = Monitor(t0_ref)
    mon.start()
    result = {"scenario": os.path.basename(path), "ft": ft, "workers": workers, "persistence": persistence,
              "headTimeout": head_t, "workerTimeout": worker_t, "namespace": namespace, "until": until,
              "ranFor": run_for, "steps": [], "calls": [], "setupError": None}
    saved_env = {k: os.environ.get(k) for k in
                 ("RAY_REDIS_ADDRESS", "RAY_external_storage_namespace", "RAY_gcs_rpc_server_reconnect_timeout_s")}
    redis = None
    cluster = None
    driver_log = os.path.join(workdir, "drivers.log")
    worker_nodes = []
    call_threads = []
    try:
        wall_start = time.time()
        if ft:
            redis = RedisServer(persistence, workdir, mon, None)
            redis.start()
            os.environ["RAY_REDIS_ADDRESS"] = f"127.0.0.1:{redis.port}"
            result["redisPort"] = redis.port
        else:
            os.environ.pop("RAY_REDIS_ADDRESS", None)
        os.environ["RAY_external_storage_namespace"] = namespace
        # Per-node reconnect timeouts: each Ray process reads RAY_gcs_rpc_server_reconnect_timeout_s from
        # its own environment, which it inherits from this process when the node is started. We do NOT
        # put the value in _system_config: that is copied from the head to every node and wins over env.
        os.environ["RAY_gcs_rpc_server_reconnect_timeout_s"] = str(head_t)
        # Every Ray process binds and talks on loopback only (node_ip_address); the harness sends
        # no traffic to any other address.
        cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0, "node_ip_address": LOOPBACK})
        head = cluster.head_node
        mon.track("gcs_server#1", head.all_processes[rc.PROCESS_TYPE_GCS_SERVER][0].process.pid,
                  head.all_processes[rc.PROCESS_TYPE_GCS_SERVER][0].process, "gcs")
        mon.track("head/raylet", head.all_processes[rc.PROCESS_TYPE_RAYLET][0].process.pid,
                  head.all_processes[rc.PROCESS_TYPE_RAYLET][0].process, "raylet")
        os.environ["RAY_gcs_rpc_server_reconnect_timeout_s"] = str(worker_t)
        for i in range(workers):
            n = cluster.add_node(num_cpus=1, node_ip_address=LOOPBACK)
            worker_nodes.append(n)
            rp = n.all_processes[rc.PROCESS_TYPE_RAYLET][0].process
            mon.track(f"worker-{i + 1}/raylet", rp.pid, rp, "raylet")
        os.environ["RAY_gcs_rpc_server_reconnect_timeout_s"] = str(head_t)
        cluster.wait_for_nodes()
        gcs_host, gcs_port = cluster.address.rsplit(":", 1)
        result["gcsAddress"] = cluster.address
        result["sessionDir"] = head.get_session_dir_path()
        created = run_driver(cluster.address, "create", 60, driver_log, worker_nodes[0].node_id, max_restarts, mon)
        result["calls"].append({"at": "setup", **created})
        if not created.get("ok") or created.get("value") != 1:
            raise RuntimeError(f"could not create the detached counter: {created}")
        mon.track("actor", created["pid"], None, "actor")
        result["setupSeconds"] = round(time.time() - wall_start, 1)
        last_value = [1]
        t0 = time.time()
        t0_ref[0] = t0
        result["t0Wall"] = t0
        mon.event("t0: cluster up, counter = 1", actorPid=created["pid"])

        gcs_gen = [1]

        def do_call(label):
            r = run_driver(cluster.address, "call", args.call_timeout, driver_log, monitor=mon)
            r["at"] = label
            result["calls"].append(r)
            mon.event("actor-call", label=label, ok=r.get("ok"), value=r.get("value"), error=r.get("error"))

        for step in sorted(sc.get("steps", []), key=lambda s: parse_duration(s["at"])):
            at = parse_duration(step["at"])
            if at > run_for:
                result["steps"].append({"do": step["do"], "at": at, "skipped": "after the cap"})
                continue
            delay = t0 + at - time.time()
            if delay > 0:
                time.sleep(delay)
            did = step["do"]
            rec = {"do": did, "at": at, "t": round(time.time() - t0, 2)}
            gcs_proc = head.all_processes.get(rc.PROCESS_TYPE_GCS_SERVER, [None])[0]
            gcs_running = gcs_proc is not None and gcs_proc.process.poll() is None
            if did == "gcs-process-kill":
                if not gcs_running:
                    rec["skipped"] = "no GCS process is running"
                else:
                    mon.set_cause(f"gcs_server#{gcs_gen[0]}", "gcs-process-kill")
                    head.kill_gcs_server()  # SIGKILL, waits for the exit
            elif did == "gcs-start":
                if gcs_running:
                    rec["skipped"] = "a GCS is already running"
                else:
                    if gcs_proc is not None:  # it exited on its own: clear Ray's bookkeeping first
                        head.kill_gcs_server(check_alive=False)
                    ns = step.get("storageNamespace")
                    os.environ["RAY_external_storage_namespace"] = ns or namespace
                    os.environ["RAY_gcs_rpc_server_reconnect_timeout_s"] = str(head_t)
                    mon.probe_gcs(gcs_host, int(gcs_port))
                    head.start_gcs_server()
                    os.environ["RAY_external_storage_namespace"] = namespace
                    gcs_gen[0] += 1
                    p = head.all_processes[rc.PROCESS_TYPE_GCS_SERVER][0].process
                    mon.track(f"gcs_server#{gcs_gen[0]}", p.pid, p, "gcs")
                    rec["namespace"] = ns or namespace
            elif did == "redis-flush":
                if redis is None:
                    rec["skipped"] = "no Redis (FT off)"
                else:
                    rec["keysBefore"] = redis.cli("DBSIZE").strip()
                    rec["reply"] = redis.cli("FLUSHALL").strip()
            elif did == "redis-restart":
                if redis is None:
                    rec["skipped"] = "no Redis (FT off)"
                else:
                    rec["keysBefore"] = redis.cli("DBSIZE").strip()
                    redis.stop()
                    mon.event("redis stopped (SIGTERM)", downtime=redis_downtime)
                    time.sleep(redis_downtime)
                    redis.start()
                    rec["keysAfter"] = redis.cli("DBSIZE").strip()
                    mon.event("redis started again", keys=rec["keysAfter"])
            elif did == "worker-pod-delete":
                w = int(step.get("worker", 1))
                node = worker_nodes[w - 1]
                mon.set_cause(f"worker-{w}/raylet", "worker-pod-delete")
                if mon.tracked.get("actor") and w == 1:
                    mon.set_cause("actor", "worker-pod-delete")
                cluster.remove_node(node, allow_graceful=False)
            elif did == "actor-call":
                th = threading.Thread(target=do_call, args=(f"step at {at:g} s",), daemon=True)
                th.start()
                call_threads.append(th)
            else:
                rec["skipped"] = f"step {did} cannot be performed without Kubernetes"
            rec["done"] = round(time.time() - t0, 2)
            result["steps"].append(rec)
            mon.event(f"step {did}", **{k: v for k, v in rec.items() if k not in ("do", "t")})

        delay = t0 + run_for - time.time()
        if delay > 0:
            time.sleep(delay)
        for th in call_threads:
            th.join()
        do_call("final (until)")
        time.sleep(0.3)
        result["end"] = round(time.time() - t0, 2)
        # the counter: every successful value must be the previous one + 1
        continued = True
        prev = 1
        for call in result["calls"][1:]:
            if call.get("ok") and call.get("value") == prev + 1:
                prev = call["value"]
            elif call.get("ok"):
                continued = False
                call["reset"] = True
                prev = call["value"]
        final = result["calls"][-1]
        result["actorContinued"] = bool(continued and final.get("ok") and final.get("value") == prev)
        last_value[0] = prev
    except Exception as e:  # noqa: BLE001
        result["setupError"] = f"{type(e).__name__}: {e}"
        traceback.print_exc()
    finally:
        # Everything below kills by pid; Ray's own shutdown is not relied upon.
        mon.stop_flag.set()
        mon.join(timeout=2)
        with mon.lock:
            result["processes"] = {n: {k: v for k, v in r.items() if k != "popen"} for n, r in mon.tracked.items()}
            result["events"] = list(mon.events)
        t0 = t0_ref[0] or time.time()
        try:
            pid_names = {r["pid"]: n for n, r in result["processes"].items()}
            result["logs"] = grep_logs(os.path.join(result.get("sessionDir", "/nonexistent"), "logs"), t0, pid_names)
        except Exception as e:  # noqa: BLE001
            result["logs"] = {"error": str(e)}
        result["cleanup"] = cleanup(mon, redis, cluster)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return result


def cleanup(mon: Monitor, redis, cluster) -> dict:
    """SIGKILL every process this run started (tracked pids, every descendant ever seen, the
    current descendants), then verify with pgrep that no gcs_server, raylet or redis-server is left."""
    mon.snapshot_descendants()
    targets: dict[int, int | None] = dict(mon.seen)
    for rec in mon.tracked.values():
        targets.setdefault(rec["pid"], rec["start"])
    if cluster is not None:
        for node in cluster.list_all_nodes():
            for infos in node.all_processes.values():
                for info in infos:
                    targets.setdefault(info.process.pid, None)
    me = ancestors(os.getpid())
    killed = []
    for pid, start in targets.items():
        if pid in me:
            continue
        if alive(pid, start):
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except OSError:
                pass
    # reap direct children so they do not linger as zombies
    for rec in mon.tracked.values():
        if rec["popen"] is not None:
            try:
                rec["popen"].wait(timeout=5)
            except Exception:  # noqa: BLE001
                pass
    if redis is not None and redis.proc is not None:
        try:
            redis.proc.wait(timeout=5)
        except Exception:  # noqa: BLE001
            pass
    if cluster is not None:
        for node in cluster.list_all_nodes():
            for infos in node.all_processes.values():
                for info in infos:
                    try:
                        info.process.wait(timeout=5)
                    except Exception:  # noqa: BLE001
                        pass
    deadline = time.time() + 10
    left = []
    while time.time() < deadline:
        left = [p for p, s in targets.items() if p not in me and alive(p, s)]
        if not left:
            break
        time.sleep(0.2)
    pg = {}
    for name in ("gcs_server", "raylet", "redis-server"):
        r = subprocess.run(["pgrep", "-f", name], capture_output=True, text=True)
        pids = [int(x) for x in r.stdout.split() if int(x) not in me]
        pg[name] = [f"{p} {cmdline(p)[:120]}" for p in pids if alive(p)]
    return {"killed": len(killed), "leftTracked": left, "pgrep": pg}


# --------------------------------------------------------------------------- outcomes and the table

def real_outcome(res: dict) -> dict:
    procs = res.get("processes", {})
    end = res.get("end")
    out = {}
    if res.get("setupError") and "t0Wall" not in res:
        return {"workers-survive-head-restart": "error", "detached-actor-survives": "error"}
    lost = [n for n, r in procs.items() if n.startswith("worker-") and n.endswith("/raylet")
            and r["diedAt"] is not None and r["cause"] != "worker-pod-delete" and (end is None or r["diedAt"] <= end)]
    out["workers-survive-head-restart"] = "violated" if lost else "held"
    out["detached-actor-survives"] = "held" if res.get("actorContinued") else "violated"
    return out


def last_step_before(res: dict, t: float):
    best = None
    for s in res.get("steps", []):
        if "skipped" not in s and s["do"] != "actor-call" and s["t"] <= t + 0.05:
            best = s
    return best


def describe_real(res: dict, outcome: dict) -> str:
    if outcome.get("workers-survive-head-restart") == "error":
        return f"run failed: {res.get('setupError')}"
    procs = res.get("processes", {})
    parts = []
    wr = []
    for n, r in procs.items():
        if n.startswith("worker-") and n.endswith("/raylet"):
            if r["diedAt"] is None:
                wr.append(f"{n.split('/')[0]} raylet alive at {fmt_s(res.get('end'))}")
            else:
                s = last_step_before(res, r["diedAt"])
                rel = f", {r['diedAt'] - s['t']:.1f} s after {s['do']}" if s else ""
                wr.append(f"{n.split('/')[0]} raylet exited at {r['diedAt']:.1f} s{rel} (exit code {r['exitCode']})")
    parts.append(f"**workers-survive: {outcome['workers-survive-head-restart']}** ({'; '.join(wr)})")
    calls = res.get("calls", [])
    vals = []
    for c in calls[1:]:
        if c.get("ok"):
            vals.append(str(c.get("value")))
        else:
            err = (c.get("error") or "").split(":")[0]
            vals.append(f"fail[{err}]")
    a = procs.get("actor", {})
    actor_note = f"actor process exited at {a['diedAt']:.1f} s" if a.get("diedAt") is not None else "actor process alive"
    parts.append(f"**actor: {outcome['detached-actor-survives']}** (counter 1 → {' → '.join(vals)}; {actor_note})")
    hr = procs.get("head/raylet", {})
    if hr.get("diedAt") is not None:
        parts.append(f"head raylet exited at {hr['diedAt']:.1f} s (code {hr['exitCode']})")
    for ev in res.get("events", []):
        if ev["what"] == "gcs-port-accepting":
            parts.append(f"restarted GCS accepting {ev['afterStart']:.1f} s after start")
    for n, r in procs.items():
        if n.startswith("gcs_server") and r["diedAt"] is not None and r["cause"] is None:
            parts.append(f"{n} exited by itself at {r['diedAt']:.1f} s (code {r['exitCode']})")
    return "; ".join(parts)


def describe_predicted(pred: dict) -> str:
    parts = []
    for prop in ("workers-survive-head-restart", "detached-actor-survives"):
        chk = pred["check"].get(prop, "?")
        allowed = pred["allowed"].get(prop, [])
        short = "workers-survive" if prop.startswith("workers") else "actor"
        parts.append(f"{short}: check {chk}, allowed {{{', '.join(allowed)}}}")
    ex = pred.get("workerExitMs", [])
    if ex:
        parts.append(f"model worker raylet exit {min(ex) / 1000:.1f}–{max(ex) / 1000:.1f} s "
                     f"({len(ex)}/{pred.get('seeds', 0)} seeds)")
    return "; ".join(parts)


def table_rows(results: list[dict], versions: dict) -> list[str]:
    rows = ["| Ray version | date | scenario | real outcome | predicted (allowed outcomes) | agreement |",
            "|---|---|---|---|---|---|"]
    for r in results:
        if r.get("notRunnable"):
            rows.append(f"| – | – | {r['scenario']} | not runnable here (no Kubernetes) | "
                        f"{describe_predicted(r['predicted']) if r.get('predicted') else '–'} | – |")
            continue
        agree = []
        for prop in ("workers-survive-head-restart", "detached-actor-survives"):
            real = r["outcome"].get(prop)
            allowed = r["predicted"]["allowed"].get(prop, [])
            short = "workers-survive" if prop.startswith("workers") else "actor"
            ok = real in allowed
            agree.append(f"{short}: {'yes' if ok else '**NO**'}")
        rows.append(f"| {versions['ray']} (Redis {versions['redis']}) | {r['date']} | {r['scenario']} | "
                    f"{describe_real(r['real'], r['outcome'])} | {describe_predicted(r['predicted'])} | "
                    f"{'; '.join(agree)} |")
    return rows


def write_doc(out_path: str, rows: list[str], note: str, append: bool = False):
    if append and os.path.exists(out_path):
        with open(out_path) as f:
            text = f.read()
        if TABLE_START in text and TABLE_END in text:
            old_block = text.split(TABLE_START)[1].split(TABLE_END)[0].strip().splitlines()
            old_table = [ln for ln in old_block if ln.startswith("|")]
            old_notes = [ln for ln in old_block if ln and not ln.startswith("|")]
            rows = old_table + rows[2:] if len(old_table) >= 2 else rows
            note = "\n\n".join(old_notes + [note])
    block = "\n".join([TABLE_START, note, "", *rows, TABLE_END])
    if os.path.exists(out_path):
        with open(out_path) as f:
            text = f.read()
        if TABLE_START in text and TABLE_END in text:
            pre = text.split(TABLE_START)[0]
            post = text.split(TABLE_END, 1)[1]
            text = pre + block + post
        else:
            text = text.rstrip() + "\n\n## Results\n\n" + block + "\n"
    else:
        text = "# Conformance of the model to real Ray\n\n## Results\n\n" + block + "\n"
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, out_path)


# --------------------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--scenarios", default="*", help="glob on the scenario file name (default *)")
    ap.add_argument("--scenario-dir", default=os.path.join(PROJECT, "models", "scenarios"))
    ap.add_argument("--simulate", default=DEFAULT_SIMULATE, help="the built `simulate` binary")
    ap.add_argument("--out", default=None, help="markdown file whose results table is (re)written, "
                                                "e.g. docs/conformance.md")
    ap.add_argument("--results", default=None, help="directory for the JSON results and driver logs")
    ap.add_argument("--seeds", type=int, default=50, help="seeds of the `simulate run` sweep (default 50)")
    ap.add_argument("--max-seconds", type=float, default=120.0,
                    help="cap on a scenario's `until` (default 120 s: no shipped scenario is capped)")
    ap.add_argument("--call-timeout", type=float, default=20.0, help="timeout of one actor call (default 20 s)")
    ap.add_argument("--append", action="store_true", help="add the rows to the table already in --out "
                                                           "instead of replacing it")
    ap.add_argument("--table-from", nargs="+", metavar="DIR", help="print (and with --out write) the table from "
                    "the result.json files of earlier --results directories; runs nothing")
    ap.add_argument("--repeat", type=int, default=1, help="real runs per scenario (default 1)")
    ap.add_argument("--_driver", choices=["create", "call"], help=argparse.SUPPRESS)
    ap.add_argument("--_address", help=argparse.SUPPRESS)
    ap.add_argument("--_timeout", type=float, default=20.0, help=argparse.SUPPRESS)
    ap.add_argument("--_node-id", dest="_node_id", default="", help=argparse.SUPPRESS)
    ap.add_argument("--_max-restarts", dest="_max_restarts", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._driver:
        return driver_main(args)

    versions = check_prerequisites()
    if not os.access(args.simulate, os.X_OK):
        print(f"error: no simulate binary at {args.simulate}. Build it (see Tests/Conformance/README.md) "
              f"or pass --simulate PATH", file=sys.stderr)
        return 2
    if args.table_from:
        results = []
        for d in args.table_from:
            for f in sorted(glob.glob(os.path.join(d, "*", "result.json"))):
                with open(f) as fh:
                    results.append(json.load(fh))
        rows = table_rows(results, versions)
        print("\n".join(rows))
        if args.out:
            note = (f"Rows re-tabulated from saved results ({', '.join(args.table_from)}) on "
                    f"{_dt.date.today().isoformat()}; see each row's date for when it ran.")
            write_doc(args.out, rows, note, append=args.append)
        return 0
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    results_dir = args.results or os.path.join(tempfile.gettempdir(), f"ray-conformance-{stamp}")
    os.makedirs(results_dir, exist_ok=True)
    print(f"Ray {versions['ray']}, Redis {versions['redis']}; results in {results_dir}", flush=True)
    model = Model(os.path.abspath(args.simulate), args.seeds, results_dir)
    files = sorted(f for f in glob.glob(os.path.join(args.scenario_dir, "*.json"))
                   if not f.endswith(".trace.json")
                   if fnmatch.fnmatch(os.path.basename(f), args.scenarios)
                   or fnmatch.fnmatch(os.path.basename(f), args.scenarios + ".json"))
    if not files:
        print(f"error: no scenario matches {args.scenarios!r} in {args.scenario_dir}", file=sys.stderr)
        return 2
    results = []
    leftovers = False
    for path in files:
        sc = load_scenario(path)
        name = os.path.basename(path)
        pred = model.predict(path)
        pred["seeds"] = args.seeds
        if pred["errors"] or not pred["check"]:
            print(f"error: the model could not be asked about {name}: {pred['errors']}", file=sys.stderr)
            return 2
        if sc.get("supervisor") != "manual":
            print(f"== {name}: supervisor {sc.get('supervisor')!r}: not runnable here (no Kubernetes)", flush=True)
            results.append({"scenario": name, "notRunnable": True, "predicted": pred})
            continue
        for rep in range(args.repeat):
            print(f"== {name} (run {rep + 1}/{args.repeat}); model allows {pred['allowed']}", flush=True)
            workdir = os.path.join(results_dir, f"{os.path.splitext(name)[0]}-{rep + 1}")
            os.makedirs(workdir, exist_ok=True)
            res = run_real(path, sc, args, workdir, pred.get("header", {}))
            outcome = real_outcome(res)
            entry = {"scenario": name, "date": _dt.date.today().isoformat(), "real": res, "outcome": outcome,
                     "predicted": pred}
            results.append(entry)
            with open(os.path.join(workdir, "result.json"), "w") as f:
                json.dump(entry, f, indent=1, default=str)
            cl = res.get("cleanup", {})
            pg = cl.get("pgrep", {})
            if cl.get("leftTracked") or any(pg.values()):
                leftovers = True
                print(f"   !! processes left: {cl}", flush=True)
            print(f"   real: {outcome}; cleanup killed {cl.get('killed')} pids, pgrep: {pg}", flush=True)
            print("   " + describe_real(res, outcome), flush=True)
            with open(os.path.join(workdir, "log-matches.txt"), "w") as f:
                for pat, hits in (res.get("logs") or {}).items():
                    if not isinstance(hits, list) or not hits:
                        continue
                    f.write(f"== {pat}: {len(hits)} line(s)\n")
                    for h in hits:
                        f.write(f"  t={h['t']} {h['process'] or '?'} {h['file']}: {h['line']}\n")
                    h = hits[0]
                    print(f"   log '{pat}': {len(hits)}x, first t={h['t']} {h['process'] or '?'} "
                          f"{h['file']}: {h['line'][:220]}", flush=True)
    rows = table_rows(results, versions)
    with open(os.path.join(results_dir, "table.md"), "w") as f:
        f.write("\n".join(rows) + "\n")
    print("\n".join(rows))
    if args.out:
        note = (f"Generated by `python3 Tests/Conformance/run_conformance.py` on {_dt.date.today().isoformat()} "
                f"(Ray {versions['ray']}, redis-server {versions['redis']}, {args.seeds} seeds, "
                f"cap {args.max_seconds:g} s, {args.repeat} run(s) per scenario). Times are seconds after t = 0, "
                f"the moment the counter first answered; steps run at their `at`.")
        write_doc(args.out, rows, note, append=args.append)
    disagreements = sum(1 for r in results if not r.get("notRunnable") and any(
        r["outcome"].get(p) not in r["predicted"]["allowed"].get(p, [])
        for p in ("workers-survive-head-restart", "detached-actor-survives")))
    print(f"{len(results)} rows, {disagreements} disagreeing; results in {results_dir}")
    return 3 if leftovers else (1 if disagreements else 0)


if __name__ == "__main__":
    sys.exit(main())
