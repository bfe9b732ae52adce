"""End to end: no request to SageMaker's control plane crashes `grove server` or gets a 5xx.

Every implemented operation, against a data folder with a pipeline, an execution,
a registered version, a model and an endpoint config, is sent a valid-looking
request with one member at a time replaced by a value of the wrong type, out of
range or malformed. Each must be answered with a 4xx in the service's error
form (or a success); a 5xx would be retried by every SDK for a failure that is
deterministic. Raw HTTP, because boto3 validates types before sending.
"""

import json
import unittest
import urllib.error
import urllib.request

from grove_server import GroveServer, grove, require_boto3

OPERATIONS = (
    "AddTags CreateEndpoint CreateEndpointConfig CreateModel CreateModelPackage CreateModelPackageGroup CreatePipeline "
    "DeleteEndpoint DeleteEndpointConfig DeleteModel DeleteModelPackageGroup DeletePipeline DeleteTags DescribeEndpoint "
    "DescribeEndpointConfig DescribeExperiment DescribeModel DescribeModelPackage DescribeModelPackageGroup "
    "DescribePipeline DescribePipelineDefinitionForExecution DescribePipelineExecution DescribeTrial "
    "DescribeTrialComponent ListEndpointConfigs ListEndpoints ListExperiments ListModelPackageGroups ListModelPackages "
    "ListModels ListPipelineExecutionSteps ListPipelineExecutions ListPipelineParametersForExecution ListPipelines "
    "ListTags ListTrialComponents ListTrials Search StopPipelineExecution UpdateEndpoint "
    "UpdateEndpointWeightsAndCapacities UpdateModelPackage UpdatePipeline").split()
OTHER_MEMBERS = (
    "Tags TagKeys MaxResults NextToken SortBy SortOrder PipelineDefinition PipelineDefinitionS3Location "
    "PipelineParameters ModelMetrics CustomerMetadataProperties ModelApprovalStatus CreatedAfter CreatedBefore "
    "CreationTimeAfter CreationTimeBefore NameContains TrialComponentName ClientToken ClientRequestToken "
    "ApprovalDescription ModelPackageDescription StatusEquals ModelPackageType PipelineNamePrefix").split()
BAD_VALUES = [1, [], {}, None, True, "x" * 3000, -5, 1e300, [1, {}], {"a": [1]}, "",
              "arn:aws:sagemaker:us-east-1:123456789012:pipeline/x/execution/y",
              "arn:aws:sagemaker:us-east-1:123456789012:model-package/x/99999999999"]


@require_boto3
class NoRequestCrashesTheServerTest(unittest.TestCase):

    def test_every_operation_answers_bad_members_with_a_4xx(self):
        server = GroveServer("--auth", "off")
        try:
            grove(server.home, "run", "examples/abalone.yaml", "-q")
            sm = server.client("sagemaker")
            execution = sm.list_pipeline_executions(PipelineName="abalone")["PipelineExecutionSummaries"][0][
                "PipelineExecutionArn"]
            sm.create_model(ModelName="m", PrimaryContainer={"Image": "x", "ModelPackageName": "AbalonePackageGroup/1"})
            sm.create_endpoint_config(EndpointConfigName="c", ProductionVariants=[{"VariantName": "v", "ModelName": "m"}])
            base = {
                "PipelineName": "abalone", "ModelPackageGroupName": "AbalonePackageGroup",
                "ModelPackageName": "AbalonePackageGroup/1", "ModelPackageArn": "AbalonePackageGroup/1",
                "PipelineExecutionArn": execution, "ExperimentName": "abalone", "TrialName": execution.rsplit("/", 1)[1],
                "EndpointName": "ep", "EndpointConfigName": "c", "ModelName": "m", "Resource": "ModelPackage",
                "ResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:pipeline/abalone",
                "SearchExpression": {"Filters": [{"Name": "ModelPackageGroupName", "Value": "AbalonePackageGroup"}]},
                "DesiredWeightsAndCapacities": [{"VariantName": "v", "DesiredWeight": 1}],
                "InferenceSpecification": {"Containers": [{"ModelDataUrl": "s3://grove-artifacts/sha256/" + "0" * 64}]},
                "ProductionVariants": [{"VariantName": "v", "ModelName": "m"}], "PrimaryContainer": {"Image": "x"}}
            failures = []
            for operation in OPERATIONS:
                for body in (b"", b"[]", b"not json", b'{"a":'):
                    status, answer = self.post(server, operation, body)
                    if status >= 500:
                        failures.append((operation, body, status, answer))
                for member in list(base) + OTHER_MEMBERS:
                    for value in BAD_VALUES:
                        status, answer = self.post(server, operation, json.dumps(dict(base, **{member: value})).encode())
                        if status >= 500 or "__type" not in answer and status >= 400:
                            failures.append((operation, member, repr(value)[:40], status, answer[:200]))
                self.assertIsNone(server.process.poll(), f"the server died during {operation}")
            self.assertEqual(failures, [])
        finally:
            server.close()

    @staticmethod
    def post(server, operation, body):
        request = urllib.request.Request(server.url + "/", data=body, method="POST",
                                         headers={"X-Amz-Target": "SageMaker." + operation,
                                                  "Content-Type": "application/x-amz-json-1.1"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


if __name__ == "__main__":
    unittest.main()
