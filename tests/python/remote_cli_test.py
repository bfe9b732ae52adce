"""End-to-end: the grove CLI with GROVE_URL sends its commands to a server and prints what it prints locally.

Each command is run twice on one data folder, once on the folder (--home) and once through the server that
serves it (GROVE_URL), and both runs must print the same and exit the same.
Run by ctest (CMake passes the binary in GROVE_BINARY). By hand:
GROVE_BINARY=build/grove python3 tests/python/remote_cli_test.py -v
"""
import json
import os
import subprocess
import time
import unittest
import urllib.request

from grove_server import GROVE, SOURCE_DIR, GroveServer, grove, main

# Two steps that take a moment each, so a follower sees the execution change.
SLOW_PIPELINE = """pipeline: slow
parameters:
  Word: {type: String, default: hi}
steps:
  - name: First
    type: Processing
    cache: false
    arguments:
      command: [sh, -c, 'sleep 0.6; echo first > "$GROVE_OUTPUT_OUT/a.txt"']
      outputs: [out]
  - name: Second
    type: Processing
    depends_on: [First]
    cache: false
    arguments:
      command: [sh, -c, 'sleep 0.6; echo second > "$GROVE_OUTPUT_OUT/b.txt"']
      outputs: [out]
"""


class RemoteCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = GroveServer()
        cls.home = cls.server.home
        cls.definition = os.path.join(cls.home, "slow.yaml")
        with open(cls.definition, "w") as f:
            f.write(SLOW_PIPELINE)
        grove(cls.home, "pipeline", "create", cls.definition)
        grove(cls.home, "run", os.path.join("examples", "abalone.yaml"), "-q")
        approver = json.loads(grove(cls.home, "key", "create", "--role", "approver", "--name", "remote-approver",
                                    "--json").stdout)
        cls.approver_secret = approver["secret_access_key"]
        time.sleep(0.05)  # The server re-reads its keys at most every 20 ms when asked for one it lacks.

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def remote(self, *args, secret=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GROVE_", "AWS_"))}
        env.update({"GROVE_URL": self.server.url,
                    "GROVE_SECRET_ACCESS_KEY": secret or self.server.secret_access_key})
        return subprocess.run([GROVE, *args], cwd=SOURCE_DIR, env=env, capture_output=True, text=True, timeout=300)

    def local(self, *args):
        return grove(self.home, *args, check=False)

    def assert_same(self, *args):
        local, remote = self.local(*args), self.remote(*args)
        self.assertEqual((remote.returncode, remote.stdout, remote.stderr),
                         (local.returncode, local.stdout, local.stderr), " ".join(args))
        return remote

    def execution_id(self, pipeline):
        return json.loads(self.local("execution", "list", "--pipeline", pipeline, "--json").stdout)[0]["id"]

    def test_reads_print_the_same_through_the_server(self):
        abalone = self.execution_id("abalone")
        for args in (["pipeline", "list"], ["pipeline", "show", "abalone"], ["pipeline", "show", "slow", "--json"],
                     ["execution", "list"], ["execution", "list", "--limit", "1", "--json"],
                     ["execution", "show", abalone], ["execution", "steps", abalone],
                     ["execution", "steps", abalone, "--json"], ["registry", "groups"],
                     ["registry", "versions", "AbalonePackageGroup"], ["registry", "show", "AbalonePackageGroup/1"],
                     ["registry", "show", "AbalonePackageGroup/1", "--report", "--json"], ["endpoint", "list"]):
            self.assert_same(*args)

    def test_errors_exit_the_same_through_the_server(self):
        for args in (["execution", "show", "nope"], ["pipeline", "show", "nope"], ["registry", "show", "x"],
                     ["registry", "versions", "Nope"], ["execution", "list", "--limit", "0"],
                     ["endpoint", "show", "nope"]):
            result = self.assert_same(*args)
            self.assertEqual(result.returncode, 2, args)

    def test_pipeline_create_stores_the_file_through_the_server(self):
        path = os.path.join(self.home, "hello.yaml")
        with open(path, "w") as f:
            f.write(SLOW_PIPELINE.replace("pipeline: slow", "pipeline: hello"))
        created = self.remote("pipeline", "create", path)
        self.assertEqual((created.returncode, created.stdout), (0, "pipeline hello version 1 stored\n"), created.stderr)
        again = self.assert_same("pipeline", "create", path)
        self.assertEqual(again.stdout, "pipeline hello version 1 unchanged (the latest version has the same text)\n")
        missing = self.assert_same("pipeline", "create", os.path.join(self.home, "nope.yaml"))
        self.assertEqual(missing.returncode, 2)

    def test_start_by_name_waits_for_the_end(self):
        result = self.remote("execution", "start", "slow", "-p", "Word=remote")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("status      Succeeded", result.stdout)
        self.assertIn('"Word":"remote"', result.stdout)
        failed = self.remote("execution", "start", "abalone", "-p", "MseThreshold=0.1", "--json")
        self.assertEqual(failed.returncode, 6, failed.stderr)  # Ended at its Fail step: a condition not met.
        self.assertEqual(json.loads(failed.stdout[failed.stdout.index("{"):])["status"], "Failed")
        unknown = self.remote("execution", "start", "nope")
        self.assertEqual(unknown.returncode, 2)

    def test_steps_follow_uses_the_event_stream_until_the_end(self):
        request = urllib.request.Request(self.server.url + "/api/v1/executions", method="POST",
                                         data=json.dumps({"pipeline": "slow", "parameters": {"Word": "follow"}}).encode())
        request.add_header("Authorization", "Bearer " + self.server.secret_access_key)
        with urllib.request.urlopen(request) as response:
            execution = json.loads(response.read())["id"]
        result = self.remote("execution", "steps", execution, "--follow")
        self.assertEqual(result.returncode, 0, result.stderr)
        headers = [line for line in result.stdout.splitlines() if line.startswith("execution " + execution)]
        self.assertGreater(len(headers), 1, result.stdout)  # Printed again as steps changed.
        self.assertEqual(headers[-1], "execution %s  Succeeded" % execution)

    def test_approval_records_the_key(self):
        result = self.remote("registry", "approve", "AbalonePackageGroup/1", "--by", "me", secret=self.approver_secret)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--by", result.stderr)
        result = self.remote("registry", "approve", "AbalonePackageGroup/1", "--comment", "remote",
                             secret=self.approver_secret)
        self.assertEqual((result.returncode, result.stdout), (0, "AbalonePackageGroup/1 is now Approved\n"),
                         result.stderr)
        shown = json.loads(self.local("registry", "show", "AbalonePackageGroup/1", "--json").stdout)
        self.assertEqual(shown["approval_changed_by"], "remote-approver")
        denied = self.remote("registry", "reject", "AbalonePackageGroup/1", secret="not-a-key")
        self.assertEqual(denied.returncode, 2)
        self.assertIn("access key", denied.stderr)

    def test_commands_that_need_the_data_folder_say_so(self):
        for args in (["execution", "logs", "x"], ["artifact", "show", "x"], ["key", "list"]):
            result = self.remote(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertIn("grove " + " ".join(args[:2]) + " works on a data folder", result.stderr)
        # --home names a data folder: GROVE_URL does not apply.
        result = self.remote("--home", self.home, "key", "list")
        self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    main()
