"""End-to-end: issue 10's user story, as a user runs it.

`grove server --watch inbox/ --triggers examples/fleet-triggers.yaml` on a new data folder, with no inbox yet.
- A dimension's training file copied into inbox/training-dataset/DummyDim2/ starts examples/fleet.yaml with
  StateDim=DummyDim2: the checks register new baselines, the model is registered in DummyDim2-model-registry with
  them attached, approved, and deployed on the multi-model endpoint `fleet`.
- The dimension's inference file copied into inbox/inference-dataset/DummyDim2/ queues its rows; workers record one
  prediction per row, equal to invoking the model directly, and the file moves to inbox/processed/.
- The same training data again is checked against the registered baselines and passes; drifted data fails that run
  with a violations report in Model Monitor's layout.
Run by ctest (CMake passes the binary in GROVE_BINARY). By hand:
GROVE_BINARY=build/grove python3 tests/python/fleet_story_test.py -v
"""
import csv
import json
import os
import shutil
import tempfile
import time
import unittest

from grove_server import SOURCE_DIR, GroveServer, grove, main

BUNDLED = os.path.join(SOURCE_DIR, "datasets", "churn-100x-dimensions")
TRAINING = os.path.join(BUNDLED, "training-dataset", "DummyDim2", "churn_dummy_dim2.csv")
INFERENCE = os.path.join(BUNDLED, "inference-dataset", "DummyDim2", "dim_2_test.csv")


def wait_until(what, check, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


class FleetStoryTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="grove-story-")
        cls.inbox = os.path.join(cls.root, "inbox")
        cls.server = GroveServer("--watch", cls.inbox, "--triggers", os.path.join("examples", "fleet-triggers.yaml"),
                                 home=os.path.join(cls.root, "home"))
        cls.home = cls.server.home

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.root, ignore_errors=True)

    def executions(self):
        listed = json.loads(grove(self.home, "execution", "list", "--limit", "100", "--json").stdout)
        return [e for e in listed if e["pipeline"] == "fleet"]

    def arrive(self, source, folder, name):
        target = os.path.join(self.inbox, folder)
        os.makedirs(target, exist_ok=True)
        shutil.copy(source, os.path.join(target, name))

    def run_for(self, name, count):
        """Copies training file `name` in and waits for the count-th fleet execution to end."""
        def ended():
            runs = self.executions()
            return len(runs) >= count and runs[0]["status"] not in ("Executing", "Stopping") and runs[0]
        return wait_until(f"execution {count}", ended)

    def test_the_story(self):
        # Training arrives: one execution for DummyDim2, which registers and deploys with new baselines.
        self.arrive(TRAINING, "training-dataset/DummyDim2", "churn_dummy_dim2.csv")
        first = self.run_for("churn_dummy_dim2.csv", 1)
        self.assertEqual(first["status"], "Succeeded", first)
        self.assertEqual(first["parameters"]["StateDim"], "DummyDim2")
        steps = {s["step"]: s for s in json.loads(grove(self.home, "execution", "steps", first["id"], "--json").stdout)}
        self.assertEqual(steps["DataQuality[DummyDim2]"]["metadata"]["baseline_source"], "none")
        self.assertEqual(steps["Deploy[DummyDim2]"]["status"], "Succeeded")
        shown = grove(self.home, "registry", "show", "DummyDim2-model-registry/1", "--baselines").stdout
        for name in ("data_statistics", "data_constraints", "model_statistics", "model_constraints"):
            self.assertIn(name, shown)
        version = json.loads(grove(self.home, "registry", "versions", "DummyDim2-model-registry", "--json").stdout)
        self.assertEqual(version[-1]["approval_status"], "Approved")

        # Inference arrives: one prediction per row, equal to a direct invocation; the file moves to processed/.
        self.arrive(INFERENCE, "inference-dataset/DummyDim2", "dim_2_test.csv")
        listed = wait_until("10 predictions", lambda: (lambda p: len(p) == 10 and p)(json.loads(
            grove(self.home, "predictions", "list", "--dim", "DummyDim2", "--json").stdout)["predictions"]))
        with open(INFERENCE) as f:
            rows = list(csv.reader(f))[1:]
        features = "\n".join(",".join(r[1:]) for r in rows) + "\n"
        direct = json.loads(grove(self.home, "invoke", "fleet", "--model", "DummyDim2-model-registry", "--data",
                                  features, "--json").stdout)["predictions"]
        by_row = sorted(listed, key=lambda p: p["row_number"])
        for record, expected, row in zip(by_row, direct, rows):
            self.assertAlmostEqual(record["probability"], expected, places=5)
            self.assertEqual(record["prediction"], 1 if expected >= 0.5 else 0)
            self.assertEqual(float(record["ground_truth"]), float(row[0]))
            self.assertEqual(record["dimension"], "DummyDim2")
        processed = os.path.join(self.inbox, "processed", "inference-dataset", "DummyDim2", "dim_2_test.csv")
        wait_until("the processed file", lambda: os.path.exists(processed))
        self.assertFalse(os.path.exists(os.path.join(self.inbox, "inference-dataset", "DummyDim2", "dim_2_test.csv")))
        exported = grove(self.home, "predictions", "export", "--dim", "DummyDim2").stdout.splitlines()
        self.assertEqual(len(exported), 11)

        # The same data again: checked against the registered baselines, passes, version 2 deployed.
        self.arrive(TRAINING, "training-dataset/DummyDim2", "again.csv")
        second = self.run_for("again.csv", 2)
        self.assertEqual(second["status"], "Succeeded", second)
        steps = {s["step"]: s for s in json.loads(grove(self.home, "execution", "steps", second["id"], "--json").stdout)}
        self.assertEqual(steps["DataQuality[DummyDim2]"]["metadata"]["baseline_source"], "registry")

        # Drifted data: the data-quality check fails the run with Model Monitor's violations.
        with open(TRAINING, newline="") as f:
            table = list(csv.reader(f))
        header = table[0]
        day_mins = header.index("Day Mins")
        for row in table[1:]:
            row[day_mins] = str(float(row[day_mins]) * 3 + 20)
        drifted = os.path.join(self.root, "drifted.csv")
        with open(drifted, "w", newline="") as f:
            csv.writer(f).writerows(table)
        self.arrive(drifted, "training-dataset/DummyDim2", "drifted.csv")
        third = self.run_for("drifted.csv", 3)
        self.assertEqual(third["status"], "Failed")
        steps = {s["step"]: s for s in json.loads(grove(self.home, "execution", "steps", third["id"], "--json").stdout)}
        check = steps["DataQuality[DummyDim2]"]
        self.assertEqual(check["status"], "Failed")
        kinds = {v["constraint_check_type"] for v in check["metadata"]["violations"]}
        self.assertIn("baseline_drift_check", kinds)
        self.assertEqual(len(json.loads(grove(self.home, "registry", "versions", "DummyDim2-model-registry",
                                              "--json").stdout)), 2, "the drifted run registered nothing")


if __name__ == "__main__":
    main()
