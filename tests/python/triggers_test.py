"""End-to-end test of triggers: `grove server --watch DIR --triggers FILE` on a new data folder.

A file copied into a folder created after the server started starts one execution with the folder bound as a
parameter; a file written slowly fires once, when complete; a restart fires nothing again; an `aws s3 cp`
under the watched prefix starts one execution with InputData = its s3:// URI.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from grove_server import GroveServer, SOURCE_DIR, grove, main  # noqa: E402

TRIGGERS = os.path.join(SOURCE_DIR, "tests", "python", "triggers", "triggers.yaml")
DATA = os.path.join(SOURCE_DIR, "datasets", "churn-100x-dimensions", "training-dataset")


def training_file(n):
    """DummyDim<n>'s training CSV, or the churn data it was made from where the fleet data set is not bundled."""
    path = os.path.join(DATA, "DummyDim%d" % n, "churn_dummy_dim%d.csv" % n)
    if os.path.exists(path):
        return path
    return os.path.join(SOURCE_DIR, "datasets", "customer-churn-synthetic", "churn.txt")
FIRED = r"trigger dim-training: %s -> execution (\w+)"


class TriggersTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="grove-triggers-")
        self.home = os.path.join(self.tmp.name, "home")
        self.inbox = os.path.join(self.tmp.name, "inbox")  # Does not exist yet: the server creates it.
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.close()
        self.tmp.cleanup()

    def start(self):
        self.server = GroveServer("--watch", self.inbox + "/", "--triggers", TRIGGERS, home=self.home)

    def log(self):
        with open(self.server.log_path) as f:
            return f.read()

    def firings(self):
        shown = grove(self.home, "trigger", "show", "dim-training", "--firings", "0", "--json")
        return json.loads(shown.stdout)["firings"]

    def execution(self, execution_id):
        return json.loads(grove(self.home, "execution", "show", execution_id, "--json").stdout)

    def aws(self, *args):
        aws = shutil.which("aws")
        command = [aws] if aws else [sys.executable, "-m", "awscli"]
        done = subprocess.run(command + ["--endpoint-url", self.server.url] + list(args), env=self.server.aws_env(),
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)

    def test_folders_slow_files_restart_and_s3(self):
        self.start()
        self.assertTrue(os.path.isdir(self.inbox))
        # A folder made after the start, and a file copied into it.
        folder = os.path.join(self.inbox, "training-dataset", "DummyDim2")
        os.makedirs(folder)
        copied = os.path.join(folder, "churn_dummy_dim2.csv")
        shutil.copy(training_file(2), copied)
        execution_id = self.server.wait_for(FIRED % re.escape(copied)).group(1)
        parameters = self.execution(execution_id)["parameters"]
        self.assertEqual(parameters["StateDim"], "DummyDim2")
        self.assertEqual(parameters["InputData"], copied)

        # A file appended to over 1.5 s (pauses shorter than settle_ms) fires once, after it is complete.
        slow_folder = os.path.join(self.inbox, "training-dataset", "DummyDim1")
        os.makedirs(slow_folder)
        slow = os.path.join(slow_folder, "slow.csv")
        with open(training_file(1), "rb") as f:
            data = f.read()
        chunk = len(data) // 15 + 1
        for start in range(0, len(data), chunk):
            with open(slow, "ab") as out:
                out.write(data[start:start + chunk])
            time.sleep(0.1)
        slow_id = self.server.wait_for(FIRED % re.escape(slow)).group(1)
        time.sleep(1.5)
        slow_firings = [f for f in self.firings() if f["path"] == slow]
        self.assertEqual(len(slow_firings), 1, slow_firings)
        self.assertEqual(slow_firings[0]["execution_id"], slow_id)
        self.assertIn("|%d|" % len(data), slow_firings[0]["identity"])  # Fired on the complete file.

        # A restart fires nothing again.
        before = self.firings()
        self.server.close()
        self.start()
        time.sleep(3)
        self.assertEqual(len(self.firings()), len(before))
        self.assertNotIn("trigger dim-training:", self.log())

        # An upload under the watched prefix starts one execution with its s3:// URI.
        self.aws("s3", "mb", "s3://fleet")
        self.aws("s3", "cp", training_file(3),
                 "s3://fleet/training-dataset/DummyDim3/churn_dummy_dim3.csv")
        uri = "s3://fleet/training-dataset/DummyDim3/churn_dummy_dim3.csv"
        s3_id = self.server.wait_for(FIRED % re.escape(uri)).group(1)
        self.assertEqual(self.execution(s3_id)["parameters"]["InputData"], uri)
        self.assertEqual(self.execution(s3_id)["parameters"]["StateDim"], "DummyDim3")
        time.sleep(2)
        self.assertEqual(len([f for f in self.firings() if f["path"] == uri]), 1)


if __name__ == "__main__":
    main()
