// The REST routes over HTTP, behind real access control, on a real data folder.
#include "api/rest/rest_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/rest/rest_test_fixture.h"

namespace grove::api::rest {
namespace {

using app::testing::kScriptPipeline;
using ::testing::HasSubstr;

constexpr const char* kRawRow = "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15";

// The body of a chunked response, its framing removed.
std::string Dechunk(std::string_view framed) {
  std::string body;
  while (!framed.empty()) {
    size_t line = framed.find("\r\n");
    size_t size = std::stoul(std::string(framed.substr(0, line)), nullptr, 16);
    if (size == 0) break;
    body += framed.substr(line + 2, size);
    framed.remove_prefix(line + 2 + size + 2);
  }
  return body;
}

class RestRoutesTest : public RestTest {
 protected:
  // Stores the script pipeline, starts it with `word` and waits for its end; its id.
  std::string RunScript(const std::string& word = "rest") {
    Call("POST", "/api/v1/pipelines", kScriptPipeline, "operator");
    Json started = Expect(201, "POST", "/api/v1/executions",
                          Json{{"pipeline", "hello"}, {"parameters", {{"Word", word}}}}.dump(), "operator");
    std::string id = started.value("id", "");
    EXPECT_TRUE(executor_->Wait(id).ok());
    return id;
  }
};

TEST_F(RestRoutesTest, PipelinesAreCreatedFromAPostedDefinition) {
  Json created = Expect(201, "POST", "/api/v1/pipelines", kScriptPipeline, "operator");
  EXPECT_EQ(created, Json({{"pipeline", "hello"}, {"version", 1}, {"new_version", true}}));
  EXPECT_EQ(Expect(200, "POST", "/api/v1/pipelines", kScriptPipeline)["new_version"], false);
  EXPECT_EQ(Expect(201, "POST", "/api/v1/pipelines", std::string(kScriptPipeline) + "# v2\n")["version"], 2);

  Json list = Expect(200, "GET", "/api/v1/pipelines", "", "viewer");
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["latest_version"], 2);
  EXPECT_FALSE(list.contains("next_page_token"));
  Json v1 = Expect(200, "GET", "/api/v1/pipelines/hello?version=1", "", "viewer");
  EXPECT_EQ(v1["definition"]["version"], 1);
  EXPECT_EQ(v1["definition"]["body"], kScriptPipeline);
  EXPECT_EQ(Expect(200, "GET", "/api/v1/pipelines/hello")["definition"]["version"], 2);
  Json versions = Expect(200, "GET", "/api/v1/pipelines/hello/versions");
  ASSERT_EQ(versions["items"].size(), 2u);
  EXPECT_EQ(versions["items"][0]["version"], 2);

  EXPECT_THAT(Expect(400, "GET", "/api/v1/pipelines/hello?version=x")["error"]["message"].dump(),
              HasSubstr("version 'x'"));
  EXPECT_EQ(Expect(404, "GET", "/api/v1/pipelines/nope")["error"]["code"], "NotFound");
  EXPECT_THAT(Expect(400, "POST", "/api/v1/pipelines", "")["error"]["message"].dump(), HasSubstr("request body"));
  EXPECT_THAT(Expect(400, "POST", "/api/v1/pipelines", "pipeline: x\nsteps: [{name: A, type: Nope}]\n")["error"].dump(),
              HasSubstr("Nope"));
  EXPECT_EQ(Call("POST", "/api/v1/pipelines", kScriptPipeline, "viewer").status, 403);
}

TEST_F(RestRoutesTest, APipelineGraphHasItsParametersAndSteps) {
  Call("POST", "/api/v1/pipelines", kScriptPipeline, "operator");
  Call("POST", "/api/v1/pipelines",
       "pipeline: hello\nsteps:\n  - {name: A, type: Fail, arguments: {message: a}}\n"
       "  - {name: B, type: Fail, arguments: {message: b}, depends_on: [A]}\n",
       "operator");
  Json v1 = Expect(200, "GET", "/api/v1/pipelines/hello/graph?version=1", "", "viewer");
  EXPECT_EQ(v1, Json::parse(R"({"pipeline": "hello", "version": 1,
      "parameters": [{"name": "Word", "type": "String", "default": "world"}],
      "steps": [{"name": "Write", "type": "Processing", "depends_on": []}]})"));
  Json latest = Expect(200, "GET", "/api/v1/pipelines/hello/graph", "", "viewer");
  EXPECT_EQ(latest["version"], 2);
  EXPECT_EQ(latest["parameters"], Json::array());
  EXPECT_EQ(latest["steps"][1], Json::parse(R"({"name": "B", "type": "Fail", "depends_on": ["A"]})"));

  Json no_pipeline = Expect(404, "GET", "/api/v1/pipelines/nope/graph");
  EXPECT_EQ(no_pipeline["error"]["code"], "NotFound");
  EXPECT_THAT(no_pipeline["error"]["message"].get<std::string>(), HasSubstr("pipelines: hello"));
  EXPECT_THAT(Expect(404, "GET", "/api/v1/pipelines/hello/graph?version=3")["error"]["message"].get<std::string>(),
              HasSubstr("no version 3 of pipeline 'hello'"));
  EXPECT_THAT(Expect(400, "GET", "/api/v1/pipelines/hello/graph?version=0")["error"]["message"].get<std::string>(),
              HasSubstr("version '0'"));
}

TEST_F(RestRoutesTest, ExecutionsStartWithTypedParametersAndShowWhatTheyDid) {
  std::string id = RunScript("typed");
  Json execution = Expect(200, "GET", "/api/v1/executions/" + id, "", "viewer");
  EXPECT_EQ(execution["status"], "Succeeded");
  EXPECT_EQ(execution["parameters"]["Word"], "typed");
  Json steps = Expect(200, "GET", "/api/v1/executions/" + id + "/steps");
  ASSERT_EQ(steps["items"].size(), 1u);
  EXPECT_EQ(steps["items"][0]["step"], "Write");
  Json logs = Expect(200, "GET", "/api/v1/executions/" + id + "/logs?step=Write");
  EXPECT_THAT(logs["items"][0]["log"].get<std::string>(), HasSubstr("logged"));
  Json outputs = Expect(200, "GET", "/api/v1/executions/" + id + "/outputs");
  ASSERT_EQ(outputs["items"].size(), 1u);
  EXPECT_EQ(outputs["items"][0]["name"], "out");
  EXPECT_EQ(Expect(200, "GET", "/api/v1/executions/" + id + "/trials")["items"], Json::array());
  EXPECT_EQ(Expect(404, "GET", "/api/v1/executions/" + id + "/logs?step=Nope")["error"]["code"], "NotFound");

  // What cannot be done now is a conflict, not a failure.
  EXPECT_EQ(Expect(409, "POST", "/api/v1/executions/" + id + "/stop")["error"]["code"], "FailedPrecondition");
  EXPECT_EQ(Expect(409, "POST", "/api/v1/executions/" + id + "/retry")["error"]["code"], "FailedPrecondition");
  EXPECT_EQ(Expect(404, "GET", "/api/v1/executions/nope")["error"]["code"], "NotFound");
}

TEST_F(RestRoutesTest, BadStartRequestsNameTheField) {
  Call("POST", "/api/v1/pipelines", kScriptPipeline);
  auto message = [this](const std::string& body) {
    return Expect(400, "POST", "/api/v1/executions", body, "operator")["error"]["message"].get<std::string>();
  };
  EXPECT_THAT(message("{}"), HasSubstr("field 'pipeline' is required"));
  EXPECT_THAT(message(R"({"pipeline": 3})"), HasSubstr("field 'pipeline': expected a string"));
  EXPECT_THAT(message(R"({"pipeline": "hello", "parameters": [1]})"), HasSubstr("field 'parameters'"));
  EXPECT_THAT(message(R"({"pipeline": "hello", "parameters": {"Nope": 1}})"), HasSubstr("Nope"));
  EXPECT_THAT(message("{\"pipeline\": "), HasSubstr("not valid JSON"));
  EXPECT_THAT(message("[1, 2]"), HasSubstr("expected a JSON object"));
  EXPECT_EQ(Expect(404, "POST", "/api/v1/executions", R"({"pipeline": "nope"})")["error"]["code"], "NotFound");
  // Deeply nested input neither crashes the server nor passes.
  EXPECT_EQ(Call("POST", "/api/v1/executions", std::string(100000, '[') + std::string(100000, ']')).status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/executions", Json{{"pipeline", "hello"}}.dump(), "viewer").status, 403);
}

TEST_F(RestRoutesTest, ListsComeAPageAtATime) {
  for (int i = 0; i < 3; ++i) RunScript("w" + std::to_string(i));
  Json first = Expect(200, "GET", "/api/v1/executions?limit=2");
  ASSERT_EQ(first["items"].size(), 2u);
  ASSERT_TRUE(first.contains("next_page_token"));
  Json second =
      Expect(200, "GET", "/api/v1/executions?limit=2&page_token=" + first["next_page_token"].get<std::string>());
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_FALSE(second.contains("next_page_token"));
  std::set<std::string> ids;
  for (const Json& page : {first, second}) {
    for (const Json& e : page["items"]) ids.insert(e["id"].get<std::string>());
  }
  EXPECT_EQ(ids.size(), 3u);  // No execution twice, none left out.
  EXPECT_EQ(Expect(200, "GET", "/api/v1/executions?pipeline=hello")["items"].size(), 3u);
  EXPECT_EQ(Expect(404, "GET", "/api/v1/executions?pipeline=nope")["error"]["code"], "NotFound");
  EXPECT_THAT(Expect(400, "GET", "/api/v1/executions?limit=1001")["error"]["message"].dump(), HasSubstr("limit"));
  EXPECT_THAT(Expect(400, "GET", "/api/v1/executions?page_token=abc")["error"]["message"].dump(),
              HasSubstr("page_token"));
}

TEST_F(RestRoutesTest, ApprovalsNeedTheApproverRoleAndRecordTheCaller) {
  Json report = {{"regression_metrics", {{"mse", {{"value", 4.5}}}}}};
  RegisterAbalone("Abalone", /*approve=*/false, report);
  EXPECT_EQ(Expect(200, "GET", "/api/v1/registry/groups", "", "viewer")["items"][0]["name"], "Abalone");
  Json versions = Expect(200, "GET", "/api/v1/registry/groups/Abalone/versions", "", "viewer");
  EXPECT_EQ(versions["items"][0]["approval_status"], "PendingManualApproval");
  const std::string version = "/api/v1/registry/groups/Abalone/versions/1";
  EXPECT_EQ(Expect(200, "GET", version + "/report", "", "viewer")["report"], report);

  EXPECT_EQ(Call("POST", version + "/approve", "", "operator").status, 403);
  EXPECT_EQ(Call("POST", version + "/approve/", "", "operator").status, 403);  // The trailing '/' changes nothing.
  Json approved = Expect(200, "POST", version + "/approve", R"({"comment": "looks good"})", "approver");
  EXPECT_EQ(approved["approval_status"], "Approved");
  EXPECT_EQ(approved["approval_changed_by"], "approver-key");
  EXPECT_EQ(approved["approval_comment"], "looks good");
  EXPECT_EQ(Expect(409, "POST", version + "/approve", "", "approver")["error"]["code"], "FailedPrecondition");
  EXPECT_EQ(Expect(200, "POST", version + "/reject", "", "approver")["approval_status"], "Rejected");
  EXPECT_EQ(Expect(200, "GET", version)["approval_status"], "Rejected");

  EXPECT_THAT(Expect(400, "GET", "/api/v1/registry/groups/Abalone/versions/0")["error"]["message"].dump(),
              HasSubstr("version '0'"));
  EXPECT_THAT(Expect(400, "POST", version + "/approve", R"({"comment": 5})", "approver")["error"]["message"].dump(),
              HasSubstr("field 'comment'"));
  EXPECT_EQ(Expect(404, "GET", "/api/v1/registry/groups/Nope/versions")["error"]["code"], "NotFound");
}

TEST_F(RestRoutesTest, EndpointsAreCreatedDeployedPromotedAndDeleted) {
  RegisterAbalone("Abalone", /*approve=*/true);
  Json created =
      Expect(201, "POST", "/api/v1/endpoints", R"({"name": "staging", "deploy": ["Abalone/1"]})", "operator");
  EXPECT_EQ(created["models"][0]["name"], "Abalone");
  EXPECT_EQ(created["models"][0]["pinned"], true);
  EXPECT_EQ(Expect(200, "GET", "/api/v1/endpoints", "", "viewer")["items"][0]["name"], "staging");
  EXPECT_EQ(Expect(200, "POST", "/api/v1/endpoints/staging/undeploy", R"({"group": "Abalone"})", "operator")["models"],
            Json::array());
  EXPECT_EQ(Expect(200, "POST", "/api/v1/endpoints/staging/deploy", R"({"version": "Abalone/1"})",
                   "operator")["models"][0]["version"],
            1);
  EXPECT_THAT(Expect(400, "POST", "/api/v1/endpoints", R"({"name": "e", "capture_percent": 200})")["error"].dump(),
              HasSubstr("capture_percent"));
  EXPECT_THAT(Expect(400, "POST", "/api/v1/endpoints", R"({"name": "e", "follow": "Abalone"})")["error"].dump(),
              HasSubstr("follow"));

  Json promote = {{"target", "prod"}, {"sample", {{"data", kRawRow}, {"input", "raw"}}}, {"comment", "ship"}};
  EXPECT_EQ(Call("POST", "/api/v1/endpoints/staging/promote", promote.dump(), "operator").status, 403);
  Json promoted = Expect(200, "POST", "/api/v1/endpoints/staging/promote", promote.dump(), "approver");
  EXPECT_EQ(promoted["target"], "prod");
  EXPECT_EQ(promoted["by"], "approver-key");
  EXPECT_EQ(promoted["models"], Json::array({"Abalone/1"}));
  Json prod = Expect(200, "GET", "/api/v1/endpoints/prod");
  EXPECT_EQ(prod["promotions"].size(), 1u);
  promote["sample"] = {{"instances", "x"}};
  EXPECT_THAT(Expect(400, "POST", "/api/v1/endpoints/staging/promote", promote.dump(), "approver")["error"].dump(),
              HasSubstr("sample"));

  EXPECT_EQ(Expect(200, "DELETE", "/api/v1/endpoints/staging", "", "operator")["deleted"], true);
  EXPECT_EQ(Expect(404, "GET", "/api/v1/endpoints/staging")["error"]["code"], "NotFound");
}

TEST_F(RestRoutesTest, EndpointsShowEachModelsRequestsAndMeanLatency) {
  RegisterAbalone("Abalone", /*approve=*/true);
  Json created = Expect(201, "POST", "/api/v1/endpoints", R"({"name": "live", "deploy": ["Abalone/1"]})", "operator");
  EXPECT_EQ(created["models"][0]["requests"], 0);
  EXPECT_EQ(created["models"][0]["mean_latency_ms"], 0.0);
  const std::string invocation = Json{{"data", kRawRow}, {"input", "raw"}}.dump();
  for (int i = 0; i < 2; ++i) Expect(200, "POST", "/api/v1/endpoints/live/invocations", invocation, "operator");

  Json model = Expect(200, "GET", "/api/v1/endpoints/live", "", "viewer")["models"][0];
  EXPECT_EQ(model["version"], 1);
  EXPECT_EQ(model["requests"], 2);
  EXPECT_GT(model["mean_latency_ms"].get<double>(), 0.0);
  Json listed = Expect(200, "GET", "/api/v1/endpoints", "", "viewer")["items"][0]["models"][0];
  EXPECT_EQ(listed["requests"], 2);
  EXPECT_EQ(listed["mean_latency_ms"], model["mean_latency_ms"]);
}

TEST_F(RestRoutesTest, ArtifactsAreDescribedAndDownloaded) {
  std::string id = RunScript();
  Json outputs = Expect(200, "GET", "/api/v1/executions/" + id + "/outputs");
  std::string digest = outputs["items"][0]["digest"];
  Json info = Expect(200, "GET", "/api/v1/artifacts/" + digest, "", "viewer");
  EXPECT_EQ(info["is_directory"], true);
  EXPECT_EQ(info["lineage"][0]["execution_id"], id);
  EXPECT_EQ(info["files"][0]["path"], "hello.txt");

  auto client = http_test::TestClient::Connect(server_->port());
  ASSERT_TRUE(client->Send(
      http_test::BuildRequest("GET", "/api/v1/artifacts/" + digest + "/content?path=hello.txt", "", Auth("viewer"))));
  auto head = client->ReadResponse(/*head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Type"), "application/octet-stream");
  EXPECT_EQ(Dechunk(client->ReadUntilClosed()), "hello\n");

  EXPECT_EQ(Expect(400, "GET", "/api/v1/artifacts/" + digest + "/content")["error"]["code"], "InvalidArgument");
  EXPECT_EQ(Expect(404, "GET", "/api/v1/artifacts/" + std::string(64, 'a'))["error"]["code"], "NotFound");
  EXPECT_EQ(Expect(400, "GET", "/api/v1/artifacts/xyz")["error"]["code"], "InvalidArgument");
}

TEST_F(RestRoutesTest, KeysAreForAdminsOnly) {
  EXPECT_EQ(Call("GET", "/api/v1/keys", "", "approver").status, 403);
  Json keys = Expect(200, "GET", "/api/v1/keys");
  ASSERT_EQ(keys["items"].size(), 4u);
  for (const Json& key : keys["items"]) EXPECT_FALSE(key.contains("secret_access_key"));
  Json created = Expect(201, "POST", "/api/v1/keys", R"({"role": "viewer", "name": "dashboard"})");
  EXPECT_EQ(created["name"], "dashboard");
  std::string secret = created["secret_access_key"];
  auto as_new =
      http_test::Fetch(server_->port(), "GET", "/api/v1/pipelines", "", "Authorization: Bearer " + secret + "\r\n");
  EXPECT_EQ(as_new->status, 200);
  EXPECT_THAT(Expect(400, "POST", "/api/v1/keys", R"({"role": "king"})")["error"]["message"].dump(),
              HasSubstr("field 'role'"));
  EXPECT_EQ(Expect(200, "DELETE", "/api/v1/keys/" + created["access_key_id"].get<std::string>())["status"], "Revoked");
  auto revoked =
      http_test::Fetch(server_->port(), "GET", "/api/v1/pipelines", "", "Authorization: Bearer " + secret + "\r\n");
  EXPECT_EQ(revoked->status, 401);
  EXPECT_EQ(Expect(404, "DELETE", "/api/v1/keys/GRVKNOPE")["error"]["code"], "NotFound");
}

}  // namespace
}  // namespace grove::api::rest
