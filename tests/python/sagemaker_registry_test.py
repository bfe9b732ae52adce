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
        # The version serves the model inside the archive (in XGBoost's JSON), and names the archive.
        shown = [json.loads(grove(self.server.home, "--json", "registry", "show", f"Uploaded/{n}").stdout)
                 for n in (1, 2)]
        self.assertEqual("s3://grove-artifacts/sha256/" + shown[0]["model"], self.model_url)
        archive = self.s3.head_object(Bucket="models", Key="abalone/model.tar.gz")
        self.assertNotEqual(shown[1]["model"], shown[1]["metadata"]["model_archive"])
        self.assertEqual(shown[1]["metadata"]["family"], "xgboost")
        self.assertGreater(archive["ContentLength"], 0)
        unpacked = self.s3.get_object(Bucket="grove-artifacts", Key="sha256/" + shown[1]["model"])["Body"].read()
        self.assertIn(b'"learner"', unpacked)

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
                          "not a model.tar.gz Grove can serve")
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

    def search(self, expression, resource="ModelPackage", **kwargs):
        results = self.sm.search(Resource=resource, SearchExpression=expression, **kwargs)["Results"]
        if resource == "ModelPackage":
            return [(r["ModelPackage"]["ModelPackageGroupName"], r["ModelPackage"]["ModelPackageVersion"])
                    for r in results]
        return [r["ModelPackageGroup"]["ModelPackageGroupName"] for r in results]

    def test_search_model_packages_and_groups(self):
        self.sm.create_model_package_group(ModelPackageGroupName="SearchA", Tags=[{"Key": "team", "Value": "fleet"}])
        self.sm.create_model_package_group(ModelPackageGroupName="SearchB")
        self.create("SearchA", self.model_url, ModelApprovalStatus="Approved",
                    CustomerMetadataProperties={"stage": "prod"})
        self.create("SearchA", self.model_url)
        other = self.sm.create_model_package(
            ModelPackageGroupName="SearchB", ModelApprovalStatus="Rejected", CustomerMetadataProperties={"stage": "dev"},
            InferenceSpecification={"Containers": [{"Image": "other:2", "ModelDataUrl": self.model_url}]})[
            "ModelPackageArn"]
        both = {"Name": "ModelPackageGroupName", "Operator": "In", "Value": "SearchA,SearchB"}
        by_arn = {"SortBy": "ModelPackageArn", "SortOrder": "Ascending"}

        self.assertEqual(self.search({"Filters": [{"Name": "ModelPackageGroupName", "Value": "SearchA"},
                                                  {"Name": "ModelApprovalStatus", "Value": "Approved"}]}),
                         [("SearchA", 1)])
        self.assertEqual(self.search({"Filters": [both], "SubExpressions": [{"Operator": "Or", "Filters": [
            {"Name": "ModelApprovalStatus", "Value": "Approved"},
            {"Name": "ModelApprovalStatus", "Value": "Rejected"}]}]}, **by_arn), [("SearchA", 1), ("SearchB", 1)])
        self.assertEqual(self.search({"Filters": [both, {"Name": "CustomerMetadataProperties.stage", "Value": "prod"}]}),
                         [("SearchA", 1)])
        self.assertEqual(self.search({"Filters": [both, {"Name": "CustomerMetadataProperties.stage",
                                                         "Operator": "NotExists"}]}), [("SearchA", 2)])
        self.assertEqual(self.search({"Filters": [both], "NestedFilters": [{
            "NestedPropertyName": "InferenceSpecification.Containers",
            "Filters": [{"Name": "InferenceSpecification.Containers.Image", "Value": "other:2"}]}]}), [("SearchB", 1)])
        self.assertEqual(self.search({"Filters": [both, {"Name": "ModelPackageVersion", "Operator": "GreaterThan",
                                                         "Value": "1"}]}), [("SearchA", 2)])
        self.assertEqual(self.search({"Filters": [both, {"Name": "ModelPackageArn", "Operator": "Contains",
                                                         "Value": "searchb"}]}), [("SearchB", 1)])
        created = self.sm.describe_model_package(ModelPackageName=other)["CreationTime"]
        for value in (created.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "%.3f" % created.timestamp()):
            self.assertEqual(self.search({"Filters": [both, {"Name": "CreationTime", "Operator": "GreaterThanOrEqualTo",
                                                             "Value": value}]}), [("SearchB", 1)], value)

        # Results have Describe's shape, with Tags; newest change first by default.
        results = self.sm.search(Resource="ModelPackage", SearchExpression={"Filters": [both]})["Results"]
        self.assertEqual([r["ModelPackage"]["ModelPackageArn"] for r in results][0], other)
        described = self.sm.describe_model_package(ModelPackageName=other)
        del described["ResponseMetadata"]
        self.assertEqual(results[0]["ModelPackage"], dict(described, Tags=[]))
        groups = self.sm.search(Resource="ModelPackageGroup", SearchExpression={"Filters": [
            {"Name": "Tags.team", "Value": "fleet"}]})["Results"]
        self.assertEqual([g["ModelPackageGroup"]["ModelPackageGroupName"] for g in groups], ["SearchA"])
        self.assertEqual(groups[0]["ModelPackageGroup"]["Tags"], [{"Key": "team", "Value": "fleet"}])
        self.assertEqual(self.search({"Filters": [{"Name": "ModelPackageGroupName", "Operator": "Contains",
                                                   "Value": "Search"}]}, resource="ModelPackageGroup",
                                     SortBy="ModelPackageGroupName", SortOrder="Ascending"), ["SearchA", "SearchB"])

        pages = list(self.sm.get_paginator("search").paginate(
            Resource="ModelPackage", SearchExpression={"Filters": [both]}, SortBy="ModelPackageArn",
            SortOrder="Ascending", PaginationConfig={"PageSize": 1}))
        self.assertEqual(len(pages), 3)
        self.assertEqual([r["ModelPackage"]["ModelPackageVersion"] for p in pages for r in p["Results"]], [1, 2, 1])
        self.assertEqual(pages[0]["TotalHits"], {"Value": 3, "Relation": "EqualTo"})

        refusals = [
            (lambda: self.sm.search(Resource="Pipeline"), "ModelPackage and ModelPackageGroup only"),
            (lambda: self.search({"Filters": [{"Name": "ModelApprovalStatus", "Operator": "GreaterThan",
                                               "Value": "A"}]}), "not supported for text properties"),
            (lambda: self.search({"Filters": [{"Name": "ModelPackageVersion", "Value": "one"}]}),
             "Member must be a number for ModelPackageVersion"),
            (lambda: self.search({"Filters": [{"Name": "CreationTime", "Operator": "LessThan", "Value": "yesterday"}]}),
             "SearchExpression.Filters[0].Value"),
            (lambda: self.search({"Filters": [{"Name": "ModelPackageArn", "Operator": "Contains", "Value": "a"},
                                              {"Name": "ModelPackageArn", "Operator": "Contains", "Value": "b"}]}),
             "'CONTAINS' operator usage limit of 1 exceeded."),
            (lambda: self.search({"Operator": "And"}), "at least one subexpression, filter, or nested filter"),
            (lambda: self.search({"Filters": [{"Name": "ModelApprovalStatus", "Operator": "Like", "Value": "x"}]}),
             "Member must satisfy enum value set"),
            (lambda: self.search({"Filters": [{"Name": "ModelApprovalStatus"}]}), "SearchExpression.Filters[0].Value"),
            (lambda: self.search({"NestedFilters": [{"NestedPropertyName": "InferenceSpecification.Containers",
                                                     "Filters": [{"Name": "Image", "Value": "x"}]}]}),
             "must start with the NestedPropertyName"),
        ]
        for call, message in refusals:
            self.assert_error("ValidationException", call, message)

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
