"""End-to-end: Grove's native REST API over HTTP with nothing but urllib.

Runs examples/abalone.yaml through POST /api/v1/executions, approves the version it registers, and reads
what happened from GET /api/v1/events, resuming with Last-Event-ID as a browser's EventSource does.
Run by ctest (CMake passes the binary in GROVE_BINARY). By hand:
GROVE_BINARY=build/grove python3 tests/python/rest_test.py -v
"""
import json
import os
import time
import unittest
import urllib.error
import urllib.request

from grove_server import SOURCE_DIR, GroveServer, main

DEADLINE_S = 300


class RestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = GroveServer()
        cls.admin = cls.server.secret_access_key
        cls.viewer = cls.new_key("viewer", "vera")
        cls.approver = cls.new_key("approver", "alice")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    @classmethod
    def new_key(cls, role, name):
        status, key = cls.call("POST", "/api/v1/keys", {"role": role, "name": name})
        assert status == 201, key
        # The server re-reads its keys at most every 20 ms when asked for one it lacks.
        deadline = time.time() + 5
        while cls.call("GET", "/api/v1/pipelines", key=key["secret_access_key"])[0] == 401:
            assert time.time() < deadline, "the new key was never accepted"
            time.sleep(0.02)
        return key["secret_access_key"]

    @classmethod
    def call(cls, method, path, body=None, key=None, content_type="application/json"):
        """(status, JSON body) of one request, errors included."""
        data = None
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        request = urllib.request.Request(cls.server.url + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + (key or cls.admin))
        if data is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def get(self, path, key=None):
        status, body = self.call("GET", path, key=key)
        self.assertEqual(status, 200, body)
        return body

    def all_items(self, path, limit):
        """Every item of a list, following next_page_token."""
        items, token, pages = [], None, 0
        while True:
            separator = "&" if "?" in path else "?"
            page = self.get(path + separator + "limit=%d" % limit + ("&page_token=" + token if token else ""))
            self.assertLessEqual(len(page["items"]), limit)
            items += page["items"]
            pages += 1
            token = page.get("next_page_token")
            if not token:
                return items, pages

    def events(self, until_kind, last_event_id=None, query="?after=0"):
        """(id, kind, data) of each event of the stream, read until one of kind `until_kind`."""
        request = urllib.request.Request(self.server.url + "/api/v1/events" + query)
        request.add_header("Authorization", "Bearer " + self.viewer)
        if last_event_id is not None:
            request.add_header("Last-Event-ID", str(last_event_id))
        out, event = [], {}
        with urllib.request.urlopen(request, timeout=30) as stream:
            self.assertEqual(stream.headers["Content-Type"], "text/event-stream; charset=utf-8")
            while True:
                line = stream.readline().decode()
                self.assertTrue(line, "the stream ended before a %s event" % until_kind)
                line = line.rstrip("\n")
                if line == "":
                    if "id" in event:
                        out.append((int(event["id"]), event["event"], json.loads(event["data"])))
                        if event["event"] == until_kind:
                            return out
                    event = {}
                elif not line.startswith(":"):
                    field, _, value = line.partition(": ")
                    event[field] = value

    def run_abalone(self):
        with open(os.path.join(SOURCE_DIR, "examples", "abalone.yaml")) as f:
            definition = f.read()
        status, stored = self.call("POST", "/api/v1/pipelines", definition, content_type="application/yaml")
        self.assertIn(status, (200, 201), stored)
        self.assertEqual(stored["pipeline"], "abalone")
        status, started = self.call("POST", "/api/v1/executions",
                                    {"pipeline": "abalone", "parameters": {"MseThreshold": 7.5}})
        self.assertEqual(status, 201, started)
        deadline = time.time() + DEADLINE_S
        while True:
            execution = self.get("/api/v1/executions/" + started["id"], key=self.viewer)
            if execution["status"] not in ("Executing", "Stopping"):
                break
            self.assertLess(time.time(), deadline, "abalone did not finish")
            time.sleep(0.2)
        self.assertEqual(execution["status"], "Succeeded", execution["failure_reason"])
        self.assertEqual(execution["parameters"]["MseThreshold"], 7.5)
        return execution

    def test_abalone_runs_is_approved_and_every_step_is_an_event(self):
        execution = self.run_abalone()
        steps, pages = self.all_items("/api/v1/executions/%s/steps" % execution["id"], limit=2)
        self.assertGreater(pages, 1)
        names = [s["step"] for s in steps]
        self.assertEqual(len(names), len(set(names)))
        register = next(s for s in steps if s["type"] == "RegisterModel")
        self.assertEqual(register["status"], "Succeeded")

        versions = self.get("/api/v1/registry/groups/AbalonePackageGroup/versions")["items"]
        mine = [v for v in versions if v["execution_id"] == execution["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["approval_status"], "PendingManualApproval")
        version = "/api/v1/registry/groups/AbalonePackageGroup/versions/%d" % mine[0]["version"]
        status, denied = self.call("POST", version + "/approve", {"comment": "no"}, key=self.viewer)
        self.assertEqual(status, 403, denied)
        status, approved = self.call("POST", version + "/approve", {"comment": "mse ok"}, key=self.approver)
        self.assertEqual(status, 200, approved)
        self.assertEqual(approved["approval_status"], "Approved")
        self.assertEqual(approved["approval_changed_by"], "alice")
        report = self.get(version + "/report")["report"]
        self.assertLessEqual(report["regression_metrics"]["mse"]["value"], 7.5)

        # The whole story, from the log.
        events = self.events("model.approval")
        kinds = [kind for _, kind, _ in events]
        for kind in ("pipeline.version", "execution.created", "step.status", "execution.status", "model.created"):
            self.assertIn(kind, kinds)
        ids = [seq for seq, _, _ in events]
        self.assertEqual(ids, sorted(ids))
        approval = events[-1][2]
        self.assertEqual(approval["payload"]["by"], "alice")
        self.assertEqual(approval["subject"], "AbalonePackageGroup/%d" % mine[0]["version"])

        # A reconnecting client resumes just after the last event it saw.
        middle = ids[len(ids) // 2]
        resumed = self.events("model.approval", last_event_id=middle)
        self.assertEqual([seq for seq, _, _ in resumed], [seq for seq in ids if seq > middle])
        # Only one execution's events, from its first.
        mine_only = self.events("execution.status", query="?subject=" + execution["id"])
        self.assertTrue(all(data["subject"] == execution["id"] for _, _, data in mine_only))
        self.assertEqual(mine_only[0][1], "execution.created")

    def test_a_viewer_cannot_start_an_execution(self):
        status, body = self.call("POST", "/api/v1/executions", {"pipeline": "abalone"}, key=self.viewer)
        self.assertEqual(status, 403)
        self.assertEqual(body["error"]["code"], "PermissionDenied")
        self.assertIn("operator", body["error"]["message"])
        status, body = self.call("POST", "/api/v1/executions", {"pipeline": "abalone"}, key="not-a-key")
        self.assertEqual(status, 401)

    def test_errors_are_json_and_name_what_was_wrong(self):
        status, body = self.call("GET", "/api/v1/executions/nope")
        self.assertEqual((status, body["error"]["code"]), (404, "NotFound"))
        status, body = self.call("GET", "/api/v1/executions?limit=0")
        self.assertEqual(status, 400)
        self.assertIn("limit", body["error"]["message"])
        status, body = self.call("POST", "/api/v1/executions", {"pipeline": "abalone", "parameters": {"MseThreshold": "x"}})
        self.assertEqual(status, 400)
        self.assertIn("MseThreshold", body["error"]["message"])
        status, body = self.call("POST", "/api/v1/endpoints", "{not json")
        self.assertEqual(status, 400)
        status, body = self.call("GET", "/api/v1/nothing-here")
        self.assertEqual(status, 404)

    def test_openapi_document_lists_the_routes(self):
        document = self.get("/api/v1/openapi.json", key=self.viewer)
        self.assertTrue(document["openapi"].startswith("3."))
        self.assertIn("post", document["paths"]["/api/v1/executions"])
        self.assertIn("get", document["paths"]["/api/v1/events"])


class ShutdownTest(unittest.TestCase):
    def test_sigterm_is_not_held_up_by_open_event_streams(self):
        server = GroveServer()
        try:
            request = urllib.request.Request(server.url + "/api/v1/events")
            request.add_header("Authorization", "Bearer " + server.secret_access_key)
            streams = [urllib.request.urlopen(request, timeout=30) for _ in range(3)]
            for stream in streams:
                self.assertEqual(stream.readline(), b"retry: 1000\n")
            start = time.time()
            server.process.terminate()
            server.process.wait(timeout=20)
            self.assertLess(time.time() - start, 5)
            self.assertEqual(server.process.returncode, 0)
            for stream in streams:
                stream.read()  # The body ends properly (its last chunk), without an error.
                stream.close()
        finally:
            server.close()


if __name__ == "__main__":
    main()
