"""Scale-out on one machine: PostgreSQL (scripts/postgres.sh) and moto's S3 on loopback, and `grove server`
processes with data folders of their own sharing them (--db postgresql://... --artifacts s3://... --s3-endpoint).

- `grove migrate-store` moves a SQLite data folder into PostgreSQL and S3; any folder then sees its history.
- An execution started on server A is visible on B; an approval made on B changes what A serves within 1 s.
- kill -9 of A mid-execution: B takes the execution over and finishes it; no step that had succeeded runs again."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from grove_server import GROVE, SOURCE_DIR, GroveServer, grove, main  # noqa: E402
from s3_artifacts_test import HAVE_MOTO, free_port  # noqa: E402

if HAVE_MOTO:
    import boto3

ROW = "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15"


@unittest.skipUnless(HAVE_MOTO, "moto and boto3 are not installed for " + sys.executable)
class ScaleOutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="grove-scale-")
        os.chmod(cls.tmp, 0o755)  # The PostgreSQL server runs as its own user (scripts/postgres.sh).
        script = os.path.join(SOURCE_DIR, "scripts", "postgres.sh")
        cls.pg_dir = os.path.join(cls.tmp, "pg")
        started = subprocess.run([script, "start", cls.pg_dir], capture_output=True, text=True)
        if started.returncode != 0:
            raise AssertionError("cannot start PostgreSQL: " + started.stderr)
        url = started.stdout.strip()
        cls.pg_base = url[:url.rfind("/") + 1]
        cls.port = free_port()
        cls.endpoint = f"http://127.0.0.1:{cls.port}"
        cls.moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(cls.port)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                           "AWS_DEFAULT_REGION": "us-east-1"})
        s3 = boto3.client("s3", endpoint_url=cls.endpoint, region_name="us-east-1")
        deadline = time.time() + 30
        while True:
            try:
                s3.create_bucket(Bucket="grove-shared")
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        cls.s3 = s3

    @classmethod
    def tearDownClass(cls):
        cls.moto.terminate()
        cls.moto.wait()
        subprocess.run([os.path.join(SOURCE_DIR, "scripts", "postgres.sh"), "stop", cls.pg_dir], check=False)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def stores(self, database, prefix):
        return ["--db", self.pg_base + database, "--artifacts", "s3://grove-shared/" + prefix,
                "--s3-endpoint", self.endpoint]

    # --- REST helpers -------------------------------------------------------------------------------------------
    def call(self, server, method, path, body=None, content_type="application/json", key=None):
        data = None
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        request = urllib.request.Request(server.url + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + (key or self.key))
        if data is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
                return response.status, (json.loads(text) if text.startswith(b"{") else text.decode())
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def wait_for_status(self, server, execution, timeout=120):
        deadline = time.time() + timeout
        while True:
            status, body = self.call(server, "GET", "/api/v1/executions/" + execution)
            self.assertEqual(status, 200, body)
            if body["status"] not in ("Executing", "Stopping"):
                return body
            self.assertLess(time.time(), deadline, "execution %s did not end" % execution)
            time.sleep(0.1)

    def start_pipeline(self, server, path, parameters=None):
        with open(path) as f:
            status, stored = self.call(server, "POST", "/api/v1/pipelines", f.read(), content_type="application/yaml")
        self.assertIn(status, (200, 201), stored)
        status, started = self.call(server, "POST", "/api/v1/executions",
                                    {"pipeline": stored["pipeline"], "parameters": parameters or {}})
        self.assertEqual(status, 201, started)
        return started["id"]

    # --- Tests --------------------------------------------------------------------------------------------------
    def test_migrate_store_moves_a_sqlite_folder_to_postgresql_and_s3(self):
        home = os.path.join(self.tmp, "sqlite-home")
        grove(home, "run", "examples/abalone.yaml")
        before_versions = json.loads(grove(home, "registry", "versions", "AbalonePackageGroup", "--json").stdout)
        before_executions = json.loads(grove(home, "execution", "list", "--json").stdout)
        moved = grove(home, "migrate-store", "--to-db", self.pg_base + "migrated", "--to-artifacts",
                      "s3://grove-shared/migrated", "--to-s3-endpoint", self.endpoint, "--json")
        report = json.loads(moved.stdout)
        self.assertGreater(report["artifacts_copied"], 5)
        self.assertGreater(report["rows"]["events"], 10)

        # A new, empty folder on the new stores sees the same history, and the bytes come from the bucket.
        other = os.path.join(self.tmp, "fresh-home")
        flags = self.stores("migrated", "migrated")
        after_versions = json.loads(grove(other, "registry", "versions", "AbalonePackageGroup", "--json",
                                          *flags).stdout)
        self.assertEqual(after_versions, before_versions)
        after_executions = json.loads(grove(other, "execution", "list", "--json", *flags).stdout)
        self.assertEqual(after_executions, before_executions)
        model = before_versions[0]["model"]
        keys = {o["Key"] for o in self.s3.list_objects_v2(Bucket="grove-shared", Prefix="migrated/")["Contents"]}
        self.assertIn(f"migrated/sha256/{model[:2]}/{model}", keys)

        # A store that already holds rows is refused, and keeps them.
        again = grove(home, "migrate-store", "--to-db", self.pg_base + "migrated", check=False)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("is not empty", again.stderr)
        self.assertEqual(json.loads(grove(other, "registry", "versions", "AbalonePackageGroup", "--json",
                                          *flags).stdout), before_versions)

    def test_two_servers_share_executions_approvals_and_take_over_a_dead_ones_work(self):
        flags = self.stores("shared", "prod")
        a = GroveServer(*flags, home=os.path.join(self.tmp, "server-a"))
        self.addCleanup(a.close)
        self.key = a.secret_access_key
        b = GroveServer(*flags, home=os.path.join(self.tmp, "server-b"))
        self.addCleanup(b.close)

        # Started on A, visible on B at once, and run to its end.
        execution = self.start_pipeline(a, os.path.join(SOURCE_DIR, "examples", "abalone.yaml"),
                                        {"MseThreshold": 7.5})
        status, seen = self.call(b, "GET", "/api/v1/executions/" + execution)
        self.assertEqual(status, 200, seen)
        self.assertEqual(self.wait_for_status(b, execution)["status"], "Succeeded")

        # A serves what B approves, within a second.
        status, body = self.call(a, "POST", "/api/v1/endpoints", {"name": "abalone", "follow": ["AbalonePackage*"]})
        self.assertEqual(status, 201, body)
        status, versions = self.call(b, "GET", "/api/v1/registry/groups/AbalonePackageGroup/versions")
        version = versions["items"][-1]["version"]
        invoke = "/api/v1/endpoints/abalone/invocations?input=raw"
        status, body = self.call(a, "POST", invoke, ROW, content_type="text/csv")
        self.assertNotEqual(status, 200, "nothing is approved yet: " + str(body))
        approved_at = time.time()
        status, body = self.call(b, "POST", "/api/v1/registry/groups/AbalonePackageGroup/versions/%d/approve"
                                 % version, {"comment": "ok"})
        self.assertEqual(status, 200, body)
        answers = {}
        for name, server in (("A", a), ("B", b)):
            while True:
                status, body = self.call(server, "POST", invoke, ROW, content_type="text/csv")
                if status == 200:
                    break
                self.assertLess(time.time() - approved_at, 1.0, name + " did not serve the approval within 1 s: " +
                                str(body))
                time.sleep(0.01)
            print("approval on B served by %s after %.0f ms" % (name, (time.time() - approved_at) * 1000))
            answers[name] = body
        self.assertEqual(answers["A"], answers["B"])

        # kill -9 of A while a step runs: B takes the execution over; what had succeeded does not run again.
        marks = os.path.join(self.tmp, "marks")
        os.makedirs(marks, exist_ok=True)
        definition = os.path.join(self.tmp, "slow.yaml")
        step = ("{name: %s, type: Processing, %s arguments: {command: [sh, -c, 'echo $$ >> " + marks +
                "/%s; %s mkdir -p \"$GROVE_OUTPUT_OUT\"; echo %s > \"$GROVE_OUTPUT_OUT/x\"'], outputs: [out]}}")
        with open(definition, "w") as f:
            f.write("pipeline: slow\nsteps:\n")
            f.write("  - " + step % ("First", "", "first", "", "1") + "\n")
            f.write("  - " + step % ("Slow", "depends_on: [First],", "slow", "sleep 2;", "2") + "\n")
            f.write("  - " + step % ("Last", "depends_on: [Slow],", "last", "", "3") + "\n")
        execution = self.start_pipeline(a, definition)
        deadline = time.time() + 60
        while not os.path.exists(os.path.join(marks, "slow")):
            self.assertLess(time.time(), deadline, "Slow never started on A")
            time.sleep(0.02)
        a.process.send_signal(signal.SIGKILL)
        a.process.wait()
        ended = self.wait_for_status(b, execution, timeout=60)
        self.assertEqual(ended["status"], "Succeeded", ended)
        with open(os.path.join(marks, "first")) as f:
            self.assertEqual(len(f.read().split()), 1, "First had succeeded on A and must not run again")
        with open(os.path.join(marks, "slow")) as f:
            self.assertEqual(len(f.read().split()), 2, "Slow was cut short on A and runs again on B")
        b.wait_for(r"resumed execution " + execution)


if __name__ == "__main__":
    main()
