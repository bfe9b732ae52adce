"""End-to-end: `grove backup` of a data folder while a real `grove server` on it takes writes (executions it runs,
approvals and rejections, endpoint changes), then `grove restore` into a new folder: doctor finds nothing lost, and
the registry and executions the backup saw are there (docs/operations.md, "Backups").

Run by ctest (CMake passes the binary in GROVE_BINARY). By hand:
GROVE_BINARY=build/grove python3 tests/python/backup_test.py -v
"""
import json
import os
import shutil
import subprocess
import tempfile
import threading
import unittest

from grove_server import GROVE, SOURCE_DIR, GroveServer, grove, main


class BackupTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="grove-backup-")
        cls.server = GroveServer("--auth", "off", home=os.path.join(cls.tmp.name, "home"))

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.tmp.cleanup()

    def remote(self, *args):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GROVE_", "AWS_"))}
        env["GROVE_URL"] = self.server.url
        return subprocess.run([GROVE, *args], cwd=SOURCE_DIR, env=env, capture_output=True, text=True, timeout=300)

    def writes(self, stop, errors):
        """What the server does while backups run: executions, approvals flipping, an endpoint redeployed."""
        n = 0
        while not stop.is_set():
            n += 1
            steps = [("run", "examples/abalone.yaml", "-p", "MseThreshold=%d" % (7 + n % 3),
                      "-p", "ModelApprovalStatus=Approved"),
                     ("registry", "reject" if n % 2 else "approve", "AbalonePackageGroup/1", "--comment", "flip"),
                     ("endpoint", "deploy", "abalone", "AbalonePackageGroup/%d" % (1 + n % 2))]
            for args in steps:
                done = self.remote(*args)
                if done.returncode not in (0, 2) and not stop.is_set():  # 2: e.g. deploying a rejected version.
                    errors.append("grove %s exited %d: %s" % (" ".join(args), done.returncode, done.stderr))

    def test_backups_taken_under_writes_restore_whole(self):
        home = self.server.home
        self.assertEqual(self.remote("run", "examples/abalone.yaml", "-p", "ModelApprovalStatus=Approved").returncode, 0)
        grove(home, "endpoint", "create", "abalone", "--follow", "AbalonePackageGroup")
        stop, errors = threading.Event(), []
        writer = threading.Thread(target=self.writes, args=(stop, errors))
        writer.start()
        try:
            backups = []
            for i in range(3):
                before = json.loads(grove(home, "registry", "versions", "AbalonePackageGroup", "--json").stdout)
                dest = os.path.join(self.tmp.name, "backup-%d" % i)
                done = grove(home, "backup", dest)
                self.assertIn("backed up", done.stdout)
                backups.append((dest, len(before)))
        finally:
            stop.set()
            writer.join()
        self.assertEqual(errors, [])
        for i, (dest, versions_before) in enumerate(backups):
            with open(os.path.join(dest, "MANIFEST.json")) as f:
                manifest = json.load(f)
            self.assertEqual(manifest["metadata"]["format"], "sqlite")
            target = os.path.join(self.tmp.name, "restored-%d" % i)
            restored = grove(target, "restore", dest)
            self.assertIn("grove doctor: nothing lost or corrupt", restored.stdout)
            doctor = json.loads(grove(target, "doctor", "--json").stdout)
            self.assertTrue(doctor["healthy"], doctor["findings"])
            # The backup copies what is recorded after its snapshot, so it may hold a few artifacts more than the
            # restored metadata names; every one it names is there (doctor: healthy).
            self.assertGreater(doctor["checked"]["artifacts"], 0)
            self.assertLessEqual(doctor["checked"]["artifacts"], manifest["artifacts"])
            versions = json.loads(grove(target, "registry", "versions", "AbalonePackageGroup", "--json").stdout)
            self.assertGreaterEqual(len(versions), versions_before)
            executions = json.loads(grove(target, "execution", "list", "--json").stdout)
            self.assertGreaterEqual(len(executions), 1)
            self.assertTrue(any(e["status"] == "Succeeded" for e in executions))
            endpoint = json.loads(grove(target, "endpoint", "show", "abalone", "--json").stdout)
            self.assertEqual(endpoint["name"], "abalone")
            # A restored model serves.
            self.assertEqual(grove(target, "invoke", "abalone", "--input", "raw",
                                   "--data", "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15").returncode, 0)

    def test_restore_refuses_a_folder_in_use_and_an_incomplete_backup(self):
        home = self.server.home
        dest = os.path.join(self.tmp.name, "backup-refused")
        grove(home, "backup", dest)
        refused = grove(home, "restore", dest, check=False)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("is not empty: restore into a new or empty folder, or pass --force", refused.stderr)
        again = grove(home, "backup", dest, check=False)
        self.assertEqual(again.returncode, 2)
        self.assertIn("is not empty: back up into a new folder", again.stderr)
        os.remove(os.path.join(dest, "MANIFEST.json"))
        incomplete = grove(os.path.join(self.tmp.name, "never"), "restore", dest, check=False)
        self.assertEqual(incomplete.returncode, 2)
        self.assertIn("has no MANIFEST.json", incomplete.stderr)


class PostgresBackupTest(unittest.TestCase):
    """With a PostgreSQL metadata store (scripts/postgres.sh): pg_dump while a server on it takes writes, then
    pg_restore into another database."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="grove-pg-backup-")
        os.chmod(cls.tmp, 0o755)  # The PostgreSQL server runs as its own user.
        cls.pg_dir = os.path.join(cls.tmp, "pg")
        started = subprocess.run([os.path.join(SOURCE_DIR, "scripts", "postgres.sh"), "start", cls.pg_dir],
                                 capture_output=True, text=True)
        if started.returncode != 0:
            raise unittest.SkipTest("cannot start PostgreSQL: " + started.stderr)
        url = started.stdout.strip()
        cls.base = url[:url.rfind("/") + 1]

    @classmethod
    def tearDownClass(cls):
        subprocess.run([os.path.join(SOURCE_DIR, "scripts", "postgres.sh"), "stop", cls.pg_dir], check=False)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_pg_dump_under_writes_restores_into_another_database(self):
        db = ["--db", self.base + "live"]
        home = os.path.join(self.tmp, "home")
        grove(home, *db, "run", "examples/abalone.yaml", "-p", "ModelApprovalStatus=Approved")
        server = GroveServer("--auth", "off", *db, home=home)
        try:
            writer = subprocess.Popen([GROVE, "--home", home, *db, "run", "examples/abalone.yaml",
                                       "-p", "MseThreshold=8"], cwd=SOURCE_DIR, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
            dest = os.path.join(self.tmp, "backup")
            grove(home, *db, "backup", dest)
            writer.wait()
        finally:
            server.close()
        with open(os.path.join(dest, "MANIFEST.json")) as f:
            self.assertEqual(json.load(f)["metadata"], {"format": "pg_dump", "file": "metadata.pgdump"})
        refused = grove(os.path.join(self.tmp, "sqlite-target"), "restore", dest, check=False)
        self.assertEqual(refused.returncode, 2)
        self.assertIn("restore it into PostgreSQL with --db", refused.stderr)
        target = ["--db", self.base + "restored"]
        restored_home = os.path.join(self.tmp, "restored")
        restored = grove(restored_home, *target, "restore", dest)
        self.assertIn("grove doctor: nothing lost or corrupt", restored.stdout)
        versions = json.loads(grove(restored_home, *target, "registry", "versions", "AbalonePackageGroup",
                                    "--json").stdout)
        self.assertGreaterEqual(len(versions), 1)
        self.assertTrue(json.loads(grove(restored_home, *target, "doctor", "--json").stdout)["healthy"])


if __name__ == "__main__":
    main()
