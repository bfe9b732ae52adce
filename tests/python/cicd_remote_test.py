"""End-to-end: what CI does through a server (GROVE_URL): `grove run FILE` stores and runs on the server,
`--no-wait` prints the id, `grove execution wait ID [--timeout]` follows it, and the exit codes say how it
ended (docs/cli.md): 0 succeeded, 5 timed out (the execution goes on), 6 ended at its Fail step.

Run by ctest (CMake passes the binary in GROVE_BINARY). By hand:
GROVE_BINARY=build/grove python3 tests/python/cicd_remote_test.py -v
"""
import json
import os
import subprocess
import unittest

from grove_server import GROVE, SOURCE_DIR, GroveServer, main

SLEEPER = """pipeline: sleeper
parameters:
  Seconds: {type: String, default: "2"}
steps:
  - name: Sleep
    type: Processing
    cache: false
    arguments:
      command: [sh, -c, 'sleep "$SECONDS_TO_SLEEP"']
      env: {SECONDS_TO_SLEEP: {Get: Parameters.Seconds}}
"""


class CicdRemoteTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = GroveServer()
        cls.definition = os.path.join(cls.server.home, "sleeper.yaml")
        with open(cls.definition, "w") as f:
            f.write(SLEEPER)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def remote(self, *args):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GROVE_", "AWS_"))}
        env.update({"GROVE_URL": self.server.url, "GROVE_SECRET_ACCESS_KEY": self.server.secret_access_key})
        return subprocess.run([GROVE, *args], cwd=SOURCE_DIR, env=env, capture_output=True, text=True, timeout=300)

    def test_no_wait_then_wait_with_a_timeout(self):
        started = self.remote("run", self.definition, "--no-wait", "-p", "Seconds=3")
        self.assertEqual(started.returncode, 0, started.stderr)
        execution = started.stdout.strip()
        early = self.remote("execution", "wait", execution, "--timeout", "300ms")
        self.assertEqual(early.returncode, 5, early.stderr)
        self.assertIn("it keeps running", early.stderr)
        done = self.remote("execution", "wait", execution, "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["status"], "Succeeded")

    def test_run_through_the_server_waits_and_times_out_without_stopping(self):
        result = self.remote("run", self.definition, "-p", "Seconds=0", "--timeout", "2m")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("status      Succeeded", result.stdout)
        slow = self.remote("--json", "execution", "start", "sleeper", "-p", "Seconds=2", "--timeout", "200ms")
        self.assertEqual(slow.returncode, 5, slow.stderr)
        listed = json.loads(self.remote("execution", "list", "--pipeline", "sleeper", "--limit", "1",
                                        "--json").stdout)[0]
        self.assertEqual(listed["status"], "Executing", "a timeout through a server leaves it running")
        self.assertEqual(self.remote("execution", "wait", listed["id"]).returncode, 0)

    def test_a_model_not_good_enough_exits_6(self):
        result = self.remote("run", os.path.join("examples", "abalone.yaml"), "-p", "MseThreshold=0.1", "--json")
        self.assertEqual(result.returncode, 6, result.stderr)
        self.assertEqual(json.loads(result.stdout)["failure_reason"], "Execution failed due to MSE > 0.1")

    def test_pipeline_push_and_bad_flags(self):
        pushed = self.remote("pipeline", "push", self.definition)
        self.assertEqual(pushed.returncode, 0, pushed.stderr)
        self.assertIn("pipeline sleeper version", pushed.stdout)
        refused = self.remote("run", self.definition, "--executor", "subprocess")
        self.assertEqual(refused.returncode, 2)
        self.assertIn("apply on a data folder", refused.stderr)


if __name__ == "__main__":
    main()
