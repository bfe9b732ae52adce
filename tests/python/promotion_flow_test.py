"""End-to-end: a promotion flow with a manual gate (seed 002's ModelDeploy) through `grove server`.

The churn pipeline registers a version; approving it from the CLI deploys it to staging, which then serves it,
and the run waits; `grove promotion approve` sends it to production. A second approval supersedes nothing once the
first has ended, and a rejection leaves production as it was.
"""

import json
import os
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from grove_server import GroveServer, grove, main  # noqa: E402

GROUP = "CustomerChurnPackageGroup"
ROW = ",".join(["0"] * 99)  # The churn model's 99 features.


class PromotionFlowTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="grove-promotion-")
        self.home = os.path.join(self.tmp.name, "home")
        grove(self.home, "run", "examples/churn.yaml", "-q")
        sample = os.path.join(self.tmp.name, "sample.csv")
        with open(sample, "w") as f:
            f.write(ROW + "\n" + ROW + "\n")
        grove(self.home, "promotion", "flow", "create", "churn", "--groups", "CustomerChurn*", "--staging",
              "churn-staging", "--production", "churn-prod", "--sample-file", sample, "--approver", "alice")
        self.server = GroveServer("--auth", "off", "--poll-ms", "50", home=self.home)

    def tearDown(self):
        self.server.close()
        self.tmp.cleanup()

    def run_of(self, run_id, status):
        deadline = time.time() + 30
        while time.time() < deadline:
            runs = json.loads(grove(self.home, "promotion", "list", "--flow", "churn", "--json").stdout)
            for run in runs:
                if run["id"] == run_id and run["status"] == status:
                    return run
            time.sleep(0.05)
        self.fail("run %d never reached %s: %s" % (run_id, status, runs))

    def rest(self, method, path, body=None):
        return self.server.rest(method, path, body)

    def served(self, endpoint):
        """Text when `endpoint` answers an invocation, else the HTTP status."""
        request = urllib.request.Request(self.server.url + "/endpoints/%s/invocations" % endpoint,
                                         data=(ROW + "\n").encode(), method="POST",
                                         headers={"Content-Type": "text/csv"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code

    def test_approval_goes_to_staging_then_waits_for_the_manual_gate(self):
        grove(self.home, "registry", "approve", GROUP + "/1", "--by", "ana", "--comment", "good")
        run = self.run_of(1, "Pending")
        self.assertEqual([s["stage"] for s in run["stages"]], ["started", "staging", "gate", "approval"])
        self.assertIsInstance(self.served("churn-staging"), str)
        self.assertIsInstance(self.served("churn-prod"), int)  # No such endpoint.

        listed = self.rest("GET", "/api/v1/promotions?flow=churn")
        self.assertEqual(listed["items"][0]["status"], "Pending")
        with self.assertRaises(urllib.error.HTTPError) as anonymous:  # --auth off: "anonymous", not an approver.
            self.rest("POST", "/api/v1/promotions/churn/1/approve", {"comment": "me"})
        self.assertEqual(anonymous.exception.code, 403)

        refused = grove(self.home, "promotion", "approve", "churn", "1", "--by", "mallory", check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("may not approve", refused.stderr)

        shown = grove(self.home, "promotion", "approve", "churn", "1", "--by", "alice", "--comment", "ship").stdout
        self.assertIn("Succeeded", shown)
        deadline = time.time() + 30  # The server follows the CLI's deployment through the event log.
        while not isinstance(self.served("churn-prod"), str) and time.time() < deadline:
            time.sleep(0.05)
        self.assertIsInstance(self.served("churn-prod"), str)
        prod = json.loads(grove(self.home, "endpoint", "show", "churn-prod", "--json").stdout)
        self.assertIn(GROUP, json.dumps(prod))

    def test_a_rejection_leaves_production_alone(self):
        grove(self.home, "registry", "approve", GROUP + "/1", "--by", "ana")
        self.run_of(1, "Pending")
        rejected = grove(self.home, "promotion", "reject", "churn", "1", "--by", "alice", "--comment", "not yet")
        self.assertIn("Rejected", rejected.stdout)
        self.assertIsInstance(self.served("churn-prod"), int)  # No such endpoint.
        shown = json.loads(grove(self.home, "promotion", "show", "churn", "1", "--json").stdout)
        self.assertEqual(shown["stages"][-1]["detail"], "not yet")


if __name__ == "__main__":
    main()
