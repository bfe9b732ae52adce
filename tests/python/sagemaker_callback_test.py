"""SageMaker Lambda and Callback steps, driven with boto3.

A Lambda step calls a function registered with `grove lambda create` (a command: the step's Arguments as JSON
on stdin, its answer as JSON on stdout); a Condition reads its OutputParameters. A Callback step waits until
SendPipelineExecutionStepSuccess or -Failure carries the token that ListPipelineExecutionSteps shows.
"""

import json
import os
import sys
import tempfile
import time
import unittest

from grove_server import GroveServer, grove, require_boto3
from sagemaker_test import wait_for_execution

ROLE = "arn:aws:iam::123456789012:role/r"

DOUBLER = """import json, sys
event = json.load(sys.stdin)
print("doubling", event["x"], file=sys.stderr)
json.dump({"doubled": event["x"] * 2, "note": "from " + event["who"]}, sys.stdout)
"""


def definition(function_arn):
    return {
        "Version": "2020-12-01",
        "Parameters": [{"Name": "X", "Type": "Integer", "DefaultValue": 4}],
        "Steps": [
            {"Name": "Double", "Type": "Lambda", "FunctionArn": function_arn,
             "Arguments": {"x": {"Get": "Parameters.X"}, "who": "grove"},
             "OutputParameters": [{"OutputName": "doubled", "OutputType": "Integer"},
                                  {"OutputName": "note", "OutputType": "String"}]},
            {"Name": "Approval", "Type": "Callback", "DependsOn": ["Double"],
             "Arguments": {"doubled": {"Get": "Steps.Double.OutputParameters['doubled']"}},
             "SqsQueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
             "OutputParameters": [{"OutputName": "verdict", "OutputType": "String"}]},
            {"Name": "Check", "Type": "Condition", "Arguments": {
                "Conditions": [{"Type": "Equals", "LeftValue": {"Get": "Steps.Approval.OutputParameters['verdict']"},
                                "RightValue": "ship"}],
                "IfSteps": [],
                "ElseSteps": [{"Name": "Refused", "Type": "Fail", "Arguments": {"ErrorMessage": "not shipped"}}]}},
        ]}


@require_boto3
class CallbackAndLambdaTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = GroveServer()
        cls.sm = cls.server.client("sagemaker")
        cls.dir = tempfile.TemporaryDirectory()
        script = os.path.join(cls.dir.name, "double.py")
        with open(script, "w") as f:
            f.write(DOUBLER)
        created = json.loads(grove(cls.server.home, "--json", "lambda", "create", "doubler", "--command",
                                   f"{sys.executable} {script}").stdout)
        cls.function_arn = created["arn"]
        cls.sm.create_pipeline(PipelineName="gated", PipelineDefinition=json.dumps(definition(cls.function_arn)),
                               RoleArn=ROLE)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.dir.cleanup()

    def waiting_token(self, arn):
        deadline = time.time() + 60
        while time.time() < deadline:
            for step in self.sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]:
                if step["StepName"] == "Approval" and step["StepStatus"] == "Executing":
                    token = step["Metadata"].get("Callback", {}).get("CallbackToken")
                    if token:
                        return token
            time.sleep(0.1)
        raise AssertionError("the Callback step never showed its token")

    def test_success_carries_outputs_to_later_steps(self):
        arn = self.sm.start_pipeline_execution(PipelineName="gated", PipelineParameters=[
            {"Name": "X", "Value": "21"}])["PipelineExecutionArn"]
        token = self.waiting_token(arn)
        self.assertEqual(len(token), 10)
        answered = self.sm.send_pipeline_execution_step_success(
            CallbackToken=token, OutputParameters=[{"Name": "verdict", "Value": "ship"}])
        self.assertEqual(answered["PipelineExecutionArn"], arn)
        described = wait_for_execution(self.sm, arn)
        self.assertEqual(described["PipelineExecutionStatus"], "Succeeded", described.get("FailureReason"))
        steps = {s["StepName"]: s for s in
                 self.sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]}
        self.assertEqual(steps["Double"]["Metadata"]["Lambda"],
                         {"Arn": self.function_arn, "OutputParameters": [{"Name": "doubled", "Value": "42"},
                                                                         {"Name": "note", "Value": "from grove"}]})
        callback = steps["Approval"]["Metadata"]["Callback"]
        self.assertEqual(callback["CallbackToken"], token)
        self.assertEqual(callback["OutputParameters"], [{"Name": "verdict", "Value": "ship"}])
        self.assertEqual(steps["Check"]["Metadata"]["Condition"]["Outcome"], "True")

        # A token is used once.
        with self.assertRaises(self.sm.exceptions.ClientError) as again:
            self.sm.send_pipeline_execution_step_success(CallbackToken=token)
        self.assertEqual(again.exception.response["Error"]["Code"], "ConflictException")
        self.assertIn("has already ended", again.exception.response["Error"]["Message"])

    def test_failure_fails_the_step_with_the_reason_sent(self):
        arn = self.sm.start_pipeline_execution(PipelineName="gated")["PipelineExecutionArn"]
        token = self.waiting_token(arn)
        self.sm.send_pipeline_execution_step_failure(CallbackToken=token, FailureReason="rejected by the reviewer")
        described = wait_for_execution(self.sm, arn)
        self.assertEqual(described["PipelineExecutionStatus"], "Failed")
        self.assertIn("rejected by the reviewer", described["FailureReason"])

    def test_an_unknown_token_or_function_is_a_clear_error(self):
        with self.assertRaises(self.sm.exceptions.ClientError) as unknown:
            self.sm.send_pipeline_execution_step_success(CallbackToken="AAAAAAAAAA")
        self.assertEqual(unknown.exception.response["Error"]["Code"], "ResourceNotFound")
        self.sm.create_pipeline(PipelineName="no-function", RoleArn=ROLE, PipelineDefinition=json.dumps(
            definition("arn:aws:lambda:us-east-1:123456789012:function:missing")))
        arn = self.sm.start_pipeline_execution(PipelineName="no-function")["PipelineExecutionArn"]
        described = wait_for_execution(self.sm, arn)
        self.assertEqual(described["PipelineExecutionStatus"], "Failed")
        self.assertIn("no Lambda function 'missing' (functions: doubler", described["FailureReason"])

    def test_a_viewer_cannot_answer_a_callback(self):
        key = json.loads(grove(self.server.home, "key", "create", "--role", "viewer", "--json").stdout)
        viewer = self.server.client("sagemaker", key_id=key["access_key_id"], secret=key["secret_access_key"])
        with self.assertRaises(viewer.exceptions.ClientError) as refused:
            viewer.send_pipeline_execution_step_success(CallbackToken="AAAAAAAAAA")
        self.assertEqual(refused.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)


if __name__ == "__main__":
    unittest.main()
