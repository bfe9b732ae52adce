// End-to-end: `grove server` serving endpoints while other grove processes
// approve, reject and promote on the same data folder; real HTTP, boto3 and
// the aws CLI.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <array>
#include <atomic>
#include <chrono>
#include <thread>

#include "api/http_test_client.h"
#include "common/file_util.h"
#include "common/test_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

constexpr const char* kAbaloneRow = "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15";
// The churn file's second row without its label.
constexpr const char* kChurnRow =
    "SC,15,836,158-8416,yes,no,0,10.01899266,4,4.226288822,2.325004553,0,9.972592415,7.141039872,200,6.436187619,"
    "3.221747623,6,2.559749162,8";

std::string Text(const fs::path& file) {
  Result<std::string> text = ReadFile(file);
  return text.ok() ? *text : "";
}

class ServingE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    Expect({"run", "examples/abalone.yaml", "-q"});
    Expect({"run", "examples/churn.yaml", "-q"});
  }
  void TearDown() override { StopServer(); }

  CommandResult Grove(const std::vector<std::string>& args) { return RunGrove(home_.path(), args); }
  CommandResult Expect(const std::vector<std::string>& args, int exit_code = 0) {
    CommandResult r = Grove(args);
    EXPECT_EQ(r.exit_code, exit_code) << args[0] << " " << (args.size() > 1 ? args[1] : "") << ": " << r.out << r.err;
    return r;
  }

  // Starts `grove server` on a free port and waits until it listens.
  void StartServer() {
    fs::path log = home_.path() / "server.log";
    pid_ = StartGrove(home_.path(), {"server", "--listen", "127.0.0.1:0", "--poll-ms", "100", "--auth", "off"}, log);
    bool listening = WaitUntil([&] {
      std::string text = Text(log);
      size_t at = text.find("http://127.0.0.1:");
      if (at == std::string::npos || text.find(' ', at) == std::string::npos) return false;
      port_ = static_cast<uint16_t>(std::stoi(text.substr(at + 17)));
      return true;
    });
    ASSERT_TRUE(listening) << "server did not start: " << Text(log);
  }
  void StopServer() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    EXPECT_EQ(WaitGrove(pid_), 0);
    pid_ = 0;
  }

  api::http_test::ClientResponse Invoke(const std::string& endpoint, const std::string& model, const std::string& row) {
    Json body = {{"model", model}, {"data", row}, {"input", "raw"}};
    auto r = api::http_test::Fetch(port_, "POST", "/api/v1/endpoints/" + endpoint + "/invocations", body.dump());
    EXPECT_TRUE(r.has_value());
    return r.value_or(api::http_test::ClientResponse{});
  }
  // Waits until the endpoint answers for `model` with `expected` ("group/N",
  // or "404"); fails the test, naming the last answer, after a deadline
  // that only a broken server reaches.
  void WaitFor(const std::string& endpoint, const std::string& model, const std::string& expected,
               const std::string& row = kAbaloneRow) {
    std::string got;
    bool answered = WaitUntil([&] {
      auto r = Invoke(endpoint, model, row);
      got = r.status == 200 ? r.Header("X-Grove-Model") : std::to_string(r.status);
      return got == expected;
    });
    if (!answered) ADD_FAILURE() << "endpoint " << endpoint << " still answers " << got << ", not " << expected;
  }
  // Registers a new Approved Abalone version (a changed approval parameter re-runs registration only).
  void NewApprovedAbalone() { Expect({"run", "examples/abalone.yaml", "-q", "-p", "ModelApprovalStatus=Approved"}); }

  TempDir home_;
  int pid_ = 0;
  uint16_t port_ = 0;
};

TEST_F(ServingE2ETest, ApprovalsFromOtherProcessesReachTheRunningServer) {
  Expect({"endpoint", "create", "models", "--multi-model", "--follow", "*PackageGroup"});
  StartServer();
  EXPECT_EQ(Invoke("models", "AbalonePackageGroup", kAbaloneRow).status, 404);  // Nothing approved yet.

  Expect({"registry", "approve", "AbalonePackageGroup/1"});
  WaitFor("models", "AbalonePackageGroup", "AbalonePackageGroup/1");
  NewApprovedAbalone();
  WaitFor("models", "AbalonePackageGroup", "AbalonePackageGroup/2");

  Expect({"registry", "reject", "AbalonePackageGroup/2", "--comment", "drifted"});
  WaitFor("models", "AbalonePackageGroup", "AbalonePackageGroup/1");  // Rolled back.

  Expect({"registry", "reject", "AbalonePackageGroup/1"});
  WaitFor("models", "AbalonePackageGroup", "404");
  auto gone = Invoke("models", "AbalonePackageGroup", kAbaloneRow);
  EXPECT_THAT(gone.body, HasSubstr("'AbalonePackageGroup' has no Approved version"));

  Expect({"registry", "approve", "CustomerChurnPackageGroup/1"});
  WaitFor("models", "CustomerChurnPackageGroup", "CustomerChurnPackageGroup/1", kChurnRow);
  auto churn = Invoke("models", "CustomerChurnPackageGroup", kChurnRow);
  ASSERT_EQ(churn.status, 200) << churn.body;
  double p = Json::parse(churn.body)["predictions"][0].get<double>();
  EXPECT_GE(p, 0.0);
  EXPECT_LE(p, 1.0);

  auto show = Grove({"endpoint", "show", "models", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.json()["models"][0]["name"], "CustomerChurnPackageGroup");
  auto metrics = api::http_test::Fetch(port_, "GET", "/metrics");
  ASSERT_TRUE(metrics.has_value());
  EXPECT_THAT(metrics->body, HasSubstr("grove_model_requests_total{model=\"CustomerChurnPackageGroup/1\"} 2"));
}

// Clients keep invoking over keep-alive HTTP connections while another
// process rejects and re-approves version 2, three times: every request made
// during the swaps is answered 200 by version 1 or 2, and each swap is seen
// by the clients (each version answers in turn) before the next one.
TEST_F(ServingE2ETest, SwapsWhileServingFailNoRequest) {
  Expect({"registry", "approve", "AbalonePackageGroup/1"});
  NewApprovedAbalone();
  Expect({"endpoint", "create", "abalone", "--follow", "AbalonePackageGroup"});
  StartServer();
  std::atomic<bool> done{false};
  std::atomic<int> sent{0}, failed{0}, unknown{0};
  std::array<std::atomic<int>, 3> answers_by{};  // Answers by version 1 and 2.
  std::vector<std::thread> clients;
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back([&] {
      auto client = api::http_test::TestClient::Connect(port_);
      std::string body = Json({{"data", kAbaloneRow}, {"input", "raw"}}).dump();
      std::string request = api::http_test::BuildRequest("POST", "/api/v1/endpoints/abalone/invocations", body);
      while (!done) {
        ++sent;
        auto r = client && client->Send(request) ? client->ReadResponse() : std::nullopt;
        if (!r || r->status != 200) {
          ++failed;
          return;
        }
        std::string model = r->Header("X-Grove-Model");
        if (model == "AbalonePackageGroup/1") ++answers_by[1];
        else if (model == "AbalonePackageGroup/2") ++answers_by[2];
        else ++unknown;
      }
    });
  }
  // Clients get answers from `version`, more than a few of them from now on.
  auto served_by = [&](int version) {
    int before = answers_by[version];
    return WaitUntil([&] { return answers_by[version] >= before + 20 || failed > 0; }) && failed == 0;
  };
  EXPECT_TRUE(served_by(2));
  int sent_before_swaps = sent;
  for (int round = 0; round < 3 && failed == 0; ++round) {
    Expect({"registry", "reject", "AbalonePackageGroup/2"});
    EXPECT_TRUE(served_by(1)) << "round " << round << ": the server never answered with version 1";
    Expect({"registry", "approve", "AbalonePackageGroup/2"});
    EXPECT_TRUE(served_by(2)) << "round " << round << ": the server never answered with version 2 again";
  }
  int sent_during_swaps = sent - sent_before_swaps;
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0) << "of " << sent.load() << " requests";
  EXPECT_EQ(unknown.load(), 0);
  EXPECT_GE(answers_by[1].load(), 60);
  EXPECT_GE(answers_by[2].load(), 80);
  EXPECT_GE(sent_during_swaps, 120);
}

TEST_F(ServingE2ETest, StagingToProductionPromotionIsGatedAndRecorded) {
  Expect({"endpoint", "create", "churn-staging", "--follow", "CustomerChurnPackageGroup", "--capture-percent", "100"});
  fs::path good = home_.path() / "sample.csv", bad = home_.path() / "bad.csv";
  ASSERT_TRUE(WriteFileAtomic(good, std::string(kChurnRow) + "\n").ok());
  ASSERT_TRUE(WriteFileAtomic(bad, "SC,15\n").ok());

  // Not in service: nothing Approved yet.
  auto refused = Expect({"endpoint", "promote", "churn-staging", "churn-prod", "--sample", good.string(), "--input",
                         "raw", "--comment", "first"},
                        1);
  EXPECT_THAT(refused.err, HasSubstr("'churn-staging' is not in service"));
  Expect({"registry", "approve", "CustomerChurnPackageGroup/1"});
  auto failing = Expect({"endpoint", "promote", "churn-staging", "churn-prod", "--sample", bad.string(), "--input",
                         "raw"},
                        1);
  EXPECT_THAT(failing.err, HasSubstr("test invocation of CustomerChurnPackageGroup/1 failed"));
  auto missing = Expect({"endpoint", "show", "churn-prod"}, 2);  // Neither refusal created production.
  EXPECT_THAT(missing.err, HasSubstr("no endpoint 'churn-prod'"));

  Expect({"endpoint", "promote", "churn-staging", "churn-prod", "--sample", good.string(), "--input", "raw",
          "--require-capture", "--capture-percent", "100", "--comment", "passed review", "--by", "carol"});
  auto prod = Expect({"endpoint", "show", "churn-prod", "--json"}).json();
  EXPECT_EQ(prod["status"], "InService");
  EXPECT_EQ(prod["models"][0]["version"], 1);
  EXPECT_EQ(prod["models"][0]["pinned"], true);
  ASSERT_EQ(prod["promotions"].size(), 1u);
  EXPECT_EQ(prod["promotions"][0]["by"], "carol");
  EXPECT_EQ(prod["promotions"][0]["comment"], "passed review");
  EXPECT_EQ(prod["promotions"][0]["models"][0], "CustomerChurnPackageGroup/1");

  StartServer();
  auto answer = Invoke("churn-prod", "", kChurnRow);
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto staged = Invoke("churn-staging", "", kChurnRow);
  ASSERT_EQ(staged.status, 200) << staged.body;
  EXPECT_EQ(answer.body, staged.body);
  // Both capture every request (production as the promotion created it).
  EXPECT_EQ(prod["capture_percent"], 100.0);
  EXPECT_TRUE(fs::exists(home_.path() / "capture" / "churn-staging"));
  EXPECT_TRUE(fs::exists(home_.path() / "capture" / "churn-prod"));
}

TEST_F(ServingE2ETest, Boto3AndAwsCliInvokeTheSageMakerRoute) {
  Expect({"registry", "approve", "CustomerChurnPackageGroup/1"});
  Expect({"endpoint", "create", "churn", "--follow", "CustomerChurnPackageGroup"});
  StartServer();
  std::string url = "http://127.0.0.1:" + std::to_string(port_);
  fs::path script = home_.path() / "invoke.py";
  ASSERT_TRUE(WriteFileAtomic(script, R"(import sys, boto3, botocore
rt = boto3.client("sagemaker-runtime", endpoint_url=sys.argv[1], region_name="us-east-1",
                  aws_access_key_id="x", aws_secret_access_key="x")
r = rt.invoke_endpoint(EndpointName="churn", ContentType="text/csv", Accept="text/csv",
                       CustomAttributes="input=raw", Body=sys.argv[2])
print("ok", r["InvokedProductionVariant"], r["Body"].read().decode().strip())
try:
    rt.invoke_endpoint(EndpointName="nope", ContentType="text/csv", Body="1")
except botocore.exceptions.ClientError as e:
    print("error", e.response["Error"]["Code"])
)").ok());
  std::string out_file = (home_.path() / "boto3.out").string();
  std::string command = "python3 " + script.string() + " " + url + " '" + kChurnRow + "' > " + out_file + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << Text(out_file);
  std::string out = ReadFile(out_file).value();
  EXPECT_THAT(out, HasSubstr("ok AllTraffic 0."));
  EXPECT_THAT(out, HasSubstr("error ValidationError"));

  std::string body_file = (home_.path() / "aws.out").string();
  std::string aws = "AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url " + url +
                    " --region us-east-1 sagemaker-runtime invoke-endpoint --endpoint-name churn --content-type "
                    "application/json --body '" +
                    Json({{"data", kChurnRow}, {"input", "raw"}}).dump() + "' " + body_file + " > /dev/null 2>&1";
  ASSERT_EQ(std::system(aws.c_str()), 0);
  EXPECT_THAT(ReadFile(body_file).value(), HasSubstr("{\"predictions\":[0."));
}

// Seed 001: the pipeline registers an Approved model and its Deploy step puts
// it on an endpoint that a running server then serves.
TEST_F(ServingE2ETest, PipelineDeployStepReachesARunningServer) {
  StartServer();
  auto run = Expect({"run", "examples/showcase.yaml", "--json"});
  EXPECT_EQ(run.json()["status"], "Succeeded");
  WaitFor("crayon-showcase-endpoint", "", "crayonShowcasePackageGroup/1");
  auto shown = Expect({"endpoint", "show", "crayon-showcase-endpoint", "--json"}).json();
  EXPECT_EQ(shown["capture_percent"], 100.0);
  EXPECT_EQ(shown["models"][0]["pinned"], true);

  // A pending version is not deployed: newest-approved is still version 1.
  Expect({"run", "examples/showcase.yaml", "-q", "-p", "ModelApprovalStatus=PendingManualApproval"});
  EXPECT_EQ(Expect({"endpoint", "show", "crayon-showcase-endpoint", "--json"}).json()["models"][0]["version"], 1);

  auto bad = Expect({"run", "examples/showcase.yaml", "-q", "-p", "EndpointName=bad_name", "-p", "MseThreshold=8"}, 1);
  EXPECT_THAT(bad.err + bad.out, HasSubstr("endpoint name 'bad_name' is not valid"));
  Expect({"endpoint", "show", "bad_name"}, 2);
}

TEST_F(ServingE2ETest, BadInputOnTheCommandLine) {
  auto name = Expect({"endpoint", "create", "bad_name"}, 2);
  EXPECT_THAT(name.err, HasSubstr("endpoint name 'bad_name' is not valid"));
  auto pending = Expect({"endpoint", "create", "e", "--deploy", "AbalonePackageGroup/1"}, 2);
  EXPECT_THAT(pending.err, HasSubstr("AbalonePackageGroup/1 is PendingManualApproval"));
  Expect({"endpoint", "show", "e"}, 2);  // Not created half-way.
  Expect({"registry", "approve", "AbalonePackageGroup/1"});
  Expect({"endpoint", "create", "e", "--follow", "Abalone*"});
  Expect({"endpoint", "create", "e"}, 2);
  auto cell = Expect({"invoke", "e", "--input", "raw", "--data", "M,0.4,x,0.1,0.5,0.2,0.1,0.15"}, 2);
  EXPECT_THAT(cell.err, HasSubstr("row 1: column 'diameter' (input column 3)"));
  auto ok = Expect({"invoke", "e", "--input", "raw", "--data", kAbaloneRow});
  EXPECT_EQ(ok.json()["model"], "AbalonePackageGroup/1");
  auto port = Expect({"server", "--listen", "127.0.0.1:http"}, 2);
  EXPECT_THAT(port.err, HasSubstr("expected [host:]port"));
}

// Regression: `grove invoke` of a multi-model endpoint without --model told
// the user to set "model" (a JSON field) instead of --model.
TEST_F(ServingE2ETest, InvokeWithoutAModelNamesTheModelFlag) {
  Expect({"registry", "approve", "AbalonePackageGroup/1"});
  Expect({"registry", "approve", "CustomerChurnPackageGroup/1"});
  Expect({"endpoint", "create", "models", "--multi-model", "--follow", "*PackageGroup"});
  auto r = Expect({"invoke", "models", "--input", "raw", "--data", kAbaloneRow}, 2);
  EXPECT_THAT(r.err, HasSubstr("name one with --model GROUP or --model GROUP/N"));
  EXPECT_THAT(r.err, HasSubstr("AbalonePackageGroup/1, CustomerChurnPackageGroup/1"));
  EXPECT_THAT(r.err, Not(HasSubstr("\"model\"")));
  auto ok = Expect({"invoke", "models", "--model", "AbalonePackageGroup", "--input", "raw", "--data", kAbaloneRow});
  EXPECT_EQ(ok.json()["model"], "AbalonePackageGroup/1");
}

// Regression: a model whose artifact is missing made `grove invoke` exit 2
// (bad input) and an explicit G/N request get 404 (Grove) or 400 (SageMaker),
// where docs/api.md promises a model error. Now: CLI exit 3, Grove 500,
// SageMaker 424 ModelError with OriginalStatusCode 500; the server keeps
// serving the working version to requests that name the group only.
TEST_F(ServingE2ETest, MissingModelArtifactIsAModelErrorInTheCliAndTheServer) {
  Expect({"registry", "approve", "AbalonePackageGroup/1"});
  // Version 2, trained on one more row, so that its model is an artifact of its own.
  fs::path data = home_.path() / "abalone.csv";
  std::string rows = ReadFile(SourceDir() / "datasets/abalone/abalone-dataset.csv").value();
  ASSERT_TRUE(WriteFileAtomic(data, rows + "M,0.5,0.4,0.1,0.5,0.2,0.1,0.15,10\n").ok());
  Expect({"run", "examples/abalone.yaml", "-q", "-p", "ModelApprovalStatus=Approved", "-p", "InputData=" + data.string()});
  Expect({"endpoint", "create", "abalone", "--deploy", "AbalonePackageGroup/1"});
  StartServer();
  WaitFor("abalone", "AbalonePackageGroup", "AbalonePackageGroup/1");
  // Version 2's model goes missing, then production is pinned to it.
  std::string digest = Expect({"registry", "show", "AbalonePackageGroup/2", "--json"}).json()["model"];
  fs::path model = home_.path() / "artifacts" / "sha256" / digest.substr(0, 2) / digest;
  ASSERT_TRUE(fs::remove(model));
  Expect({"endpoint", "deploy", "abalone", "AbalonePackageGroup/2"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // The server follows the deployment.

  auto cli = Expect({"invoke", "abalone", "--model", "AbalonePackageGroup/2", "--input", "raw", "--data", kAbaloneRow},
                    3);
  EXPECT_THAT(cli.err, HasSubstr("cannot load AbalonePackageGroup/2"));
  auto grove = Invoke("abalone", "AbalonePackageGroup/2", kAbaloneRow);
  EXPECT_EQ(grove.status, 500) << grove.body;
  EXPECT_THAT(grove.body, HasSubstr("cannot load AbalonePackageGroup/2"));
  auto sagemaker = api::http_test::Fetch(port_, "POST", "/endpoints/abalone/invocations", kAbaloneRow,
                                         "Content-Type: text/csv\r\nX-Amzn-SageMaker-Target-Model: "
                                         "AbalonePackageGroup/2\r\nX-Amzn-SageMaker-Custom-Attributes: input=raw\r\n");
  ASSERT_TRUE(sagemaker.has_value());
  EXPECT_EQ(sagemaker->status, 424) << sagemaker->body;
  EXPECT_EQ(sagemaker->Header("x-amzn-ErrorType"), "ModelError");
  EXPECT_EQ(Json::parse(sagemaker->body)["OriginalStatusCode"], 500);
  // The bare group: the running server kept the version it served.
  EXPECT_EQ(Invoke("abalone", "AbalonePackageGroup", kAbaloneRow).Header("X-Grove-Model"), "AbalonePackageGroup/1");
  auto shown = Expect({"endpoint", "show", "abalone", "--json"}).json();
  EXPECT_EQ(shown["models"][0]["state"], "Failed");
}

}  // namespace
}  // namespace grove::testing
