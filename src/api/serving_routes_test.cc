#include "api/serving_routes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/http_server.h"
#include "api/http_test_client.h"
#include "registry/endpoints.h"
#include "serving/serving_test_util.h"

namespace grove::api {
namespace {

using ::testing::HasSubstr;

// The serving routes on a real HTTP server over a real store: an Abalone
// model (version 1) on a multi-model endpoint "models" (following every
// group, capturing every request) and a single-model endpoint "abalone".
class ServingRoutesTest : public serving::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    Json args = serving::testing::AbaloneArgs();
    args["shuffle"] = false;
    args.erase("split");
    data::PrepareSummary prepared = serving::testing::Prepare(args, dir_.path() / "prepared");
    train_file_ = prepared.splits["train"];
    serving::testing::Train(train_file_, {{"num_round", "5"}}, dir_.path() / "model.json");
    store::ModelVersionRecord v;
    v.group = "Abalone";
    v.model_digest = artifacts_->Put(dir_.path() / "model.json")->digest;
    v.metadata["transform"] = artifacts_->Put(prepared.transform)->digest;
    ASSERT_TRUE(registry_->Register(v).ok());
    ASSERT_TRUE(registry_->Approve("Abalone", 1, "", "test").ok());
    store::EndpointRecord models;
    models.name = "models";
    models.multi_model = true;
    models.follow = {"*"};
    models.capture_percent = 100;
    ASSERT_TRUE(registry::Endpoints(metadata_.get(), &clock_).Create(models).ok());
    store::EndpointRecord single;
    single.name = "abalone";
    single.follow = {"Abalone"};
    ASSERT_TRUE(registry::Endpoints(metadata_.get(), &clock_).Create(single).ok());

    service_ = std::make_unique<serving::EndpointService>(metadata_.get(), artifacts_.get(),
                                                          serving::ModelCacheOptions{});
    ASSERT_TRUE(service_->Refresh().ok());
    capture_ = std::make_unique<serving::DataCapture>(dir_.path() / "capture", &clock_, 1);
    ASSERT_TRUE(AddServingRoutes(&router_, service_.get(), capture_.get(), &counters_).ok());
    HttpServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.body_limit = 64 * 1024;
    server_ = std::make_unique<HttpServer>(options, router_);
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override { server_->Stop(); }

  // The first `rows` feature rows of the training file (label dropped), as CSV.
  std::string FeatureRows(size_t rows) {
    std::string text = ReadFile(train_file_).value(), out;
    size_t pos = 0;
    for (size_t r = 0; r < rows; ++r) {
      size_t end = text.find('\n', pos);
      std::string line = text.substr(pos, end - pos);
      out += line.substr(line.find(',') + 1) + "\n";
      pos = end + 1;
    }
    return out;
  }

  http_test::ClientResponse Post(std::string_view target, std::string_view body, std::string_view headers = "") {
    auto response = http_test::Fetch(server_->port(), "POST", target, body, headers);
    EXPECT_TRUE(response.has_value());
    return response.value_or(http_test::ClientResponse{});
  }
  http_test::ClientResponse Get(std::string_view target) {
    auto response = http_test::Fetch(server_->port(), "GET", target);
    EXPECT_TRUE(response.has_value());
    return response.value_or(http_test::ClientResponse{});
  }

  std::filesystem::path train_file_;
  std::unique_ptr<serving::EndpointService> service_;
  std::unique_ptr<serving::DataCapture> capture_;
  InvocationCounters counters_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
};

constexpr const char* kRawRow = "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15";

TEST_F(ServingRoutesTest, SeedPayloadGivesOnePredictionPerRow) {
  Json body = {{"model", "Abalone"}, {"data", FeatureRows(3)}};
  auto response = Post("/api/v1/endpoints/models/invocations", body.dump(), "Content-Type: application/json\r\n");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("X-Grove-Model"), "Abalone/1");
  Json answer = Json::parse(response.body);
  ASSERT_EQ(answer["predictions"].size(), 3u);
  EXPECT_GT(answer["predictions"][0].get<double>(), 1.0);  // Rings.
}

TEST_F(ServingRoutesTest, RawRowsPredictLikeTheirFeatures) {
  Json raw = {{"model", "Abalone"}, {"data", kRawRow}, {"input", "raw"}};
  auto from_raw = Post("/api/v1/endpoints/models/invocations", raw.dump());
  ASSERT_EQ(from_raw.status, 200) << from_raw.body;
  Json features = {{"model", "Abalone"}, {"data", FeatureRows(1)}};  // The same row, transformed.
  auto from_features = Post("/api/v1/endpoints/models/invocations", features.dump());
  ASSERT_EQ(from_features.status, 200) << from_features.body;
  EXPECT_NEAR(Json::parse(from_raw.body)["predictions"][0].get<double>(),
              Json::parse(from_features.body)["predictions"][0].get<double>(), 1e-6);
}

TEST_F(ServingRoutesTest, CsvBodyWithTargetModelHeaderAndCsvAnswer) {
  auto response = Post("/endpoints/models/invocations", FeatureRows(2),
                       "Content-Type: text/csv\r\nAccept: text/csv\r\nX-Amzn-SageMaker-Target-Model: Abalone\r\n");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(response.Header("Content-Type"), HasSubstr("text/csv"));
  EXPECT_EQ(response.Header("X-Amzn-Invoked-Production-Variant"), "AllTraffic");
  EXPECT_EQ(std::count(response.body.begin(), response.body.end(), '\n'), 2);

  auto raw = Post("/api/v1/endpoints/abalone/invocations?input=raw", kRawRow, "Content-Type: text/csv\r\n");
  ASSERT_EQ(raw.status, 200) << raw.body;  // Single-model endpoint: no model named.
  auto custom = Post("/endpoints/abalone/invocations", kRawRow,
                     "Content-Type: text/csv\r\nX-Amzn-SageMaker-Custom-Attributes: trace=1; input=raw\r\n");
  ASSERT_EQ(custom.status, 200) << custom.body;
  EXPECT_EQ(custom.body, raw.body);
  auto instances = Post("/api/v1/endpoints/abalone/invocations",
                        R"({"instances": [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0, 1, 0]]})");
  ASSERT_EQ(instances.status, 200) << instances.body;
}

TEST_F(ServingRoutesTest, BadInputIsA4xxThatSaysWhatAndWhere) {
  auto no_endpoint = Post("/api/v1/endpoints/nope/invocations", R"({"data": "1"})");
  EXPECT_EQ(no_endpoint.status, 404);
  EXPECT_THAT(no_endpoint.body, HasSubstr("no endpoint 'nope' (endpoints: abalone, models)"));

  auto no_model = Post("/api/v1/endpoints/models/invocations", R"({"model": "Churn", "data": "1"})");
  EXPECT_EQ(no_model.status, 404);
  EXPECT_THAT(no_model.body, HasSubstr("Abalone (version 1)"));

  auto width = Post("/api/v1/endpoints/models/invocations", R"({"model": "Abalone", "data": "1,2,3"})");
  EXPECT_EQ(width.status, 400);
  EXPECT_THAT(width.body, HasSubstr("expected 10 features, got 3"));

  auto cell = Post("/api/v1/endpoints/models/invocations",
                   R"({"model": "Abalone", "data": "1,2,3,4,5,6,7,8,9,10\n1,2,x,4,5,6,7,8,9,10"})");
  EXPECT_EQ(cell.status, 400);
  EXPECT_THAT(cell.body, HasSubstr("row 2, column 3"));

  auto json = Post("/api/v1/endpoints/models/invocations", R"({"model": "Abalone", "data": )");
  EXPECT_EQ(json.status, 400);
  EXPECT_THAT(json.body, HasSubstr("malformed JSON at byte"));

  auto big = Post("/api/v1/endpoints/models/invocations", std::string(100 * 1024, '1'));
  EXPECT_EQ(big.status, 413);

  auto raw_width = Post("/api/v1/endpoints/abalone/invocations?input=raw", "M,1,2", "Content-Type: text/csv\r\n");
  EXPECT_EQ(raw_width.status, 400);
  EXPECT_THAT(raw_width.body, HasSubstr("row 1"));

  // The SageMaker route answers as sagemaker-runtime clients expect.
  auto sm_endpoint = Post("/endpoints/nope/invocations", "1", "Content-Type: text/csv\r\n");
  EXPECT_EQ(sm_endpoint.status, 400);
  EXPECT_EQ(sm_endpoint.Header("x-amzn-ErrorType"), "ValidationError");
  auto sm_rows = Post("/endpoints/abalone/invocations", "1,2", "Content-Type: text/csv\r\n");
  EXPECT_EQ(sm_rows.status, 424);
  EXPECT_EQ(sm_rows.Header("x-amzn-ErrorType"), "ModelError");
  EXPECT_EQ(Json::parse(sm_rows.body)["OriginalStatusCode"], 400);

  // Still serving after all of that.
  EXPECT_EQ(Post("/api/v1/endpoints/abalone/invocations?input=raw", kRawRow, "Content-Type: text/csv\r\n").status,
            200);
}

TEST_F(ServingRoutesTest, MetricsAndCapture) {
  ASSERT_EQ(Post("/api/v1/endpoints/models/invocations",
                 Json({{"model", "Abalone"}, {"data", kRawRow}, {"input", "raw"}}).dump())
                .status,
            200);
  Post("/api/v1/endpoints/models/invocations", R"({"model": "Nope", "data": "1"})");

  auto metrics = Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body, HasSubstr("grove_model_requests_total{model=\"Abalone/1\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("grove_invocations_total{code=\"2xx\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("grove_invocations_total{code=\"4xx\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("grove_model_cache_loads_total 1"));

  size_t captured = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path() / "capture" / "models")) {
    if (!entry.is_regular_file()) continue;
    std::string lines = ReadFile(entry.path()).value();
    captured += static_cast<size_t>(std::count(lines.begin(), lines.end(), '\n'));
  }
  EXPECT_EQ(captured, 1u);  // The successful request only; "abalone" does not capture.
  EXPECT_EQ(Get("/ping").status, 200);
}

}  // namespace
}  // namespace grove::api
