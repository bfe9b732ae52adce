"""End to end: SageMaker's control plane and runtime driven by real boto3 and aws-cli.

Seed 000's "Running Pipeline with Boto3" flow, unmodified but for the endpoint
and keys, against examples/multimodel.yaml with DatasetName=breast-cancer; the
errors clients depend on; pagination.
"""

import json
import os
import sys
import subprocess
import time
import unittest

from grove_server import GroveServer, SOURCE_DIR, grove, require_boto3

ROW = ("17.99,10.38,122.8,1001,0.1184,0.2776,0.3001,0.1471,0.2419,0.07871,1.095,0.9053,8.589,153.4,0.006399,"
       "0.04904,0.05373,0.01587,0.03003,0.006193,25.38,17.33,184.6,2019,0.1622,0.6656,0.7119,0.2654,0.4601,0.1189")


def wait_for_execution(sm, arn, timeout=180):
    deadline = time.time() + timeout
    while True:
        described = sm.describe_pipeline_execution(PipelineExecutionArn=arn)
        if described["PipelineExecutionStatus"] not in ("Executing", "Stopping"):
            return described
        if time.time() > deadline:
            raise AssertionError(f"{arn} still {described['PipelineExecutionStatus']} after {timeout} s")
        time.sleep(0.1)


@require_boto3
class SeedFlowTest(unittest.TestCase):
    """Seed 000's notebook, cell by cell."""

    @classmethod
    def setUpClass(cls):
        cls.server = GroveServer()
        grove(cls.server.home, "pipeline", "create", "examples/multimodel.yaml")
        grove(cls.server.home, "endpoint", "create", "models", "--multi-model", "--follow", "sklearn-multimodel-*")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def run_seed_flow(self, sm_client, rt_client, s3_client):
        pipeline_name = "sklearn-multimodel"
        parameters = json.loads(sm_client.describe_pipeline(PipelineName=pipeline_name)["PipelineDefinition"])["Parameters"]
        by_name = {p["Name"]: p for p in parameters}
        self.assertEqual(by_name["TestSetSize"]["Type"], "Float")
        self.assertEqual(by_name["TestSetSize"]["DefaultValue"], 0.2)
        self.assertEqual(by_name["DatasetName"]["EnumValues"], ["breast-cancer", "banknote-authentication"])

        pipeline_start_resp = sm_client.start_pipeline_execution(
            PipelineName=pipeline_name,
            PipelineParameters=[
                {'Name': 'DatasetName', 'Value': 'breast-cancer'},
                {'Name': 'MaxTuningJobs', 'Value': '4'},
                {'Name': 'MaxTuningParallelJobs', 'Value': '2'},
                {'Name': 'RegisterModelApprovalStatus', 'Value': 'PendingManualApproval'},
            ],
        )
        arn = pipeline_start_resp["PipelineExecutionArn"]
        self.assertRegex(arn, r"^arn:aws:sagemaker:us-east-1:\d{12}:pipeline/sklearn-multimodel/execution/[a-z0-9]{12}$")
        described = wait_for_execution(sm_client, arn)
        self.assertEqual(described["PipelineExecutionStatus"], "Succeeded", described.get("FailureReason"))

        response = sm_client.list_pipeline_execution_steps(PipelineExecutionArn=arn, MaxResults=100,
                                                           SortOrder='Descending')
        latest_model_package_arn = response["PipelineExecutionSteps"][0]["Metadata"]["RegisterModel"]["Arn"]
        self.assertRegex(latest_model_package_arn, r":model-package/sklearn-multimodel-breast-cancer/\d+$")
        by_step = {s["StepName"]: s for s in response["PipelineExecutionSteps"]}
        self.assertEqual(by_step["RegisterConditionCheck"]["Metadata"]["Condition"]["Outcome"], "True")
        self.assertIn("TuningJob", by_step["TuningWithCrossValidation"]["Metadata"])

        # PipelineExperimentConfig's default: the pipeline is an experiment, the execution a trial.
        execution_id = arn.rsplit("/", 1)[1]
        experiments = [e["ExperimentName"] for e in sm_client.list_experiments()["ExperimentSummaries"]]
        self.assertIn(pipeline_name, experiments)
        trials = sm_client.list_trials(ExperimentName=pipeline_name)["TrialSummaries"]
        self.assertIn(execution_id, [t["TrialName"] for t in trials])
        components = sm_client.list_trial_components(TrialName=execution_id)["TrialComponentSummaries"]
        evaluation = [c for c in components if c["DisplayName"] == "EvaluateBestModel"][0]
        self.assertEqual(evaluation["Status"]["PrimaryStatus"], "Completed")
        component = sm_client.describe_trial_component(TrialComponentName=evaluation["TrialComponentName"])
        self.assertEqual(component["Parameters"]["DatasetName"], {"StringValue": "breast-cancer"})
        self.assertIn("auc", [m["MetricName"] for m in component["Metrics"]])

        model_package_resp = sm_client.describe_model_package(ModelPackageName=latest_model_package_arn)
        self.assertEqual(model_package_resp["ModelApprovalStatus"], "PendingManualApproval")
        model_eval_s3_path = model_package_resp["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"]
        eval_results = s3_client.get_object(Bucket=model_eval_s3_path.split("/")[2],
                                            Key="/".join(model_eval_s3_path.split("/")[3:]))["Body"].read().decode('utf-8')
        self.assertIn("binary_classification_metrics", json.loads(eval_results))

        sm_client.update_model_package(ModelPackageArn=latest_model_package_arn, ModelApprovalStatus='Approved',
                                       ApprovalDescription='good enough')
        approved = sm_client.describe_model_package(ModelPackageName=latest_model_package_arn)
        self.assertEqual(approved["ModelApprovalStatus"], "Approved")
        self.assertEqual(approved["ApprovalDescription"], "good enough")

        # The endpoint follows the group: the approval reaches it like `grove registry approve` does.
        deadline = time.time() + 10
        while True:
            try:
                answer = rt_client.invoke_endpoint(EndpointName="models", ContentType="text/csv", Body=ROW,
                                                   TargetModel="sklearn-multimodel-breast-cancer",
                                                   CustomAttributes="input=raw")
                break
            except Exception:  # Not yet serving: the server refreshes on the approval event.
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        predictions = json.loads(answer["Body"].read())["predictions"]
        self.assertEqual(len(predictions), 1)
        return latest_model_package_arn

    def test_the_seed_notebook_with_explicit_endpoints(self):
        sm = self.server.client("sagemaker")
        rt = self.server.client("sagemaker-runtime")
        arn = self.run_seed_flow(sm, rt, self.server.client("s3"))
        sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus='Rejected', ApprovalDescription='no')
        self.assertEqual(sm.describe_model_package(ModelPackageName=arn)["ModelApprovalStatus"], "Rejected")

    def test_the_seed_notebook_through_aws_endpoint_url(self):
        env = self.server.aws_env()
        code = ("import boto3, json, sys\n"
                "sm = boto3.client('sagemaker')\n"
                "print(json.dumps([p['Name'] for p in json.loads(sm.describe_pipeline("
                "PipelineName='sklearn-multimodel')['PipelineDefinition'])['Parameters']]))\n")
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=SOURCE_DIR)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("DatasetName", json.loads(out.stdout))

    def test_aws_cli_lists_pipelines_and_invokes(self):
        env = self.server.aws_env()
        listed = subprocess.run(["aws", "sagemaker", "list-pipelines"], env=env, capture_output=True, text=True)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        names = [p["PipelineName"] for p in json.loads(listed.stdout)["PipelineSummaries"]]
        self.assertIn("sklearn-multimodel", names)
        missing = subprocess.run(["aws", "sagemaker", "describe-pipeline", "--pipeline-name", "nope"], env=env,
                                 capture_output=True, text=True)
        self.assertEqual(missing.returncode, 255)
        self.assertIn("An error occurred (ResourceNotFound) when calling the DescribePipeline operation", missing.stderr)


@require_boto3
class ModelsAndEndpointsTest(unittest.TestCase):
    """The SageMaker SDK's deploy path: CreateModel, CreateEndpointConfig, CreateEndpoint, the waiters, invoke."""

    def test_an_endpoint_made_from_a_model_package_serves_it(self):
        import botocore.exceptions
        server = GroveServer()
        try:
            grove(server.home, "run", "examples/abalone.yaml", "-q", "-p", "ModelApprovalStatus=Approved")
            sm = server.client("sagemaker")
            package = sm.list_model_packages(ModelPackageGroupName="AbalonePackageGroup")["ModelPackageSummaryList"][0]
            container = {"Image": "xgboost", "ModelPackageName": package["ModelPackageArn"]}
            sm.create_model(ModelName="abalone", PrimaryContainer=container,
                            ExecutionRoleArn="arn:aws:iam::123456789012:role/r")
            with self.assertRaises(botocore.exceptions.ClientError) as again:
                sm.create_model(ModelName="abalone", PrimaryContainer=container,
                                ExecutionRoleArn="arn:aws:iam::123456789012:role/r")
            self.assertIn("Cannot create already existing model", again.exception.response["Error"]["Message"])
            sm.create_endpoint_config(EndpointConfigName="abalone-config", ProductionVariants=[
                {"VariantName": "Primary", "ModelName": "abalone", "InitialInstanceCount": 1,
                 "InstanceType": "ml.m5.large", "InitialVariantWeight": 1.0}])
            sm.create_endpoint(EndpointName="abalone-prod", EndpointConfigName="abalone-config")
            sm.get_waiter("endpoint_in_service").wait(EndpointName="abalone-prod", WaiterConfig={"Delay": 1})
            described = sm.describe_endpoint(EndpointName="abalone-prod")
            self.assertEqual(described["EndpointStatus"], "InService")
            self.assertEqual(described["EndpointConfigName"], "abalone-config")
            self.assertEqual(sm.describe_endpoint_config(EndpointConfigName="abalone-config")[
                "ProductionVariants"][0]["ModelName"], "abalone")
            self.assertEqual([m["ModelName"] for m in sm.list_models()["Models"]], ["abalone"])

            rt = server.client("sagemaker-runtime")
            answer = rt.invoke_endpoint(EndpointName="abalone-prod", ContentType="text/csv",
                                        CustomAttributes="input=raw", Body="M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15")
            self.assertEqual(len(json.loads(answer["Body"].read())["predictions"]), 1)
            self.check_weights_and_capacities(sm, rt)

            sm.delete_endpoint(EndpointName="abalone-prod")
            sm.get_waiter("endpoint_deleted").wait(EndpointName="abalone-prod", WaiterConfig={"Delay": 1})
            sm.delete_endpoint_config(EndpointConfigName="abalone-config")
            sm.delete_model(ModelName="abalone")
            with self.assertRaises(botocore.exceptions.ClientError) as missing:
                sm.describe_model(ModelName="abalone")
            self.assertIn('Could not find model "arn:aws:sagemaker:us-east-1:123456789012:model/abalone".',
                          missing.exception.response["Error"]["Message"])
        finally:
            server.close()


    def check_weights_and_capacities(self, sm, rt):
        """UpdateEndpointWeightsAndCapacities on the endpoint's one variant; other variants are refused."""
        import botocore.exceptions
        variant = sm.describe_endpoint(EndpointName="abalone-prod")["ProductionVariants"][0]
        self.assertEqual((variant["VariantName"], variant["CurrentWeight"]), ("Primary", 1.0))
        updated = sm.update_endpoint_weights_and_capacities(EndpointName="abalone-prod", DesiredWeightsAndCapacities=[
            {"VariantName": "Primary", "DesiredWeight": 0.5, "DesiredInstanceCount": 2}])
        self.assertEqual(updated["EndpointArn"], "arn:aws:sagemaker:us-east-1:123456789012:endpoint/abalone-prod")
        described = sm.describe_endpoint(EndpointName="abalone-prod")
        self.assertEqual(described["EndpointStatus"], "InService")
        variant = described["ProductionVariants"][0]
        self.assertEqual((variant["DesiredWeight"], variant["DesiredInstanceCount"]), (0.5, 2))
        rt.invoke_endpoint(EndpointName="abalone-prod", ContentType="text/csv", CustomAttributes="input=raw",
                           Body="M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15")
        refusals = [
            ([{"VariantName": "Canary", "DesiredWeight": 0.1}],
             'The variant name(s) "Canary" is/are not present within endpoint configuration "abalone-config".'),
            ([{"VariantName": "Primary", "DesiredWeight": 1.0}, {"VariantName": "Primary", "DesiredWeight": 1.0}],
             'The variant name "Primary" was non-unique within the request.'),
        ]
        for wanted, message in refusals:
            with self.assertRaises(botocore.exceptions.ClientError) as refused:
                sm.update_endpoint_weights_and_capacities(EndpointName="abalone-prod",
                                                          DesiredWeightsAndCapacities=wanted)
            self.assertEqual(refused.exception.response["Error"]["Code"], "ValidationException")
            self.assertIn(message, refused.exception.response["Error"]["Message"])
        with self.assertRaises(botocore.exceptions.ClientError) as missing:
            sm.update_endpoint_weights_and_capacities(EndpointName="nope", DesiredWeightsAndCapacities=[
                {"VariantName": "Primary", "DesiredWeight": 1.0}])
        self.assertIn('Could not find endpoint "arn:aws:sagemaker:us-east-1:123456789012:endpoint/nope".',
                      missing.exception.response["Error"]["Message"])
        self.assertEqual(sm.describe_endpoint(EndpointName="abalone-prod")["ProductionVariants"][0]["DesiredWeight"],
                         0.5, "a refused update changes nothing")


THRESHOLD_DEFINITION = {
    "Version": "2020-12-01", "Metadata": {},
    "Parameters": [{"Name": "Value", "Type": "Float", "DefaultValue": 1.0},
                   {"Name": "Threshold", "Type": "Float", "DefaultValue": 5.0}],
    "PipelineExperimentConfig": {"ExperimentName": {"Get": "Execution.PipelineName"},
                                 "TrialName": {"Get": "Execution.PipelineExecutionId"}},
    "Steps": [{"Name": "CheckValue", "Type": "Condition", "Arguments": {
        "Conditions": [{"Type": "LessThanOrEqualTo", "LeftValue": {"Get": "Parameters.Value"},
                        "RightValue": {"Get": "Parameters.Threshold"}}],
        "IfSteps": [{"Name": "TooSmall", "Type": "Fail", "Arguments": {"ErrorMessage": {"Std:Join": {
            "On": " ", "Values": ["Value at most", {"Get": "Parameters.Threshold"}]}}}}],
        "ElseSteps": []}}]}


@require_boto3
class SageMakerDefinitionTest(unittest.TestCase):
    """A definition as the SageMaker Python SDK writes it, sent with CreatePipeline and run locally."""

    @classmethod
    def setUpClass(cls):
        cls.server = GroveServer()
        cls.sm = cls.server.client("sagemaker")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_create_describe_start_update(self):
        import botocore.exceptions
        text = json.dumps(THRESHOLD_DEFINITION, indent=1)
        arn = self.sm.create_pipeline(PipelineName="threshold", PipelineDefinition=text,
                                      RoleArn="arn:aws:iam::123456789012:role/r")["PipelineArn"]
        self.assertTrue(arn.endswith(":pipeline/threshold"))
        self.assertEqual(self.sm.describe_pipeline(PipelineName="threshold")["PipelineDefinition"], text)
        with self.assertRaises(botocore.exceptions.ClientError) as again:
            self.sm.create_pipeline(PipelineName="threshold", PipelineDefinition=text, RoleArn="arn:aws:iam::1:role/r")
        message = again.exception.response["Error"]["Message"]
        self.assertIn("Pipeline names must be unique within", message)
        self.assertIn("already exists", message)

        failing = self.sm.start_pipeline_execution(PipelineName="threshold")["PipelineExecutionArn"]
        described = wait_for_execution(self.sm, failing)
        self.assertEqual(described["PipelineExecutionStatus"], "Failed")
        self.assertIn("Value at most 5", described["FailureReason"])
        passing = self.sm.start_pipeline_execution(PipelineName="threshold", PipelineParameters=[
            {"Name": "Value", "Value": "9"}])["PipelineExecutionArn"]
        self.assertEqual(wait_for_execution(self.sm, passing)["PipelineExecutionStatus"], "Succeeded")
        steps = self.sm.list_pipeline_execution_steps(PipelineExecutionArn=passing)["PipelineExecutionSteps"]
        self.assertEqual(steps[0]["Metadata"]["Condition"]["Outcome"], "False")

        changed = dict(THRESHOLD_DEFINITION, Parameters=[{"Name": "Value", "Type": "Float", "DefaultValue": 1.0},
                                                         {"Name": "Threshold", "Type": "Float", "DefaultValue": 0.5}])
        updated = self.sm.update_pipeline(PipelineName="threshold", PipelineDefinition=json.dumps(changed))
        self.assertEqual(updated["PipelineVersionId"], 2)
        now = self.sm.start_pipeline_execution(PipelineName="threshold")["PipelineExecutionArn"]
        self.assertEqual(wait_for_execution(self.sm, now)["PipelineExecutionStatus"], "Succeeded")

    def test_bad_definitions_are_refused_with_the_field(self):
        import botocore.exceptions
        bad = dict(THRESHOLD_DEFINITION, Steps=[{"Name": "C", "Type": "Condition", "Arguments": {
            "Conditions": [{"Type": "Between", "LeftValue": 1, "RightValue": 2}]}}])
        with self.assertRaises(botocore.exceptions.ClientError) as refused:
            self.sm.create_pipeline(PipelineName="bad", PipelineDefinition=json.dumps(bad), RoleArn="arn:aws:iam::1:role/r")
        self.assertEqual(refused.exception.response["Error"]["Code"], "ValidationException")
        self.assertIn("/Steps/0/Arguments/Conditions/0/Type", refused.exception.response["Error"]["Message"])

    def test_the_sdks_abalone_definition_is_accepted_and_fails_clearly_without_its_data(self):
        with open(os.path.join(SOURCE_DIR, "src/pipeline/testdata/sagemaker/abalone-batch-transform.json")) as f:
            text = f.read()
        s3 = self.server.client("s3")
        s3.create_bucket(Bucket="definitions")
        s3.put_object(Bucket="definitions", Key="abalone", Body=text.encode())
        self.sm.create_pipeline(PipelineName="sdk-abalone", RoleArn="arn:aws:iam::1:role/r",
                                PipelineDefinitionS3Location={"Bucket": "definitions", "ObjectKey": "abalone"})
        self.assertEqual(self.sm.describe_pipeline(PipelineName="sdk-abalone")["PipelineDefinition"], text)
        arn = self.sm.start_pipeline_execution(PipelineName="sdk-abalone")["PipelineExecutionArn"]
        described = wait_for_execution(self.sm, arn)
        self.assertEqual(described["PipelineExecutionStatus"], "Failed")
        # Its first step runs, and finds nothing at the input URI the definition names.
        self.assertIn("step AbaloneProcess failed: ProcessingInputs[0] (input-1): no such bucket "
                      "'sagemaker-us-west-2-000000000000'", described["FailureReason"])


@require_boto3
class S3InputTest(unittest.TestCase):
    """`aws s3 cp data.csv s3://<bucket>/inputs/` puts data where a pipeline parameter can name it."""

    def test_a_pipeline_reads_its_input_from_an_uploaded_object(self):
        server = GroveServer()
        try:
            env = server.aws_env()
            for command in (["aws", "s3", "mb", "s3://data"],
                            ["aws", "s3", "cp", "datasets/abalone/abalone-dataset.csv", "s3://data/inputs/"]):
                done = subprocess.run(command, env=env, cwd=SOURCE_DIR, capture_output=True, text=True)
                self.assertEqual(done.returncode, 0, done.stderr)
            grove(server.home, "pipeline", "create", "examples/abalone.yaml")
            sm = server.client("sagemaker")
            arn = sm.start_pipeline_execution(PipelineName="abalone", PipelineParameters=[
                {"Name": "InputData", "Value": "s3://data/inputs/abalone-dataset.csv"}])["PipelineExecutionArn"]
            described = wait_for_execution(sm, arn)
            self.assertEqual(described["PipelineExecutionStatus"], "Succeeded", described.get("FailureReason"))
            missing = sm.start_pipeline_execution(PipelineName="abalone", PipelineParameters=[
                {"Name": "InputData", "Value": "s3://data/inputs/nope.csv"}])["PipelineExecutionArn"]
            failed = wait_for_execution(sm, missing)
            self.assertEqual(failed["PipelineExecutionStatus"], "Failed")
            self.assertIn("nope.csv", failed["FailureReason"])
        finally:
            server.close()


@require_boto3
class ErrorsAndPaginationTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = GroveServer()
        cls.definition = os.path.join(cls.server.home, "tiny.yaml")
        with open(cls.definition, "w") as f:
            f.write("pipeline: tiny\nparameters:\n  Word: {type: String, default: hi}\n"
                    "steps:\n  - {name: Stop, type: Fail, arguments: {message: {Get: Parameters.Word}}}\n")
        grove(cls.server.home, "pipeline", "create", cls.definition)
        cls.sm = cls.server.client("sagemaker")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def assert_error(self, code, call, *, message=None):
        import botocore.exceptions
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            call()
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], code, error)
        if message is not None:
            self.assertIn(message, error["Message"])
        return raised.exception

    def test_errors_clients_check(self):
        e = self.assert_error("ResourceNotFound", lambda: self.sm.describe_pipeline(PipelineName="nope"))
        self.assertIsInstance(e, self.sm.exceptions.ResourceNotFound)
        self.assert_error("ValidationException", lambda: self.sm.describe_endpoint(EndpointName="nope"),
                          message='Could not find endpoint "arn:aws:sagemaker:us-east-1:')
        self.assert_error("ValidationException", lambda: self.sm.describe_model_package(
            ModelPackageName="arn:aws:sagemaker:us-east-1:123456789012:model-package/nope/1"),
            message="ModelPackage arn:aws:sagemaker:us-east-1:123456789012:model-package/nope/1 does not exist.")
        self.assert_error("ValidationException", lambda: self.sm.list_pipelines(MaxResults=1000))
        self.assert_error("ValidationException", lambda: self.sm.list_pipelines(SortBy="Bogus"))
        self.assert_error("ResourceNotFound", lambda: self.sm.describe_pipeline_execution(
            PipelineExecutionArn="arn:aws:sagemaker:us-east-1:123456789012:pipeline/tiny/execution/zzzzzzzzzzzz"))
        self.assert_error("UnknownOperationException", lambda: self.sm.describe_domain(DomainId="d-1"))

    def test_every_pipeline_operation_answers_a_missing_pipeline_or_execution_with_resource_not_found(self):
        missing = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/tiny/execution/zzzzzzzzzzzz"
        calls = {
            "UpdatePipeline": lambda: self.sm.update_pipeline(PipelineName="nope", PipelineDefinition="{}"),
            "DeletePipeline": lambda: self.sm.delete_pipeline(PipelineName="nope"),
            "StartPipelineExecution": lambda: self.sm.start_pipeline_execution(PipelineName="nope"),
            "ListPipelineExecutions": lambda: self.sm.list_pipeline_executions(PipelineName="nope"),
            "ListPipelineExecutionSteps": lambda: self.sm.list_pipeline_execution_steps(PipelineExecutionArn=missing),
            "ListPipelineParametersForExecution":
                lambda: self.sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=missing),
            "DescribePipelineDefinitionForExecution":
                lambda: self.sm.describe_pipeline_definition_for_execution(PipelineExecutionArn=missing),
            "StopPipelineExecution": lambda: self.sm.stop_pipeline_execution(PipelineExecutionArn=missing),
            "RetryPipelineExecution": lambda: self.sm.retry_pipeline_execution(PipelineExecutionArn=missing),
        }
        for operation, call in calls.items():
            with self.subTest(operation):
                e = self.assert_error("ResourceNotFound", call)
                self.assertIsInstance(e, self.sm.exceptions.ResourceNotFound)
                self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 400)
                self.assertIn("does not exist", e.response["Error"]["Message"])

    def test_patterns_lengths_and_enums_the_client_does_not_check(self):
        role = "arn:aws:iam::123456789012:role/r"
        definition = json.dumps(THRESHOLD_DEFINITION)
        cases = [
            (lambda: self.sm.create_pipeline(PipelineName="bad_name", PipelineDefinition=definition, RoleArn=role),
             "failed to satisfy constraint: Member must satisfy regular expression pattern"),
            (lambda: self.sm.create_pipeline(PipelineName="p" * 300, PipelineDefinition=definition, RoleArn=role),
             "1 validation error detected"),
            (lambda: self.sm.list_pipeline_executions(PipelineName="tiny", SortBy="Bogus"),
             "Member must satisfy enum value set"),
            (lambda: self.sm.list_model_packages(ModelApprovalStatus="Maybe"), "Member must satisfy enum value set"),
            (lambda: self.sm.list_endpoints(StatusEquals="Sleeping"), "Member must satisfy enum value set"),
            (lambda: self.sm.list_model_package_groups(MaxResults=101), "Member must have value less than or equal to 100"),
            (lambda: self.sm.list_pipelines(NextToken="not-a-token"), "Invalid pagination token"),
            (lambda: self.sm.update_model_package(ModelPackageArn="AbalonePackageGroup/1",
                                                  ModelApprovalStatus="Maybe"), "Member must satisfy enum value set"),
        ]
        for i, (call, message) in enumerate(cases):
            with self.subTest(i):
                self.assert_error("ValidationException", call, message=message)

    def test_a_failing_execution_reports_its_reason_and_parameters(self):
        arn = self.sm.start_pipeline_execution(PipelineName="tiny", PipelineParameters=[{"Name": "Word", "Value": "bye"}])[
            "PipelineExecutionArn"]
        described = wait_for_execution(self.sm, arn)
        self.assertEqual(described["PipelineExecutionStatus"], "Failed")
        self.assertIn("bye", described["FailureReason"])
        steps = self.sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]
        self.assertEqual(steps[0]["Metadata"]["Fail"]["ErrorMessage"], "bye")
        parameters = self.sm.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)["PipelineParameters"]
        self.assertEqual(parameters, [{"Name": "Word", "Value": "bye"}])
        self.assert_error("ValidationException", lambda: self.sm.start_pipeline_execution(
            PipelineName="tiny", PipelineParameters=[{"Name": "Nope", "Value": "x"}]), message="Nope")

    def test_groups_are_created_and_tagged(self):
        arn = self.sm.create_model_package_group(ModelPackageGroupName="Churn-StateCA", ModelPackageGroupDescription="CA",
                                                 Tags=[{"Key": "team", "Value": "fleet"}])["ModelPackageGroupArn"]
        self.assertEqual(self.sm.describe_model_package_group(ModelPackageGroupName="Churn-StateCA")[
            "ModelPackageGroupDescription"], "CA")
        self.assert_error("ValidationException", lambda: self.sm.create_model_package_group(
            ModelPackageGroupName="Churn-StateCA"), message="already exists")
        self.sm.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
        tags = {t["Key"]: t["Value"] for t in self.sm.list_tags(ResourceArn=arn)["Tags"]}
        self.assertEqual(tags, {"team": "fleet", "stage": "dev"})
        self.sm.delete_tags(ResourceArn=arn, TagKeys=["team"])
        self.assertEqual(self.sm.list_tags(ResourceArn=arn)["Tags"], [{"Key": "stage", "Value": "dev"}])
        self.assertEqual(self.sm.list_model_packages(ModelPackageGroupName=arn)["ModelPackageSummaryList"], [])

    def test_a_failed_execution_is_retried_as_a_new_one(self):
        arn = self.sm.start_pipeline_execution(PipelineName="tiny")["PipelineExecutionArn"]
        self.assertEqual(wait_for_execution(self.sm, arn)["PipelineExecutionStatus"], "Failed")
        retried = self.sm.retry_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionArn"]
        self.assertNotEqual(retried, arn)
        self.assertEqual(wait_for_execution(self.sm, retried)["PipelineExecutionStatus"], "Failed")
        self.assert_error("ConflictException", lambda: self.sm.stop_pipeline_execution(PipelineExecutionArn=arn))

    def test_a_retried_start_with_the_same_token_starts_once(self):
        first = self.sm.start_pipeline_execution(PipelineName="tiny", ClientRequestToken="t" * 36)
        again = self.sm.start_pipeline_execution(PipelineName="tiny", ClientRequestToken="t" * 36)
        self.assertEqual(first["PipelineExecutionArn"], again["PipelineExecutionArn"])

    def test_paginators_walk_more_than_a_hundred_executions(self):
        started = {self.sm.start_pipeline_execution(PipelineName="tiny")["PipelineExecutionArn"] for _ in range(105)}
        seen = []
        pages = 0
        for page in self.sm.get_paginator("list_pipeline_executions").paginate(PipelineName="tiny"):
            pages += 1
            seen += [s["PipelineExecutionArn"] for s in page["PipelineExecutionSummaries"]]
        self.assertGreaterEqual(pages, 3)  # 50 per page by default.
        self.assertEqual(len(seen), len(set(seen)))
        self.assertTrue(started <= set(seen))
        groups = {"Paged-%03d" % i for i in range(120)}
        for name in groups:
            self.sm.create_model_package_group(ModelPackageGroupName=name)
        listed = [g["ModelPackageGroupName"]
                  for page in self.sm.get_paginator("list_model_package_groups").paginate(
                      NameContains="Paged-", SortBy="Name", SortOrder="Descending")
                  for g in page["ModelPackageGroupSummaryList"]]
        self.assertEqual(listed, sorted(groups, reverse=True))
        small = list(self.sm.get_paginator("list_pipelines").paginate(PaginationConfig={"PageSize": 1}))
        self.assertEqual([p["PipelineName"] for page in small for p in page["PipelineSummaries"]], ["tiny"])


@require_boto3
class PipelineDeletionTest(unittest.TestCase):
    """DeletePipeline: refused while an execution runs, as SageMaker; the executions' history stays."""

    def test_delete_a_pipeline_after_stopping_its_execution(self):
        import botocore.exceptions
        server = GroveServer()
        try:
            sm = server.client("sagemaker")
            definition = os.path.join(server.home, "slow.yaml")
            with open(definition, "w") as f:
                f.write("pipeline: slow\nsteps:\n  - {name: Wait, type: Processing, arguments: "
                        "{command: [sh, -c, 'sleep 30'], outputs: [out]}}\n")
            grove(server.home, "pipeline", "create", definition)
            sm.add_tags(ResourceArn=sm.describe_pipeline(PipelineName="slow")["PipelineArn"],
                        Tags=[{"Key": "k", "Value": "v"}])
            arn = sm.start_pipeline_execution(PipelineName="slow")["PipelineExecutionArn"]
            with self.assertRaises(sm.exceptions.ConflictException) as refused:
                sm.delete_pipeline(PipelineName="slow")
            self.assertIn("stop its running executions", refused.exception.response["Error"]["Message"])
            self.assertEqual(sm.describe_pipeline(PipelineName="slow")["PipelineStatus"], "Active")

            sm.stop_pipeline_execution(PipelineExecutionArn=arn)
            self.assertEqual(wait_for_execution(sm, arn)["PipelineExecutionStatus"], "Stopped")
            deleted = sm.delete_pipeline(PipelineName="slow")
            self.assertEqual(deleted["PipelineArn"], "arn:aws:sagemaker:us-east-1:123456789012:pipeline/slow")
            with self.assertRaises(sm.exceptions.ResourceNotFound):
                sm.describe_pipeline(PipelineName="slow")
            with self.assertRaises(sm.exceptions.ResourceNotFound):
                sm.delete_pipeline(PipelineName="slow")
            with self.assertRaises(sm.exceptions.ResourceNotFound):
                sm.start_pipeline_execution(PipelineName="slow")
            self.assertEqual(sm.list_pipelines()["PipelineSummaries"], [])
            # The execution's history stays.
            self.assertEqual(sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"],
                             "Stopped")
            self.assertEqual(sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)[
                "PipelineExecutionSteps"][0]["StepName"], "Wait")

            # The name can be used again: version numbers continue, the old tags are gone.
            again = sm.create_pipeline(PipelineName="slow", RoleArn="arn:aws:iam::123456789012:role/r",
                                       PipelineDefinition=json.dumps(THRESHOLD_DEFINITION))
            changed = dict(THRESHOLD_DEFINITION, Metadata={"changed": "yes"})
            self.assertEqual(sm.update_pipeline(PipelineName="slow", PipelineDefinition=json.dumps(changed))[
                "PipelineVersionId"], 3)
            self.assertEqual(sm.list_tags(ResourceArn=again["PipelineArn"])["Tags"], [])
            self.assertIsInstance(refused.exception, botocore.exceptions.ClientError)
        finally:
            server.close()


@require_boto3
class StepIsolationTest(unittest.TestCase):
    """With --launcher subprocess, a step that aborts fails alone; the server stays up."""

    def test_an_aborting_step_fails_its_execution_and_the_server_carries_on(self):
        server = GroveServer("--launcher", "subprocess")
        try:
            definition = os.path.join(server.home, "abort.yaml")
            with open(definition, "w") as f:
                f.write("pipeline: abort\nsteps:\n  - {name: Boom, type: Processing, arguments: "
                        "{command: [sh, -c, 'kill -ABRT $PPID; sleep 5'], outputs: [out]}}\n")
            grove(server.home, "pipeline", "create", definition)
            sm = server.client("sagemaker")
            arn = sm.start_pipeline_execution(PipelineName="abort")["PipelineExecutionArn"]
            described = wait_for_execution(sm, arn)
            self.assertEqual(described["PipelineExecutionStatus"], "Failed")
            self.assertIn("killed by signal 6", described["FailureReason"])
            self.assertIsNone(server.process.poll(), "the server died with the step")
            self.assertEqual(sm.list_pipelines()["PipelineSummaries"][0]["PipelineName"], "abort")
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
