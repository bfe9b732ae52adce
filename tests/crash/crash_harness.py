#!/usr/bin/env python3
"""Crash harness: kill -9 Grove at random moments, again and again, and check that nothing is lost.

Each iteration picks a scenario (a pipeline run with Tuning or ForEach, a server taking deploys, promotions and
rollouts, queued inference, grove apply, artifact uploads to S3), starts it on a shared data folder, kills its
process group with SIGKILL at a random moment of its run, and then:

  1. runs `grove doctor --json`, which must exit 0 (nothing lost or corrupt; warnings such as an orphaned
     execution or a temporary file are allowed),
  2. checks the same invariants itself, reading grove.db with Python's sqlite3 (read-only): events numbered
     1..N, model versions 1..n per group, at most one prediction per queued row and exactly one per answered
     row, every newly recorded artifact present with its SHA-256,
  3. runs the next command (`grove execution list`), which recovers what the kill left, and checks that no
     execution or step run is left running and that doctor reports no orphan any more.

Environment: CRASH_N (iterations, default 200), CRASH_SECONDS (a time bound, default 3600), CRASH_SEED,
CRASH_SCENARIOS (comma-separated names, default all), CRASH_KEEP (keep the data folders), CRASH_REPORT (write
the summary as JSON there), GROVE_BINARY, GROVE_SOURCE_DIR. Exits 0 when every iteration held, 1 otherwise
(the failing data folder is kept and named). tests/crash/README.md says more.
"""

import contextlib
import hashlib
import json
import os
import random
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

GROVE = os.environ.get("GROVE_BINARY", "grove")
SOURCE = os.environ.get("GROVE_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
UNFINISHED = ("Starting", "Executing", "Stopping")


class HarnessFailure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Folder:
    """One data folder and the grove commands run on it, from the folder `cwd` (where examples/ and datasets/ are
    found, and where the hooks of examples/grove.yaml append their notifications)."""

    cwd = SOURCE

    def __init__(self, home, extra=(), env=None):
        self.home = home
        self.extra = list(extra)
        self.env = dict(os.environ, **(env or {}))
        self.env.pop("GROVE_URL", None)
        self.checked_artifacts = 0  # Artifacts (by rowid) already hashed.

    def argv(self, *args):
        return [GROVE, "--home", self.home, *self.extra, *args]

    def run(self, *args, check=True, env=None, timeout=900):
        done = subprocess.run(self.argv(*args), cwd=Folder.cwd, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout, env=env or self.env)
        if check and done.returncode != 0:
            raise HarnessFailure("grove %s exited %d:\n%s%s" % (" ".join(args), done.returncode, done.stdout,
                                                                 done.stderr))
        return done

    def start(self, *args, env=None, log=None):
        out = open(log, "ab") if log else subprocess.DEVNULL
        return subprocess.Popen(self.argv(*args), cwd=Folder.cwd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, env=env or self.env, start_new_session=True)

    def db(self):
        """A read-only connection to grove.db, closed when the `with` block ends."""
        return contextlib.closing(sqlite3.connect("file:%s?mode=ro" % os.path.join(self.home, "grove.db"), uri=True,
                                                  timeout=30))


def kill_group(process):
    """SIGKILL to the process and everything it started (steps' scripts), then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def sha256_path(path):
    """Grove's digest of a file (its bytes); folders are checked for presence only here (doctor hashes them)."""
    if os.path.isdir(path):
        return None
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_invariants(folder):
    """The invariants, read straight from grove.db (one snapshot) and the artifact folder."""
    problems = []
    with folder.db() as db:
        db.execute("BEGIN")
        seqs = [r[0] for r in db.execute("SELECT seq FROM events ORDER BY seq")]
        if seqs != list(range(1, len(seqs) + 1)):
            missing = sorted(set(range(1, (seqs[-1] if seqs else 0) + 1)) - set(seqs))
            problems.append("events missing: %s" % missing[:10])
        for group, versions in db.execute("SELECT group_name, group_concat(version) FROM model_versions "
                                          "GROUP BY group_name"):
            numbers = sorted(int(v) for v in versions.split(","))
            if numbers != list(range(1, len(numbers) + 1)):
                problems.append("model group %s has versions %s" % (group, numbers))
        for message, state, n in db.execute(
                "SELECT m.id, m.state, (SELECT COUNT(*) FROM predictions p WHERE p.message_id = m.id) "
                "FROM queue_messages m"):
            if n > 1 or (state == "done") != (n == 1):
                problems.append("queue message %d is %s with %d predictions" % (message, state, n))
        rows = list(db.execute("SELECT rowid, digest, uri FROM artifacts WHERE rowid > ? ORDER BY rowid",
                               (folder.checked_artifacts,)))
    for rowid, digest, uri in rows:
        path = uri[len("file://"):] if uri.startswith("file://") else None
        if path is None:
            continue  # s3://: doctor checks those through the store.
        if not os.path.exists(path):
            problems.append("artifact %s is recorded but missing at %s" % (digest, path))
        elif sha256_path(path) not in (None, digest):
            problems.append("artifact %s at %s is corrupt" % (digest, path))
        folder.checked_artifacts = rowid
    return problems


def doctor(folder):
    done = folder.run("doctor", "--json", check=False)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        report = None
    if done.returncode != 0 or report is None:
        raise HarnessFailure("grove doctor exited %d:\n%s%s" % (done.returncode, done.stdout, done.stderr))
    return report


def recover_and_check(folder):
    """The next command recovers what a kill left: nothing runs any more, and doctor sees no orphan."""
    folder.run("execution", "list", "--json")
    with folder.db() as db:
        running = list(db.execute("SELECT id, status FROM executions WHERE status IN ('Executing', 'Stopping')"))
        steps = list(db.execute("SELECT execution_id, step_name, status FROM step_runs WHERE status IN (?, ?, ?)",
                                UNFINISHED))
    if running or steps:
        raise HarnessFailure("after the next command, still running: %s %s" % (running, steps))
    report = doctor(folder)
    orphans = [f for f in report["findings"] if f["kind"] == "orphaned-execution"]
    if orphans:
        raise HarnessFailure("doctor still reports orphans after recovery: %s" % orphans)
    # Nothing runs now, so every temporary file is garbage: --repair removes them, and the next doctor sees none.
    repaired = folder.run("doctor", "--repair", "--stale-after", "PT0S", "--json", check=False)
    if repaired.returncode != 0:
        raise HarnessFailure("grove doctor --repair exited %d:\n%s%s" % (repaired.returncode, repaired.stdout,
                                                                         repaired.stderr))
    left = [f for f in doctor(folder)["findings"] if f["kind"] == "temp-file"]
    if left:
        raise HarnessFailure("temporary files left after doctor --repair: %s" % left)


class Scenarios:
    """What gets killed. Each scenario starts its process(es) and returns (processes, how long a run takes)."""

    def __init__(self, tmp, folder, rng, moto_endpoint=None):
        self.tmp = tmp
        self.folder = folder
        self.rng = rng
        self.moto_endpoint = moto_endpoint
        self.s3_folder = None
        self.n = 0
        # How long each scenario's process runs when not killed (pipelines are measured at setup): kills land at a
        # random moment within it.
        self.durations = {"server_deploys": 5.0, "server_resumes": 3.0, "server_triggers": 3.0,
                          "queue_work": 3.0, "apply": 1.0,
                          "backup": 0.4}
        self.after = None  # A check of the scenario's own, run after the kill and doctor.
        self.server = None

    def path(self, name):
        return os.path.join(self.tmp, name)

    def sample_rows(self, source, name, header):
        """A copy of `source` without one random row: new content, so no step is served from the cache."""
        with open(source) as f:
            lines = f.readlines()
        start = 1 if header else 0
        drop = self.rng.randrange(start, len(lines))
        path = self.path(name)
        with open(path, "w") as f:
            f.writelines(lines[:drop] + lines[drop + 1:])
        return path

    # --- Pipelines -----------------------------------------------------------------------------------------------
    def run_abalone(self):
        data = self.sample_rows(os.path.join(SOURCE, "datasets/abalone/abalone-dataset.csv"), "abalone.csv", False)
        return [self.folder.start("run", "examples/abalone.yaml", "-q", "-p", "InputData=" + data,
                                  "-p", "ModelApprovalStatus=Approved", "-p", "MseThreshold=9")]

    def run_tuning(self):
        return [self.folder.start("run", "examples/multimodel.yaml", "-q", "-p", "DatasetName=breast-cancer",
                                  "-p", "RandomState=%d" % self.rng.randrange(1 << 20),
                                  "-p", "MaxTuningJobs=%d" % self.rng.randrange(4, 12),
                                  "-p", "RegisterModelApprovalStatus=Approved")]

    def run_foreach(self, dim=None):
        dim = dim or self.rng.choice(["DummyDim1", "DummyDim2"])
        source = os.path.join(SOURCE, "datasets/churn-100x-dimensions/training-dataset", dim,
                              "churn_dummy_dim%s.csv" % dim[-1])
        data = self.sample_rows(source, "fleet-%s.csv" % dim, True)
        return [self.folder.start("run", "examples/fleet.yaml", "-q", "-p", "StateDim=" + dim,
                                  "-p", "InputData=" + data, "-p", "NumRound=10")]

    # --- Serving: a server taking deploys, promotions and rollouts --------------------------------------------------
    def server_deploys(self):
        port = free_port()
        server = self.folder.start("server", "--listen", "127.0.0.1:%d" % port, "--auth", "off",
                                   "--queue-workers", "1", log=self.path("server.log"))
        remote = [GROVE]  # Through the server (GROVE_URL): the server's own transactions.
        local = [GROVE, "--home", self.folder.home]  # Commands that work on the data folder only.
        churn = "CustomerChurnPackageGroup/%d" % self.latest_version("CustomerChurnPackageGroup")
        rollback = "AbalonePackageGroup/%d" % self.rng.choice([1, 2])
        # A rejection and an approval (the server's promotion runner starts a run: staging, the gate, waiting for
        # a release manager), a canary rollout the server drives step by step, a deploy and a promotion, and
        # the approval of the newest waiting run (the runner then deploys production).
        commands = [
            "sleep 0.5",
            remote + ["registry", "reject", churn, "--comment", "crash"],
            remote + ["registry", "approve", churn, "--comment", "crash"],
            local + ["endpoint", "deploy", "abalone", rollback, "--canary", "50", "--bake", "1s"],
            local + ["endpoint", "deploy", "churn-staging", churn],
            local + ["endpoint", "promote", "churn-staging", "churn-prod", "--sample", "examples/churn-gate-sample.csv",
                     "--input", "raw", "--comment", "crash"],
            "id=$(%s promotion list --flow churn --json | %s -c %s)" % (
                " ".join(local), sys.executable,
                shlex.quote("import json, sys; runs = json.load(sys.stdin); "
                            "print(next((str(r['id']) for r in runs if r.get('status') == 'Pending'), ''))")),
            "[ -n \"$id\" ] && " + " ".join(local + ["promotion", "approve", "churn", "\"$id\"", "--by",
                                                     "release-manager", "--comment", "crash"]),
            "sleep 2",
        ]
        script = self.path("deploys.sh")
        with open(script, "w") as f:
            f.write("".join((c if isinstance(c, str) else " ".join(shlex.quote(a) for a in c)) + "\n"
                            for c in commands))
        env = dict(self.folder.env, GROVE_URL="http://127.0.0.1:%d" % port)
        client = subprocess.Popen(["sh", script], cwd=Folder.cwd, stdin=subprocess.DEVNULL, env=env,
                                  stdout=open(self.path("deploys.log"), "ab"), stderr=subprocess.STDOUT,
                                  start_new_session=True)
        return [server, client]

    def server_resumes(self):
        """A run killed while a server runs on the folder: the server takes the orphan over within a second and runs
        it on (keeping the steps that succeeded); the server is then killed at a random moment too."""
        port = free_port()
        server = self.folder.start("server", "--listen", "127.0.0.1:%d" % port, "--auth", "off",
                                   log=self.path("server.log"))
        time.sleep(0.5)
        name = self.rng.choice(["run_tuning", "run_foreach", "run_abalone"])
        run = getattr(self, name)()[0]
        time.sleep(self.rng.uniform(0.05, self.durations.get(name, 1.0)))
        kill_group(run)
        return [server]

    def backup(self):
        """grove backup killed part way: a backup without its manifest must be refused by restore; a complete one
        must restore into a folder where doctor finds nothing lost."""
        self.n += 1
        dest = self.path("backup-%d" % self.n)

        def after():
            target = Folder(self.path("restored-%d" % self.n))
            restored = target.run("restore", dest, check=False)
            if os.path.exists(os.path.join(dest, "MANIFEST.json")):
                if restored.returncode != 0:
                    raise HarnessFailure("restoring a complete backup exited %d: %s%s" % (
                        restored.returncode, restored.stdout, restored.stderr))
                doctor(target)
            elif restored.returncode != 2 or "has no MANIFEST.json" not in restored.stderr:
                raise HarnessFailure("an interrupted backup was not refused (exit %d): %s" % (
                    restored.returncode, restored.stderr))
            shutil.rmtree(target.home, ignore_errors=True)
            shutil.rmtree(dest, ignore_errors=True)

        self.after = after
        return [self.folder.start("backup", dest)]

    def server_triggers(self):
        """grove.yaml's triggers firing in a server (--watch): a training file starts the fleet pipeline, an inference
        file queues its rows; each firing is claimed, acted on, then completed, and the kill lands anywhere."""
        self.n += 1
        inbox = self.path("inbox")
        for kind, source in (("training", "training-dataset/DummyDim1/churn_dummy_dim1.csv"),
                             ("inference", "inference-dataset/DummyDim1/dim_1_test.csv")):
            folder = os.path.join(inbox, "%s-dataset" % kind, "DummyDim1")
            os.makedirs(folder, exist_ok=True)
            data = self.sample_rows(os.path.join(SOURCE, "datasets/churn-100x-dimensions", source),
                                    "%s-%d.csv" % (kind, self.n), True)
            os.rename(data, os.path.join(folder, "%s-%d.csv" % (kind, self.n)))  # Arrives at once.
        port = free_port()
        return [self.folder.start("server", "--listen", "127.0.0.1:%d" % port, "--auth", "off", "--watch", inbox,
                                  log=self.path("server.log"))]

    def latest_version(self, group):
        with self.folder.db() as db:
            row = db.execute("SELECT MAX(version) FROM model_versions WHERE group_name = ?", (group,)).fetchone()
        return row[0] or 1

    # --- Queued inference ------------------------------------------------------------------------------------------
    def queue_work(self):
        dim = "DummyDim1"
        source = os.path.join(SOURCE, "datasets/churn-100x-dimensions/inference-dataset", dim, "dim_1_test.csv")
        self.n += 1
        data = self.sample_rows(source, "queue-%d.csv" % self.n, True)
        enqueue = self.folder.start("queue", "enqueue", data, "--dim", dim, "--endpoint", "fleet")
        if self.rng.random() < 0.2:
            return [enqueue]  # Kill the enqueue itself now and then.
        enqueue.wait()
        return [self.folder.start("queue", "work", "--until-empty", "--batch", "16", "--visibility-ms", "300")]

    # --- grove apply --------------------------------------------------------------------------------------------
    def apply(self):
        """examples/grove.yaml with other capture percentages and a new trigger, from a copy of examples/ (the file
        names pipelines and samples relative to itself)."""
        examples = self.path("examples")
        with open(os.path.join(examples, "grove.yaml")) as f:
            text = f.read()
        text = text.replace("capture_percent: 10", "capture_percent: %d" % self.rng.randrange(0, 100))
        text = text.replace("capture_percent: 100", "capture_percent: %d" % self.rng.randrange(0, 100))
        path = os.path.join(examples, "grove-crash.yaml")
        with open(path, "w") as f:
            f.write(text)
        return [self.folder.start("apply", path)]

    # --- Artifact uploads to S3 (moto) -------------------------------------------------------------------------------
    def s3_upload(self):
        data = self.sample_rows(os.path.join(SOURCE, "datasets/abalone/abalone-dataset.csv"), "abalone-s3.csv", False)
        return [self.s3_folder.start("run", "examples/abalone.yaml", "-q", "-p", "InputData=" + data)]

    def names(self):
        names = ["run_abalone", "run_tuning", "run_foreach", "server_deploys", "server_resumes", "server_triggers",
                 "queue_work", "apply", "backup"]
        if self.moto_endpoint:
            names.append("s3_upload")
        return names


def start_moto(tmp):
    """moto's S3 server (the PATH python3's), or None when it is not installed."""
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError:
        return None, None
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import boto3
    s3 = boto3.client("s3", endpoint_url="http://127.0.0.1:%d" % port, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    deadline = time.time() + 30
    while True:
        try:
            s3.create_bucket(Bucket="grove-crash")
            return proc, "http://127.0.0.1:%d" % port
        except Exception:
            if time.time() > deadline:
                proc.kill()
                return None, None
            time.sleep(0.1)


def drain(folder):
    """At the end, every row ever queued is answered exactly once (or dead-lettered, with no answer)."""
    folder.run("queue", "work", "--until-empty", "--visibility-ms", "300", timeout=300)
    problems = check_invariants(folder)
    with folder.db() as db:
        waiting = db.execute("SELECT COUNT(*) FROM queue_messages WHERE state = 'queued'").fetchone()[0]
        answered = db.execute("SELECT COUNT(*) FROM predictions").fetchone()[0]
    if waiting:
        problems.append("%d queued rows still unanswered after the final drain" % waiting)
    if problems:
        raise HarnessFailure("after the final drain:\n  " + "\n  ".join(problems))
    print("final drain: %d rows answered once each" % answered, flush=True)


def setup(folder, scenarios):
    """A data folder with what the scenarios act on: grove.yaml applied, one model of each kind, timings."""
    folder.run("apply", "examples/grove.yaml")
    folder.run("endpoint", "create", "fleet", "--multi-model", "--follow", "*-model-registry")
    folder.run("endpoint", "create", "abalone", "--follow", "AbalonePackageGroup")
    folder.run("run", "examples/churn.yaml", "-q")
    # Two Abalone versions to roll between; DummyDim1's model answers the queue.
    for name, args in (("run_abalone", ()), ("run_abalone", ()), ("run_foreach", ("DummyDim1",)), ("run_tuning", ())):
        started = time.time()
        process = getattr(scenarios, name)(*args)[0]
        if process.wait() != 0:
            raise HarnessFailure("setup: %s exited %d" % (name, process.returncode))
        scenarios.durations[name] = time.time() - started
        print("setup: %s takes %.1f s" % (name, scenarios.durations[name]), flush=True)


def main():
    n = int(os.environ.get("CRASH_N", "200"))
    seconds = float(os.environ.get("CRASH_SECONDS", "3600"))
    seed = int(os.environ.get("CRASH_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="grove-crash-")
    # Commands run in `tmp`, with a copy of examples/ (apply rewrites grove.yaml there) and the data sets.
    shutil.copytree(os.path.join(SOURCE, "examples"), os.path.join(tmp, "examples"))
    os.symlink(os.path.join(SOURCE, "datasets"), os.path.join(tmp, "datasets"))
    Folder.cwd = tmp
    print("crash harness: %d iterations or %.0f s, seed %d, in %s" % (n, seconds, seed, tmp), flush=True)
    # A ctest timeout (SIGTERM) still stops moto and reports, through the `finally` below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("crash harness: terminated"))
    moto, moto_endpoint = start_moto(tmp)
    folder = Folder(os.path.join(tmp, "home"))
    scenarios = Scenarios(tmp, folder, rng, moto_endpoint)
    if moto_endpoint:
        scenarios.s3_folder = Folder(os.path.join(tmp, "home-s3"),
                                     ["--artifacts", "s3://grove-crash/artifacts", "--s3-endpoint", moto_endpoint],
                                     {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                                      "AWS_DEFAULT_REGION": "us-east-1"})
    else:
        print("moto is not installed for %s: the S3 upload scenario is skipped" % sys.executable, flush=True)
    wanted = [s for s in os.environ.get("CRASH_SCENARIOS", "").split(",") if s]
    names = [s for s in scenarios.names() if not wanted or s in wanted]
    stats = {name: {"iterations": 0, "warnings": {}, "lost": 0} for name in names}
    failed = None
    started = time.time()
    iteration = 0
    try:
        setup(folder, scenarios)
        if scenarios.s3_folder:
            scenarios.s3_folder.run("run", "examples/abalone.yaml", "-q")
            scenarios.durations["s3_upload"] = scenarios.durations["run_abalone"] * 1.5
        while iteration < n and time.time() - started < seconds:
            iteration += 1
            name = names[(iteration - 1) % len(names)] if iteration <= len(names) else rng.choice(names)
            target = scenarios.s3_folder if name == "s3_upload" else folder
            typical = scenarios.durations.get(name, 2.0)
            processes = getattr(scenarios, name)()
            delay = rng.uniform(0.05, typical * 1.1)
            time.sleep(delay)
            for p in processes:
                kill_group(p)
            stats[name]["iterations"] += 1
            try:
                report = doctor(target)
                for f in report["findings"]:
                    stats[name]["warnings"][f["kind"]] = stats[name]["warnings"].get(f["kind"], 0) + 1
                problems = check_invariants(target)
                if problems:
                    raise HarnessFailure("invariants broken:\n  " + "\n  ".join(problems))
                recover_and_check(target)
                if scenarios.after:
                    scenarios.after()
                    scenarios.after = None
            except HarnessFailure as e:
                stats[name]["lost"] += 1
                failed = "iteration %d (%s): %s" % (iteration, name, e)
                break
            print("%3d %-15s killed after %.2f s; doctor: %s" % (
                iteration, name, delay, ", ".join(sorted({f["kind"] for f in report["findings"]})) or "clean"),
                flush=True)
        if not failed and "queue_work" in names:
            drain(folder)
    except HarnessFailure as e:
        failed = failed or "setup or the final drain: %s" % e
    finally:
        if moto:
            moto.kill()
            moto.wait()
    elapsed = time.time() - started
    summary = {"seed": seed, "iterations": iteration, "seconds": round(elapsed, 1), "scenarios": stats,
               "failure": failed}
    if os.environ.get("CRASH_REPORT"):
        with open(os.environ["CRASH_REPORT"], "w") as f:
            json.dump(summary, f, indent=2)
    print(json.dumps(summary, indent=2))
    if failed:
        print("FAILED: %s\nthe data folder is kept: %s (CRASH_SEED=%d reproduces the order)" % (failed, tmp, seed))
        return 1
    if not os.environ.get("CRASH_KEEP"):
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d kills in %.0f s: nothing lost" % (iteration, elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
