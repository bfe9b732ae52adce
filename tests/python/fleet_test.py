"""End-to-end: the fleet of seed 004 with the real grove binary.

`grove datasets make-fleet` derives dimensions from the churn data; examples/fleet.yaml trains every dimension of
one file in one execution (a ForEach over the Dimension column), registers each in <dim>-model-registry and deploys
it onto the multi-model endpoint `fleet`. The bundled, already preprocessed inference files score unchanged, and
give what the same rows give raw through the fitted transform.
Run by ctest (CMake passes the binary in GROVE_BINARY). By hand:
GROVE_BINARY=build/grove python3 tests/python/fleet_test.py -v
"""
import csv
import json
import os
import tempfile
import unittest

from grove_server import SOURCE_DIR, grove, main

BUNDLED = os.path.join(SOURCE_DIR, "datasets", "churn-100x-dimensions")


class FleetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="grove-fleet-")
        cls.home = os.path.join(cls._tmp.name, "home")
        cls.fleet = os.path.join(cls._tmp.name, "fleet")
        grove(cls.home, "datasets", "make-fleet", "--dims", "3", "--rows", "1500", "--out", cls.fleet)
        cls.first = json.loads(grove(cls.home, "run", "examples/fleet.yaml", "-p",
                                     "InputData=" + os.path.join(cls.fleet, "fleet.csv"), "--json").stdout)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def steps(self, execution):
        return {s["step"]: s for s in json.loads(grove(self.home, "execution", "steps", execution, "--json").stdout)}

    def test_one_file_trains_registers_and_deploys_every_dimension(self):
        self.assertEqual(self.first["status"], "Succeeded", self.first)
        steps = self.steps(self.first["id"])
        for dim in ("DummyDim1", "DummyDim2", "DummyDim3"):
            self.assertEqual(steps[f"Train[{dim}]"]["status"], "Succeeded")
            self.assertEqual(steps[f"Deploy[{dim}]"]["status"], "Succeeded")
            versions = json.loads(grove(self.home, "registry", "versions", f"{dim}-model-registry", "--json").stdout)
            self.assertEqual(versions[-1]["approval_status"], "Approved", versions)
        endpoint = json.loads(grove(self.home, "endpoint", "show", "fleet", "--json").stdout)
        self.assertEqual(sorted(m["name"] for m in endpoint["models"]),
                         [f"DummyDim{i}-model-registry" for i in (1, 2, 3)])
        summary = grove(self.home, "execution", "steps", self.first["id"]).stdout
        self.assertIn("Train[DummyDim2]", summary)  # 3 items: few enough to list one by one

    def test_the_inference_files_score_unchanged_and_equal_their_raw_rows(self):
        # make-fleet's inference rows are the last training rows of the dimension, preprocessed.
        path = os.path.join(self.fleet, "inference-dataset", "DummyDim2", "dim_2_test.csv")
        with open(path) as f:
            rows = list(csv.reader(f))
        self.assertEqual(len(rows[0]), 101, "a label and 100 features")
        features = "\n".join(",".join(r[1:]) for r in rows[1:]) + "\n"
        scored = json.loads(grove(self.home, "invoke", "fleet", "--model", "DummyDim2-model-registry",
                                  "--data", features, "--json").stdout)["predictions"]
        with open(os.path.join(self.fleet, "training-dataset", "DummyDim2", "churn_dummy_dim2.csv")) as f:
            training = list(csv.reader(f))
        raw_rows = [r for r in reversed(training[1:])][:len(rows) - 1]
        raw = "\n".join(",".join(r[:-1]) for r in raw_rows) + "\n"  # without the label, Churn?
        from_raw = json.loads(grove(self.home, "invoke", "fleet", "--model", "DummyDim2-model-registry",
                                    "--input", "raw", "--data", raw, "--json").stdout)["predictions"]
        self.assertEqual(len(scored), len(rows) - 1)
        for a, b in zip(scored, from_raw):
            self.assertAlmostEqual(a, b, places=5)

    def test_the_bundled_inference_file_scores_on_a_bundled_dimension(self):
        home = os.path.join(self._tmp.name, "bundled")
        data = os.path.join(BUNDLED, "training-dataset", "DummyDim2", "churn_dummy_dim2.csv")
        run = json.loads(grove(home, "run", "examples/fleet.yaml", "-p", "StateDim=DummyDim2", "-p",
                               "InputData=" + data, "--json").stdout)
        self.assertEqual(run["status"], "Succeeded", run)
        with open(os.path.join(BUNDLED, "inference-dataset", "DummyDim2", "dim_2_test.csv")) as f:
            rows = list(csv.reader(f))
        features = "\n".join(",".join(r[1:]) for r in rows[1:]) + "\n"
        scored = json.loads(grove(home, "invoke", "fleet", "--model", "DummyDim2-model-registry", "--data", features,
                                  "--json").stdout)["predictions"]
        labels = [int(r[0]) for r in rows[1:]]
        correct = sum((p >= 0.5) == (y == 1) for p, y in zip(scored, labels))
        self.assertGreaterEqual(correct, 8, list(zip(scored, labels)))

    def test_changing_one_dimensions_rows_reruns_only_that_dimension(self):
        home = os.path.join(self._tmp.name, "cache")
        data = os.path.join(self._tmp.name, "changed.csv")
        with open(os.path.join(self.fleet, "fleet.csv")) as f:
            text = f.read()
        with open(data, "w") as f:
            f.write(text)
        first = json.loads(grove(home, "run", "examples/fleet.yaml", "-p", "InputData=" + data, "--json").stdout)
        self.assertEqual(first["status"], "Succeeded")
        lines = text.splitlines(keepends=True)
        last_dim3 = max(i for i, line in enumerate(lines) if line.startswith("DummyDim3,"))
        del lines[last_dim3]
        with open(data, "w") as f:
            f.write("".join(lines))
        second = json.loads(grove(home, "run", "examples/fleet.yaml", "-p", "InputData=" + data, "--json").stdout)
        self.assertEqual(second["status"], "Succeeded")
        steps = self.steps_of(home, second["id"])
        self.assertEqual(steps["Train[DummyDim3]"]["cache_hit_source"], "")
        self.assertEqual(steps["Train[DummyDim1]"]["cache_hit_source"], first["id"])
        self.assertEqual(steps["Prepare[DummyDim2]"]["cache_hit_source"], first["id"])

    def test_state_dim_naming_a_missing_dimension_fails_clearly(self):
        result = grove(self.home, "run", "examples/fleet.yaml", "-p", "StateDim=DummyDim9", "-p",
                       "InputData=" + os.path.join(self.fleet, "fleet.csv"), check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("only: 'DummyDim9' is not an item (items: DummyDim1, DummyDim2, DummyDim3)",
                      result.stdout + result.stderr)

    @staticmethod
    def steps_of(home, execution):
        return {s["step"]: s for s in json.loads(grove(home, "execution", "steps", execution, "--json").stdout)}


if __name__ == "__main__":
    main()
