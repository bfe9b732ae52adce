"""End-to-end: `grove plan`, `grove apply` and `grove export` with the real binary, on a data folder and
through a server (GROVE_URL), as docs/configuration.md describes them.

Run by ctest (CMake passes the binary in GROVE_BINARY). By hand:
GROVE_BINARY=build/grove python3 tests/python/config_test.py -v
"""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from grove_server import GROVE, SOURCE_DIR, GroveServer, grove, main

EXAMPLE = os.path.join(SOURCE_DIR, "examples", "grove.yaml")


def clean_env():
    """The environment without GROVE_ or AWS_ variables: the example must need none."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("GROVE_", "AWS_"))}


class ConfigTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="grove-config-")
        self.home = os.path.join(self.tmp.name, "home")

    def tearDown(self):
        self.tmp.cleanup()

    def run_grove(self, *args, env=None, home=True):
        command = [GROVE, *(["--home", self.home] if home else []), *args]
        return subprocess.run(command, cwd=SOURCE_DIR, capture_output=True, text=True, timeout=300,
                              env=env if env is not None else clean_env())

    def test_the_example_applies_to_a_fresh_folder_then_changes_nothing(self):
        plan = self.run_grove("plan", EXAMPLE, "--detailed-exitcode")
        self.assertEqual(plan.returncode, 10, plan.stderr)
        self.assertIn("+ pipeline abalone", plan.stdout)
        self.assertIn("+ endpoint models", plan.stdout)
        applied = self.run_grove("apply", EXAMPLE)
        self.assertEqual(applied.returncode, 0, applied.stderr)
        self.assertIn("Applied: ", applied.stdout)
        self.assertIn("secret access key:", applied.stdout)  # Generated, shown once.
        again = self.run_grove("plan", EXAMPLE, "--detailed-exitcode")
        self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
        self.assertEqual(again.stdout.splitlines()[0], "No changes.")
        self.assertEqual(self.run_grove("apply", EXAMPLE).stdout.splitlines()[0], "No changes.")
        endpoints = json.loads(self.run_grove("endpoint", "list", "--json").stdout)
        self.assertIn("models", [e["name"] for e in endpoints])

    def test_export_then_apply_round_trips_to_no_change(self):
        self.assertEqual(self.run_grove("apply", EXAMPLE).returncode, 0)
        exported = os.path.join(self.tmp.name, "exported", "grove.yaml")
        result = self.run_grove("export", exported)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.tmp.name, "exported", "pipelines", "abalone.yaml")))
        with open(os.path.join(SOURCE_DIR, "examples", "abalone.yaml")) as a, \
                open(os.path.join(self.tmp.name, "exported", "pipelines", "abalone.yaml")) as b:
            self.assertEqual(a.read(), b.read())
        plan = self.run_grove("plan", exported, "--prune", "--detailed-exitcode")
        self.assertEqual(plan.returncode, 0, plan.stdout + plan.stderr)
        self.assertIn("No changes.", plan.stdout)
        # Into a second, fresh folder: the export recreates the setup.
        other = os.path.join(self.tmp.name, "other")
        self.assertEqual(self.run_grove("--home", other, "apply", exported, home=False).returncode, 0)
        plan = self.run_grove("--home", other, "plan", exported, "--prune", "--detailed-exitcode", home=False)
        self.assertEqual(plan.returncode, 0, plan.stdout + plan.stderr)

    def test_prune_removes_only_when_asked(self):
        self.assertEqual(self.run_grove("apply", EXAMPLE).returncode, 0)
        smaller = os.path.join(self.tmp.name, "smaller.yaml")
        with open(smaller, "w") as f:
            f.write("pipelines:\n  abalone: %s\n" % os.path.join(SOURCE_DIR, "examples", "abalone.yaml"))
        plan = self.run_grove("plan", smaller)
        self.assertIn("No changes.", plan.stdout)
        self.assertIn("Not declared, kept (--prune removes them): ", plan.stdout)
        pruned = self.run_grove("apply", smaller, "--prune")
        self.assertEqual(pruned.returncode, 0, pruned.stderr)
        self.assertIn("- endpoint models", pruned.stdout)
        self.assertEqual(json.loads(self.run_grove("endpoint", "list", "--json").stdout), [])

    def test_errors_point_at_the_line_and_change_nothing(self):
        bad = os.path.join(self.tmp.name, "bad.yaml")
        with open(bad, "w") as f:
            f.write("endpoints:\n  models:\n    follow: [a]\n  staging:\n    deploy: [nothing/1]\n")
        result = self.run_grove("apply", bad)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(bad + ":4:3: endpoints.staging: no model group 'nothing'", result.stderr)
        self.assertEqual(json.loads(self.run_grove("endpoint", "list", "--json").stdout), [])
        with open(bad, "w") as f:
            f.write("endpoints:\n  models:\n    folow: [a]\n")
        result = self.run_grove("plan", bad)
        self.assertEqual(result.returncode, 2)
        self.assertIn(bad + ":3:5: endpoints.models.folow: unknown member 'folow'", result.stderr)

    def test_through_a_server(self):
        server = GroveServer(home=self.home)
        try:
            env = clean_env()
            env.update({"GROVE_URL": server.url, "GROVE_SECRET_ACCESS_KEY": server.secret_access_key})
            plan = self.run_grove("plan", EXAMPLE, "--detailed-exitcode", env=env, home=False)
            self.assertEqual(plan.returncode, 10, plan.stderr)
            applied = self.run_grove("apply", EXAMPLE, "--json", env=env, home=False)
            self.assertEqual(applied.returncode, 0, applied.stderr)
            created = json.loads(applied.stdout)["created_keys"]
            self.assertTrue(all(k["secret_access_key"] for k in created))
            again = self.run_grove("plan", EXAMPLE, "--detailed-exitcode", env=env, home=False)
            self.assertEqual(again.returncode, 0, again.stdout + again.stderr)
            exported = self.run_grove("export", env=env, home=False)
            self.assertEqual(exported.returncode, 0, exported.stderr)
            self.assertIn("models:", exported.stdout)
            # A key below admin may not apply.
            operator = next(k for k in created if k["role"] == "operator")
            env["GROVE_SECRET_ACCESS_KEY"] = operator["secret_access_key"]
            refused = self.run_grove("apply", EXAMPLE, env=env, home=False)
            self.assertNotEqual(refused.returncode, 0)
        finally:
            server.close()


if __name__ == "__main__":
    main()
