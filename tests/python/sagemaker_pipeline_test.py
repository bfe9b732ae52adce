"""A SageMaker pipeline definition, as the SageMaker Python SDK writes it, run by Grove without Docker.

The Abalone flow of the SageMaker Projects template: a Processing step whose script downloads its input with
boto3 and splits it, a Training step of the built-in XGBoost image (1.0-1), an evaluation Processing step
whose script untars the model and pickle.loads it, a Condition on the evaluation's PropertyFile, then
RegisterModel or Fail. Created with CreatePipeline and started with boto3; the registered package is then
approved and served through a SageMaker endpoint. Skips (exit 77) without boto3, or without bubblewrap and
Debian's python3 scientific stack, which scripts/setup.sh installs.
"""

import json
import os
import shutil
import subprocess
import sys
import unittest

from grove_server import GroveServer, SOURCE_DIR, require_boto3
from sagemaker_test import wait_for_execution

BUCKET = "sagemaker-us-east-1-123456789012"
XGBOOST_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.0-1-cpu-py3"
SKLEARN_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:0.23-1-cpu-py3"
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sagemaker_scripts")


def scientific_python_missing():
    """Why the Processing steps cannot run here, or None."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    probe = subprocess.run(["/usr/bin/python3", "-c", "import boto3, pandas, sklearn, xgboost"], capture_output=True)
    if probe.returncode != 0:
        return "/usr/bin/python3 lacks boto3, pandas, sklearn or xgboost"
    return None


def s3_input(name, uri, local_path):
    return {"InputName": name, "AppManaged": False,
            "S3Input": {"S3Uri": uri, "LocalPath": local_path, "S3DataType": "S3Prefix", "S3InputMode": "File",
                        "S3DataDistributionType": "FullyReplicated", "S3CompressionType": "None"}}


def s3_output(name, uri, local_path):
    return {"OutputName": name, "AppManaged": False,
            "S3Output": {"S3Uri": uri, "LocalPath": local_path, "S3UploadMode": "EndOfJob"}}


def processing(image, script, inputs, outputs, arguments=None):
    app = {"ImageUri": image, "ContainerEntrypoint": ["python3", "/opt/ml/processing/input/code/" + script]}
    if arguments:
        app["ContainerArguments"] = arguments
    return {"ProcessingResources": {"ClusterConfig": {"InstanceType": {"Get": "Parameters.ProcessingInstanceType"},
                                                      "InstanceCount": 1, "VolumeSizeInGB": 30}},
            "AppSpecification": app, "RoleArn": ROLE,
            "ProcessingInputs": inputs + [s3_input("code", f"s3://{BUCKET}/code/{script}",
                                                   "/opt/ml/processing/input/code")],
            "ProcessingOutputConfig": {"Outputs": outputs}}


def output_uri(step, name):
    return {"Get": f"Steps.{step}.ProcessingOutputConfig.Outputs['{name}'].S3Output.S3Uri"}


def abalone_definition():
    """The template's pipeline.definition(), as the SDK prints it (Version 2020-12-01)."""
    out = f"s3://{BUCKET}/abalone"
    preprocess = {
        "Name": "PreprocessAbaloneData", "Type": "Processing",
        "Arguments": processing(SKLEARN_IMAGE, "preprocess.py", [], [
            s3_output("train", out + "/train", "/opt/ml/processing/train"),
            s3_output("validation", out + "/validation", "/opt/ml/processing/validation"),
            s3_output("test", out + "/test", "/opt/ml/processing/test")],
            ["--input-data", {"Get": "Parameters.InputDataUrl"}])}
    channel = lambda name: {"ChannelName": name, "ContentType": "text/csv", "DataSource": {"S3DataSource": {
        "S3DataType": "S3Prefix", "S3Uri": output_uri("PreprocessAbaloneData", name),
        "S3DataDistributionType": "FullyReplicated"}}}
    train = {
        "Name": "TrainAbaloneModel", "Type": "Training",
        "Arguments": {
            "AlgorithmSpecification": {"TrainingImage": XGBOOST_IMAGE, "TrainingInputMode": "File"},
            "OutputDataConfig": {"S3OutputPath": out + "/AbaloneTrain"},
            "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
            "ResourceConfig": {"VolumeSizeInGB": 30, "InstanceCount": 1, "InstanceType": "ml.m5.xlarge"},
            "RoleArn": ROLE,
            "InputDataConfig": [channel("train"), channel("validation")],
            "HyperParameters": {"objective": "reg:linear", "num_round": "50", "max_depth": "5", "eta": "0.2",
                                "gamma": "4", "min_child_weight": "6", "subsample": "0.7", "silent": "0"}}}
    evaluate = {
        "Name": "EvaluateAbaloneModel", "Type": "Processing",
        "Arguments": processing(XGBOOST_IMAGE, "evaluate.py", [
            s3_input("input-1", {"Get": "Steps.TrainAbaloneModel.ModelArtifacts.S3ModelArtifacts"},
                     "/opt/ml/processing/model"),
            s3_input("input-2", output_uri("PreprocessAbaloneData", "test"), "/opt/ml/processing/test")],
            [s3_output("evaluation", out + "/evaluation", "/opt/ml/processing/evaluation")]),
        "PropertyFiles": [{"PropertyFileName": "AbaloneEvaluationReport", "OutputName": "evaluation",
                           "FilePath": "evaluation.json"}]}
    register = {
        "Name": "RegisterAbaloneModel-RegisterModel", "Type": "RegisterModel",
        "Arguments": {
            "ModelPackageGroupName": "AbaloneModelPackageGroupName",
            "ModelMetrics": {"ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": {
                "Std:Join": {"On": "/", "Values": [output_uri("EvaluateAbaloneModel", "evaluation"),
                                                   "evaluation.json"]}}}},
                             "Bias": {}, "Explainability": {}},
            "InferenceSpecification": {
                "Containers": [{"Image": XGBOOST_IMAGE, "Environment": {},
                                "ModelDataUrl": {"Get": "Steps.TrainAbaloneModel.ModelArtifacts.S3ModelArtifacts"}}],
                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
            "ModelApprovalStatus": {"Get": "Parameters.ModelApprovalStatus"}}}
    fail = {"Name": "AbaloneMSEFail", "Type": "Fail", "Arguments": {"ErrorMessage": {"Std:Join": {
        "On": " ", "Values": ["Execution failed due to MSE >", {"Get": "Parameters.MseThreshold"}]}}}}
    condition = {
        "Name": "CheckMSEAbaloneEvaluation", "Type": "Condition",
        "Arguments": {"Conditions": [{"Type": "LessThanOrEqualTo", "LeftValue": {"Std:JsonGet": {
            "PropertyFile": {"Get": "Steps.EvaluateAbaloneModel.PropertyFiles.AbaloneEvaluationReport"},
            "Path": "regression_metrics.mse.value"}}, "RightValue": {"Get": "Parameters.MseThreshold"}}],
            "IfSteps": [register], "ElseSteps": [fail]}}
    return {"Version": "2020-12-01", "Metadata": {},
            "Parameters": [
                {"Name": "ProcessingInstanceType", "Type": "String", "DefaultValue": "ml.m5.xlarge"},
                {"Name": "ModelApprovalStatus", "Type": "String", "DefaultValue": "PendingManualApproval"},
                {"Name": "InputDataUrl", "Type": "String", "DefaultValue": f"s3://{BUCKET}/abalone/abalone-dataset.csv"},
                {"Name": "MseThreshold", "Type": "Float", "DefaultValue": 6.0}],
            "PipelineExperimentConfig": {"ExperimentName": {"Get": "Execution.PipelineName"},
                                         "TrialName": {"Get": "Execution.PipelineExecutionId"}},
            "Steps": [preprocess, train, evaluate, condition]}


def tuned_abalone_definition():
    """The Abalone definition with seed 004's tuning step in place of training: the evaluation reads the best
    model where the SDK's get_top_model_s3_uri(top_k=0) puts it."""
    d = abalone_definition()
    train = d["Steps"][1]["Arguments"]
    tuning = {
        "Name": "TuneAbaloneModel", "Type": "Tuning",
        "Arguments": {
            "HyperParameterTuningJobConfig": {
                "Strategy": "Bayesian",
                "ResourceLimits": {"MaxNumberOfTrainingJobs": 6, "MaxParallelTrainingJobs": 2},
                "TrainingJobEarlyStoppingType": "Off",
                "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "validation:rmse"},
                "ParameterRanges": {
                    "ContinuousParameterRanges": [{"Name": "eta", "MinValue": "0.05", "MaxValue": "0.5",
                                                   "ScalingType": "Logarithmic"}],
                    "IntegerParameterRanges": [{"Name": "max_depth", "MinValue": "2", "MaxValue": "6",
                                                "ScalingType": "Auto"}],
                    "CategoricalParameterRanges": [{"Name": "min_child_weight", "Values": ["1", "6"]}]}},
            "TrainingJobDefinition": {
                "StaticHyperParameters": {"objective": "reg:squarederror", "num_round": "30", "subsample": "0.8"},
                "RoleArn": ROLE,
                "OutputDataConfig": {"S3OutputPath": f"s3://{BUCKET}/abalone/tuning"},
                "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
                "ResourceConfig": train["ResourceConfig"],
                "AlgorithmSpecification": train["AlgorithmSpecification"],
                "InputDataConfig": train["InputDataConfig"]}}}
    best_model = {"Std:Join": {"On": "/", "Values": [
        "s3:/", BUCKET, "abalone/tuning", {"Get": "Steps.TuneAbaloneModel.TrainingJobSummaries[0].TrainingJobName"},
        "output/model.tar.gz"]}}
    d["Steps"][1] = tuning
    d["Steps"][2]["Arguments"]["ProcessingInputs"][0]["S3Input"]["S3Uri"] = best_model
    register = d["Steps"][3]["Arguments"]["IfSteps"][0]["Arguments"]
    register["InferenceSpecification"]["Containers"][0]["ModelDataUrl"] = best_model
    return d


@require_boto3
class SageMakerAbalonePipelineTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        missing = scientific_python_missing()
        if missing:
            raise unittest.SkipTest(missing + "; run scripts/setup.sh")
        cls.server = GroveServer()
        cls.sm = cls.server.client("sagemaker")
        cls.s3 = cls.server.client("s3")
        cls.s3.create_bucket(Bucket=BUCKET)
        cls.s3.upload_file(os.path.join(SOURCE_DIR, "datasets/abalone/abalone-dataset.csv"), BUCKET,
                           "abalone/abalone-dataset.csv")
        for script in ("preprocess.py", "evaluate.py"):
            cls.s3.upload_file(os.path.join(SCRIPTS, script), BUCKET, "code/" + script)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def start(self, name, **parameters):
        self.sm.create_pipeline(PipelineName=name, PipelineDefinition=json.dumps(abalone_definition()),
                                RoleArn=ROLE)
        arn = self.sm.start_pipeline_execution(
            PipelineName=name, PipelineParameters=[{"Name": k, "Value": v} for k, v in parameters.items()])[
            "PipelineExecutionArn"]
        return arn, wait_for_execution(self.sm, arn, timeout=300)

    def test_registers_approves_and_serves(self):
        arn, described = self.start("abalone-sagemaker")
        self.assertEqual(described["PipelineExecutionStatus"], "Succeeded", described.get("FailureReason"))
        steps = self.sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]
        self.assertEqual([s["StepName"] for s in steps],
                         ["RegisterAbaloneModel-RegisterModel", "CheckMSEAbaloneEvaluation", "EvaluateAbaloneModel",
                          "TrainAbaloneModel", "PreprocessAbaloneData"])
        self.assertEqual(steps[1]["Metadata"]["Condition"]["Outcome"], "True")
        self.assertIn("training-job/pipelines-", steps[3]["Metadata"]["TrainingJob"]["Arn"])
        package_arn = steps[0]["Metadata"]["RegisterModel"]["Arn"]

        # The processing outputs and the model are objects where the definition said.
        listed = self.s3.list_objects_v2(Bucket=BUCKET, Prefix="abalone/")["Contents"]
        keys = {o["Key"] for o in listed}
        for key in ("abalone/train/train.csv", "abalone/validation/validation.csv", "abalone/test/test.csv",
                    "abalone/evaluation/evaluation.json"):
            self.assertIn(key, keys)
        job = "pipelines-" + arn.rsplit("/", 1)[1] + "-trainabalonemodel"
        self.assertIn(f"abalone/AbaloneTrain/{job}/output/model.tar.gz", keys)
        rows = self.s3.get_object(Bucket=BUCKET, Key="abalone/train/train.csv")["Body"].read().decode().splitlines()
        self.assertEqual(len(rows), int(0.7 * 4177))
        self.assertEqual(len(rows[0].split(",")), 11)  # rings, 7 scaled numbers, 3 one-hot sexes

        # The package's evaluation report is the script's evaluation.json, fetched by its URI.
        package = self.sm.describe_model_package(ModelPackageName=package_arn)
        self.assertEqual(package["ModelApprovalStatus"], "PendingManualApproval")
        uri = package["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"]
        bucket, key = uri[len("s3://"):].split("/", 1)
        report = json.loads(self.s3.get_object(Bucket=bucket, Key=key)["Body"].read())
        mse = report["regression_metrics"]["mse"]["value"]
        self.assertLess(mse, 6.0)
        self.assertGreater(mse, 1.0)

        # Approved, it is served; the features are the preprocessed ones, as the XGBoost container takes them.
        self.sm.update_model_package(ModelPackageArn=package_arn, ModelApprovalStatus="Approved")
        self.sm.create_model(ModelName="abalone-sm", ExecutionRoleArn=ROLE,
                             PrimaryContainer={"Image": XGBOOST_IMAGE, "ModelPackageName": package_arn})
        self.sm.create_endpoint_config(EndpointConfigName="abalone-sm", ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": "abalone-sm", "InitialInstanceCount": 1,
             "InstanceType": "ml.m5.large"}])
        self.sm.create_endpoint(EndpointName="abalone-sm", EndpointConfigName="abalone-sm")
        self.sm.get_waiter("endpoint_in_service").wait(EndpointName="abalone-sm", WaiterConfig={"Delay": 1})
        test_rows = self.s3.get_object(Bucket=BUCKET, Key="abalone/test/test.csv")["Body"].read().decode().splitlines()
        features = "\n".join(row.split(",", 1)[1] for row in test_rows[:20])
        rt = self.server.client("sagemaker-runtime")
        answer = json.loads(rt.invoke_endpoint(EndpointName="abalone-sm", ContentType="text/csv",
                                               Body=features)["Body"].read())
        predictions = answer["predictions"]
        self.assertEqual(len(predictions), 20)
        labels = [float(row.split(",", 1)[0]) for row in test_rows[:20]]
        served_mse = sum((p - y) ** 2 for p, y in zip(predictions, labels)) / len(labels)
        self.assertLess(served_mse, 12.0)  # The same model the report scored, on 20 of its rows.

    def test_a_tuning_step_finds_and_registers_the_best_model(self):
        self.sm.create_pipeline(PipelineName="abalone-tuned", PipelineDefinition=json.dumps(tuned_abalone_definition()),
                                RoleArn=ROLE)
        arn = self.sm.start_pipeline_execution(PipelineName="abalone-tuned")["PipelineExecutionArn"]
        described = wait_for_execution(self.sm, arn, timeout=300)
        self.assertEqual(described["PipelineExecutionStatus"], "Succeeded", described.get("FailureReason"))
        steps = {s["StepName"]: s for s in
                 self.sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]}
        self.assertIn("hyper-parameter-tuning-job/pipelines-",
                      steps["TuneAbaloneModel"]["Metadata"]["TuningJob"]["Arn"])
        self.assertIn("RegisterModel", steps["RegisterAbaloneModel-RegisterModel"]["Metadata"])
        listed = self.s3.list_objects_v2(Bucket=BUCKET, Prefix="abalone/tuning/")["Contents"]
        self.assertEqual(len(listed), 1, "only the best job's model is kept")
        job = "pipelines-" + arn.rsplit("/", 1)[1] + "-tuneabalonemodel-"
        self.assertTrue(listed[0]["Key"].startswith("abalone/tuning/" + job), listed[0]["Key"])
        self.assertTrue(listed[0]["Key"].endswith("/output/model.tar.gz"))

    def test_a_threshold_not_met_fails_at_the_fail_step(self):
        arn, described = self.start("abalone-sagemaker-strict", MseThreshold="0.5")
        self.assertEqual(described["PipelineExecutionStatus"], "Failed")
        self.assertIn("Execution failed due to MSE > 0.5", described["FailureReason"])

    def test_a_script_error_fails_its_step_with_the_scripts_output(self):
        self.s3.put_object(Bucket=BUCKET, Key="broken/abalone-dataset.csv", Body=b"not,a,number\n")
        arn, described = self.start("abalone-sagemaker-broken", InputDataUrl=f"s3://{BUCKET}/broken/abalone-dataset.csv")
        self.assertEqual(described["PipelineExecutionStatus"], "Failed")
        steps = self.sm.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]
        self.assertEqual(steps[0]["StepName"], "PreprocessAbaloneData")
        self.assertEqual(steps[0]["StepStatus"], "Failed")
        reason = steps[0]["FailureReason"]
        self.assertIn("command 'python3 /opt/ml/processing/input/code/preprocess.py --input-data", reason)
        self.assertIn("Too many columns specified", reason)  # The script's own traceback.


if __name__ == "__main__":
    unittest.main()
