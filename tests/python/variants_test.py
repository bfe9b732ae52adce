"""End-to-end: production variants, shadows and rollouts through `grove server`.

Two Approved versions of AbalonePackageGroup share one model but not their fitted transform: version 2's refuses
an unknown `sex` category ("X"), which version 1 ignores. So version 2 "errors on some inputs": rows with sex X.
Weighted variants split the traffic (checked within statistical tolerance, and through boto3's
UpdateEndpointWeightsAndCapacities and TargetVariant); a shadow gets a copy of every request, compared and never
returned; a canary of version 2 under an error-rate alarm rolls back by itself, notifies a hook, and no request
outside the canary's share fails; a linear rollout with clean traffic succeeds.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from grove_server import GROVE, GroveServer, SOURCE_DIR, grove, main, require_boto3  # noqa: E402

GROUP = "AbalonePackageGroup"
GOOD = "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15"
UNKNOWN_SEX = "X,0.455,0.365,0.095,0.514,0.2245,0.101,0.15"  # Version 2 refuses it.


@require_boto3
class VariantsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="grove-variants-")
        self.home = os.path.join(self.tmp.name, "home")
        grove(self.home, "run", "examples/abalone.yaml", "-q", "-p", "ModelApprovalStatus=Approved")
        with open(os.path.join(SOURCE_DIR, "examples", "abalone.yaml")) as f:
            strict = f.read().replace("one_hot: {unknown: ignore}", "one_hot: {unknown: error}")
        self.assertIn("unknown: error", strict)
        strict_path = os.path.join(self.tmp.name, "abalone-strict.yaml")
        with open(strict_path, "w") as f:
            f.write(strict)
        grove(self.home, "run", strict_path, "-q", "-p", "ModelApprovalStatus=Approved")
        grove(self.home, "endpoint", "create", "prod", "--deploy", GROUP + "/1")
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.close()
        self.tmp.cleanup()

    def start_server(self):
        self.server = GroveServer("--auth", "off", "--poll-ms", "50", home=self.home)

    def rest(self, method, path, body=None):
        return self.server.rest(method, path, body)

    def invoke(self, row=GOOD, variant=None):
        """(HTTP status, the variant named by X-Grove-Variant, X-Amzn-Invoked-Production-Variant)."""
        headers = {"Content-Type": "text/csv", "X-Grove-Input": "raw"}
        if variant:
            headers["X-Grove-Variant"] = variant
        request = urllib.request.Request(self.server.url + "/endpoints/prod/invocations", data=row.encode(),
                                         method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                return (response.status, response.headers.get("X-Grove-Variant"),
                        response.headers.get("X-Amzn-Invoked-Production-Variant"))
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("X-Grove-Variant"), None

    def wait_for_variants(self, names):
        deadline = time.time() + 20
        while time.time() < deadline:
            served = [v["name"] for v in self.rest("GET", "/api/v1/endpoints/prod")["variants"]]
            if served == names:
                return
            time.sleep(0.05)
        self.fail("the server never served variants %s (serves %s)" % (names, served))

    def test_weights_split_traffic_and_boto3_changes_them(self):
        self.start_server()
        grove(self.home, "endpoint", "variants", "prod", "a=%s/1:70" % GROUP, "b=%s/2:30" % GROUP)
        self.wait_for_variants(["a", "b"])
        counts = {}
        n = 2000
        for _ in range(n):
            status, variant, invoked = self.invoke()
            self.assertEqual(status, 200)
            self.assertEqual(variant, invoked)
            counts[variant] = counts.get(variant, 0) + 1
        # b takes 30%: binomial standard deviation sqrt(2000 * 0.3 * 0.7) = 20.5; allow 5 of them.
        self.assertEqual(set(counts), {"a", "b"})
        self.assertLess(abs(counts["b"] - 600), 103, counts)
        shown = {v["name"]: v for v in self.rest("GET", "/api/v1/endpoints/prod")["variants"]}
        self.assertEqual(shown["b"]["requests"], counts["b"])
        self.assertEqual(shown["a"]["errors"], 0)
        self.assertEqual(shown["b"]["model"], GROUP + "/2")

        # boto3's UpdateEndpointWeightsAndCapacities: all of it to b, atomically.
        sm = self.server.client("sagemaker")
        sm.update_endpoint_weights_and_capacities(
            EndpointName="prod", DesiredWeightsAndCapacities=[{"VariantName": "a", "DesiredWeight": 0.0}])
        deadline = time.time() + 20
        while self.rest("GET", "/api/v1/endpoints/prod")["variants"][0]["weight"] != 0 and time.time() < deadline:
            time.sleep(0.05)
        self.assertTrue(all(self.invoke()[1] == "b" for _ in range(200)))
        described = sm.describe_endpoint(EndpointName="prod")
        weights = {v["VariantName"]: v["CurrentWeight"] for v in described["ProductionVariants"]}
        self.assertEqual(weights, {"a": 0.0, "b": 30.0})
        with self.assertRaises(sm.exceptions.ClientError) as unknown:
            sm.update_endpoint_weights_and_capacities(
                EndpointName="prod", DesiredWeightsAndCapacities=[{"VariantName": "c", "DesiredWeight": 1.0}])
        self.assertIn("is/are not present", str(unknown.exception))

        # TargetVariant reaches a variant whatever its weight.
        runtime = self.server.client("sagemaker-runtime")
        answer = runtime.invoke_endpoint(EndpointName="prod", Body=GOOD, ContentType="text/csv", TargetVariant="a",
                                         CustomAttributes="input=raw")
        self.assertEqual(answer["InvokedProductionVariant"], "a")

        # `grove endpoint weights` too.
        grove(self.home, "endpoint", "weights", "prod", "a=1", "b=1")
        shown = json.loads(grove(self.home, "endpoint", "show", "prod", "--json").stdout)
        self.assertEqual([v["weight"] for v in shown["variants"]], [1, 1])
        bad = grove(self.home, "endpoint", "weights", "prod", "a=1", "zz=3", check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("has no variant 'zz'", bad.stderr)

    def test_a_sagemaker_config_of_several_variants_and_a_shadow(self):
        self.start_server()
        sm = self.server.client("sagemaker")
        role = "arn:aws:iam::123456789012:role/grove"
        for n in (1, 2):
            sm.create_model(ModelName="abalone-%d" % n, ExecutionRoleArn=role,
                            PrimaryContainer={"Image": "xgboost", "ModelPackageName": "%s/%d" % (GROUP, n)})
        sm.create_endpoint_config(
            EndpointConfigName="ab",
            ProductionVariants=[{"VariantName": "one", "ModelName": "abalone-1", "InitialVariantWeight": 1.0},
                                {"VariantName": "two", "ModelName": "abalone-2", "InitialVariantWeight": 3.0}],
            ShadowProductionVariants=[{"VariantName": "shade", "ModelName": "abalone-2"}])
        sm.create_endpoint(EndpointName="ab", EndpointConfigName="ab")
        sm.get_waiter("endpoint_in_service").wait(EndpointName="ab", WaiterConfig={"Delay": 1})
        described = sm.describe_endpoint(EndpointName="ab")
        self.assertEqual([(v["VariantName"], v["CurrentWeight"]) for v in described["ProductionVariants"]],
                         [("one", 1.0), ("two", 3.0)])
        self.assertEqual([v["VariantName"] for v in described["ShadowProductionVariants"]], ["shade"])
        runtime = self.server.client("sagemaker-runtime")
        invoked = {runtime.invoke_endpoint(EndpointName="ab", Body=GOOD, ContentType="text/csv",
                                           CustomAttributes="input=raw")["InvokedProductionVariant"]
                   for _ in range(60)}
        self.assertEqual(invoked, {"one", "two"})  # Never the shadow; both live ones (P(missing one) < 1e-7).

    def test_a_shadow_gets_a_copy_compared_never_returned(self):
        self.start_server()
        grove(self.home, "endpoint", "variants", "prod", "live=%s/1" % GROUP, "--shadow", "next=%s/2" % GROUP)
        self.wait_for_variants(["live", "next"])
        for i in range(200):
            status, variant, _ = self.invoke(UNKNOWN_SEX if i % 4 == 0 else GOOD)
            self.assertEqual((status, variant), (200, "live"))  # The shadow's errors never reach the caller.
        deadline = time.time() + 20
        while time.time() < deadline:
            shadow = self.rest("GET", "/api/v1/endpoints/prod")["variants"][1]
            if shadow["requests"] == 200:
                break
            time.sleep(0.05)
        self.assertTrue(shadow["shadow"])
        self.assertEqual(shadow["requests"], 200)
        self.assertEqual(shadow["errors"], 50)  # Rows with sex X.
        comparison = shadow["comparison"]
        self.assertEqual(comparison["compared_rows"], 150)
        self.assertEqual(comparison["agreement_rate"], 1.0)  # The same model: equal answers.
        self.assertEqual(comparison["differences"][0]["count"], 150)
        self.assertEqual(comparison["max_abs_difference"], 0)
        # The server's own counters, through GROVE_URL.
        text = subprocess.run([GROVE, "endpoint", "show", "prod"], env=dict(os.environ, GROVE_URL=self.server.url),
                              capture_output=True, text=True, check=True).stdout
        self.assertIn("100.0% agree over 150 rows", text)

    def test_a_failing_canary_rolls_back_by_itself_and_notifies(self):
        notified = os.path.join(self.tmp.name, "rolled-back.json")
        grove(self.home, "hook", "create", "page-oncall", "--on", "rollout.rolled_back",
              "--command", "cat > " + notified)
        self.start_server()
        started = grove(self.home, "endpoint", "deploy", "prod", GROUP + "/2", "--canary", "30", "--bake", "5m",
                        "--max-error-rate", "0.05", "--min-requests", "20")
        self.assertIn("Running", started.stdout)
        self.wait_for_variants(["stable", "canary"])
        outcomes = []
        deadline = time.time() + 30
        state = "Running"
        while state == "Running" and time.time() < deadline:
            for i in range(20):
                outcomes.append(self.invoke(UNKNOWN_SEX if i % 4 == 0 else GOOD)[:2])
            state = self.rest("GET", "/api/v1/endpoints/prod/rollout")["state"]
        rollout = self.rest("GET", "/api/v1/endpoints/prod/rollout")
        self.assertEqual(rollout["state"], "RolledBack", rollout)
        self.assertTrue(rollout["reason"].startswith("error rate "), rollout["reason"])
        failed = [variant for status, variant in outcomes if status != 200]
        self.assertGreater(len(failed), 0)
        self.assertEqual(set(failed), {"canary"})  # Zero failed requests outside the canary's share.
        answered = {variant for status, variant in outcomes if status == 200}
        self.assertLessEqual(answered, {"stable", "canary", "AllTraffic"})

        # All traffic back on version 1, which takes rows with sex X.
        deadline = time.time() + 20
        while self.rest("GET", "/api/v1/endpoints/prod")["variants"] and time.time() < deadline:
            time.sleep(0.05)
        for _ in range(50):
            self.assertEqual(self.invoke(UNKNOWN_SEX)[:2], (200, "AllTraffic"))
        self.assertEqual(self.rest("GET", "/api/v1/endpoints/prod")["models"][0]["version"], 1)

        deadline = time.time() + 20
        while not os.path.exists(notified) or os.path.getsize(notified) == 0:
            self.assertLess(time.time(), deadline, "the hook was never run")
            time.sleep(0.05)
        with open(notified) as f:
            event = json.load(f)
        self.assertEqual(event["type"], "rollout.rolled_back")
        self.assertEqual(event["to"], GROUP + "/2")
        self.assertTrue(event["reason"].startswith("error rate "))
        status = grove(self.home, "endpoint", "rollout", "status", "prod").stdout
        self.assertIn("RolledBack", status)
        self.assertIn("rolled back: error rate", status)

    def test_a_linear_rollout_with_clean_traffic_succeeds(self):
        self.start_server()
        grove(self.home, "endpoint", "deploy", "prod", GROUP + "/2", "--linear", "50", "--bake", "1s",
              "--max-error-rate", "0.05")
        seen = set()
        deadline = time.time() + 30
        while time.time() < deadline:
            for _ in range(20):
                status, variant, _ = self.invoke(GOOD)
                self.assertEqual(status, 200)
                seen.add(variant)
            if self.rest("GET", "/api/v1/endpoints/prod/rollout")["state"] != "Running":
                break
        rollout = self.rest("GET", "/api/v1/endpoints/prod/rollout")
        self.assertEqual(rollout["state"], "Succeeded", rollout)
        self.assertIn("canary", seen)
        deadline = time.time() + 20
        while self.rest("GET", "/api/v1/endpoints/prod")["models"][0]["version"] != 2 and time.time() < deadline:
            time.sleep(0.05)
        described = self.rest("GET", "/api/v1/endpoints/prod")
        self.assertEqual(described["models"][0]["version"], 2)
        self.assertEqual(described["variants"], [])

        aborted = grove(self.home, "endpoint", "rollout", "abort", "prod", check=False)
        self.assertNotEqual(aborted.returncode, 0)
        self.assertIn("is not running (Succeeded)", aborted.stderr)


if __name__ == "__main__":
    main()
