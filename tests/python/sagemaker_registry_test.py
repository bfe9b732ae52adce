"""End to end: the model registry through SageMaker's control plane with real boto3.

CreateModelPackage from a model in Grove's S3 (a Grove artifact, an uploaded
XGBoost model, a SageMaker-style model.tar.gz), its errors, and paginators over
more than a hundred versions.
"""

import io
import json
import tarfile
import unittest

from grove_server import GroveServer, grove, require_boto3


def tar_gz(members):
    """A gzip'd tar holding `members` ({name: bytes}), as SageMaker's training containers write model.tar.gz."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@require_boto3
class CreateModelPackageTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = GroveServer()
        grove(cls.server.home, "run", "examples/abalone.yaml", "-q")
        cls.sm = cls.server.client("sagemaker")
        cls.s3 = cls.server.client("s3")
        trained = cls.sm.describe_model_package(ModelPackageName="AbalonePackageGroup/1")
        cls.model_url = trained["InferenceSpecification"]["Containers"][0]["ModelDataUrl"]
        cls.report_url = trained["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"]
        bucket, key = cls.model_url[len("s3://"):].split("/", 1)
        cls.model_bytes = cls.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        cls.s3.create_bucket(Bucket="models")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def create(self, group, url, **kwargs):
        return self.sm.create_model_package(
            ModelPackageGroupName=group,
            InferenceSpecification={"Containers": [{"Image": "sagemaker-xgboost:1.7-1", "ModelDataUrl": url}],
                                    "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
            **kwargs)["ModelPackageArn"]

    def assert_error(self, code, call, message):
        import botocore.exceptions
        with self.assertRaises(botocore.exceptions.ClientError) as raised:
            call()
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], code, error)
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertIn(message, error["Message"])

    def test_a_version_is_registered_from_a_grove_artifact_with_its_metrics_and_properties(self):
        self.sm.create_model_package_group(ModelPackageGroupName="Imported")
        metrics = {"ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": self.report_url}}}
        arn = self.create("Imported", self.model_url, ModelApprovalStatus="Approved", ModelMetrics=metrics,
                          ModelPackageDescription="trained elsewhere", CustomerMetadataProperties={"team": "fleet"},
                          Tags=[{"Key": "stage", "Value": "dev"}])
        self.assertEqual(arn, "arn:aws:sagemaker:us-east-1:123456789012:model-package/imported/1")
        described = self.sm.describe_model_package(ModelPackageName=arn)
        self.assertEqual(described["ModelPackageVersion"], 1)
        self.assertEqual(described["ModelPackageGroupName"], "Imported")
        self.assertEqual(described["ModelApprovalStatus"], "Approved")
        self.assertEqual(described["ModelPackageDescription"], "trained elsewhere")
        self.assertEqual(described["CustomerMetadataProperties"], {"team": "fleet"})
        self.assertEqual(described["ModelMetrics"], metrics)
        self.assertEqual(described["InferenceSpecification"]["Containers"][0],
                         {"Image": "sagemaker-xgboost:1.7-1", "ModelDataUrl": self.model_url})
        self.assertEqual(self.sm.list_tags(ResourceArn=arn)["Tags"], [{"Key": "stage", "Value": "dev"}])
        # Grove's own registry sees the same version, with the evaluation report attached.
        shown = json.loads(grove(self.server.home, "--json", "registry", "show", "Imported/1").stdout)
        self.assertEqual(shown["approval_status"], "Approved")
        self.assertEqual("s3://grove-artifacts/sha256/" + shown["model"], self.model_url)
        second = self.create("Imported", self.model_url)
        self.assertTrue(second.endswith("/imported/2"))
        self.assertEqual(self.sm.describe_model_package(ModelPackageName=second)["ModelApprovalStatus"],
                         "PendingManualApproval")

    def test_uploaded_models_a_file_or_a_model_tar_gz(self):
        self.sm.create_model_package_group(ModelPackageGroupName="Uploaded")
        self.s3.put_object(Bucket="models", Key="abalone/xgboost.json", Body=self.model_bytes)
        self.s3.put_object(Bucket="models", Key="abalone/model.tar.gz",
                           Body=tar_gz({"xgboost-model": self.model_bytes}))
        self.create("Uploaded", "s3://models/abalone/xgboost.json")
        packed = self.create("Uploaded", "s3://models/abalone/model.tar.gz")
        self.assertEqual(self.sm.describe_model_package(ModelPackageName=packed)["InferenceSpecification"][
            "Containers"][0]["ModelDataUrl"], "s3://models/abalone/model.tar.gz")
        # The version serves the model inside the archive: the same artifact as the plain file.
        shown = [json.loads(grove(self.server.home, "--json", "registry", "show", f"Uploaded/{n}").stdout)
                 for n in (1, 2)]
        self.assertEqual(shown[0]["model"], shown[1]["model"])
        self.assertEqual("s3://grove-artifacts/sha256/" + shown[1]["model"], self.model_url)

    def test_what_cannot_be_registered_is_refused_naming_the_member(self):
        self.sm.create_model_package_group(ModelPackageGroupName="Refusals")
        self.s3.put_object(Bucket="models", Key="data.csv", Body=b"1,2,3\n4,5,6\n")
        self.s3.put_object(Bucket="models", Key="other.tar.gz", Body=tar_gz({"model.pth": b"weights"}))
        member = "InferenceSpecification.Containers[0].ModelDataUrl"
        self.assert_error("ValidationException", lambda: self.sm.create_model_package(
            ModelPackageName="unversioned", InferenceSpecification={"Containers": [{"ModelDataUrl": self.model_url}]}),
            "versioned model packages only")
        self.assert_error("ValidationException", lambda: self.create("NoSuchGroup", self.model_url),
                          "ModelPackageGroup NoSuchGroup does not exist.")
        self.assert_error("ValidationException", lambda: self.sm.create_model_package(
            ModelPackageGroupName="Refusals"), "InferenceSpecification is required")
        self.assert_error("ValidationException", lambda: self.create("Refusals", "s3://models/nope.json"),
                          member + " s3://models/nope.json")
        self.assert_error("ValidationException", lambda: self.create("Refusals", "s3://nobucket/x"), "nobucket")
        self.assert_error("ValidationException", lambda: self.create("Refusals", "https://example.com/m"), member)
        self.assert_error("ValidationException", lambda: self.create("Refusals", "s3://models/data.csv"),
                          "Grove cannot serve this model")
        self.assert_error("ValidationException", lambda: self.create("Refusals", "s3://models/other.tar.gz"),
                          "holds no file 'xgboost-model' (files: model.pth)")
        self.assert_error("ValidationException", lambda: self.create(
            "Refusals", self.model_url, ModelApprovalStatus="Maybe"), "Member must satisfy enum value set")
        self.assert_error("ValidationException", lambda: self.create(
            "Refusals", self.model_url, CustomerMetadataProperties={"k": "v" * 257}), "customerMetadataProperties.k")
        self.assert_error("ValidationException", lambda: self.create(
            "Refusals", self.model_url, ModelMetrics={"ModelQuality": {"Statistics": {
                "ContentType": "application/json", "S3Uri": "s3://models/missing.json"}}}),
            "ModelMetrics.ModelQuality.Statistics.S3Uri")
        self.assertEqual(self.sm.list_model_packages(ModelPackageGroupName="Refusals")["ModelPackageSummaryList"], [])

    def test_a_retried_create_with_the_same_client_token_registers_once(self):
        self.sm.create_model_package_group(ModelPackageGroupName="Tokens")
        first = self.create("Tokens", self.model_url, ClientToken="token-1")
        again = self.create("Tokens", self.model_url, ClientToken="token-1")
        self.assertEqual(first, again)
        self.assertEqual(len(self.sm.list_model_packages(ModelPackageGroupName="Tokens")["ModelPackageSummaryList"]), 1)

    def test_only_an_empty_group_is_deleted(self):
        self.sm.create_model_package_group(ModelPackageGroupName="Short-lived", Tags=[{"Key": "k", "Value": "v"}])
        self.sm.create_model_package_group(ModelPackageGroupName="Kept")
        self.create("Kept", self.model_url)
        self.assertEqual(self.sm.delete_model_package_group(ModelPackageGroupName="Short-lived")["ResponseMetadata"][
            "HTTPStatusCode"], 200)
        self.assert_error("ValidationException", lambda: self.sm.describe_model_package_group(
            ModelPackageGroupName="Short-lived"), "ModelPackageGroup Short-lived does not exist.")
        self.assert_error("ValidationException", lambda: self.sm.delete_model_package_group(
            ModelPackageGroupName="Short-lived"), "ModelPackageGroup Short-lived does not exist.")
        import botocore.exceptions
        with self.assertRaises(self.sm.exceptions.ConflictException) as refused:
            self.sm.delete_model_package_group(ModelPackageGroupName="Kept")
        self.assertIn("model-package-group/Kept cannot be deleted: it contains 1 model packages",
                      refused.exception.response["Error"]["Message"])
        self.assertIsInstance(refused.exception, botocore.exceptions.ClientError)
        self.assertEqual(len(self.sm.list_model_packages(ModelPackageGroupName="Kept")["ModelPackageSummaryList"]), 1)
        # The name is free again, without the old group's tags.
        arn = self.sm.create_model_package_group(ModelPackageGroupName="Short-lived")["ModelPackageGroupArn"]
        self.assertEqual(self.sm.list_tags(ResourceArn=arn)["Tags"], [])

    def test_paginators_walk_more_than_a_hundred_versions(self):
        self.sm.create_model_package_group(ModelPackageGroupName="Many")
        for _ in range(150):
            self.create("Many", self.model_url)
        paginator = self.sm.get_paginator("list_model_packages")
        pages = list(paginator.paginate(ModelPackageGroupName="Many"))
        self.assertEqual([len(p["ModelPackageSummaryList"]) for p in pages], [100, 50])
        versions = [s["ModelPackageVersion"] for p in pages for s in p["ModelPackageSummaryList"]]
        self.assertEqual(versions, list(range(1, 151)))
        backwards = paginator.paginate(ModelPackageGroupName="Many", SortOrder="Descending",
                                       PaginationConfig={"PageSize": 40})
        self.assertEqual([s["ModelPackageVersion"] for p in backwards for s in p["ModelPackageSummaryList"]],
                         list(range(150, 0, -1)))


if __name__ == "__main__":
    unittest.main()
