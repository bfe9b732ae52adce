// Invocations with a loader pool (InvocationHandler + serving::LoaderPool +
// DeferredResponse) on a real server with one I/O thread: a hit is answered
// while another model's load is in flight, and a full pool answers 503.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "api/http_server.h"
#include "api/http_test_client.h"
#include "api/serving_routes.h"
#include "serving/endpoint_test_fixture.h"

namespace grove::api {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr std::string_view kGroveTarget = "/api/v1/endpoints/models/invocations";

// The real artifact store, except that reading the model `slow` blocks until
// released (a slow disk or download). No derived files: every load reads it.
class GatedArtifactStore final : public store::ArtifactStore {
 public:
  explicit GatedArtifactStore(store::ArtifactStore& inner) : inner_(inner), open_(opened_.get_future().share()) {}
  ~GatedArtifactStore() override { Open(); }

  void Gate(std::string digest) { slow_ = std::move(digest); }
  void Open() {
    if (!open_flag_.exchange(true)) opened_.set_value();
  }
  bool WaitArrived() {
    for (int i = 0; i < 500 && !arrived_.load(); ++i) std::this_thread::sleep_for(10ms);
    return arrived_.load();
  }

  Result<store::ArtifactRecord> Put(const std::filesystem::path& p) override { return inner_.Put(p); }
  Result<store::ArtifactRecord> PutByMove(const std::filesystem::path& p) override { return inner_.PutByMove(p); }
  Result<store::ArtifactRecord> PutBytes(std::string_view b) override { return inner_.PutBytes(b); }
  bool Contains(const std::string& d) override { return inner_.Contains(d); }
  Result<std::filesystem::path> LocalPath(const std::string& digest) override {
    if (digest == slow_) {
      arrived_ = true;
      open_.wait();
    }
    return inner_.LocalPath(digest);
  }

 private:
  store::ArtifactStore& inner_;
  std::string slow_;
  std::promise<void> opened_;
  std::shared_future<void> open_;
  std::atomic<bool> open_flag_{false}, arrived_{false};
};

class InvocationLoaderTest : public serving::testing::EndpointFixture {
 protected:
  void SetUp() override {
    EndpointFixture::SetUp();
    AddVersion("Hot", 2);
    AddVersion("Slow", 3);
    CreateEndpoint("models", {"*"}, /*multi_model=*/true);
    gated_ = std::make_unique<GatedArtifactStore>(*artifacts_);
    gated_->Gate(metadata_->GetModelVersion("Slow", 1)->model_digest);
    service_ = std::make_unique<serving::EndpointService>(metadata_.get(), gated_.get(), serving::ModelCacheOptions{});
    Refresh(*service_);
  }
  void TearDown() override {
    gated_->Open();
    if (server_) server_->Stop();
    loader_.reset();
  }

  void Start(serving::LoaderPoolOptions pool) {
    loader_ = std::make_unique<serving::LoaderPool>(&service_->cache(), pool);
    ASSERT_TRUE(AddServingRoutes(&router_, service_.get(), nullptr, &counters_, loader_.get()).ok());
    HttpServerOptions options;
    options.port = 0;
    options.io_threads = 1;
    server_ = std::make_unique<HttpServer>(options, router_);
    ASSERT_TRUE(server_->Start().ok());
  }

  static std::string Invocation(std::string_view target, std::string_view model) {
    Json body = {{"model", model}, {"input", "raw"}, {"data", "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15"}};
    return http_test::BuildRequest("POST", target, body.dump(), "Content-Type: application/json\r\n");
  }
  http_test::ClientResponse Invoke(std::string_view model, std::string_view target = kGroveTarget) {
    auto client = http_test::TestClient::Connect(server_->port());
    EXPECT_TRUE(client->Send(Invocation(target, model)));
    auto response = client->ReadResponse();
    EXPECT_TRUE(response.has_value());
    return response.value_or(http_test::ClientResponse{});
  }

  std::unique_ptr<GatedArtifactStore> gated_;
  std::unique_ptr<serving::EndpointService> service_;
  InvocationCounters counters_;
  Router router_;
  std::unique_ptr<serving::LoaderPool> loader_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(InvocationLoaderTest, AHitIsAnsweredWhileASlowLoadIsInFlightOnOneIoThread) {
  Start({.threads = 1, .max_queued = 8});
  auto first = Invoke("Hot");  // A miss: loaded on the pool, answered later.
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Header("X-Grove-Model"), "Hot/1");

  auto waiting = http_test::TestClient::Connect(server_->port());
  ASSERT_TRUE(waiting->Send(Invocation(kGroveTarget, "Slow")));
  ASSERT_TRUE(gated_->WaitArrived());  // The only loader thread is stuck reading Slow's model.
  for (int i = 0; i < 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto hit = Invoke("Hot");
    EXPECT_EQ(hit.status, 200) << hit.body;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  }
  gated_->Open();
  auto slow = waiting->ReadResponse();
  ASSERT_TRUE(slow.has_value());
  EXPECT_EQ(slow->status, 200) << slow->body;
  EXPECT_EQ(slow->Header("X-Grove-Model"), "Slow/1");
  EXPECT_EQ(counters_.ok.load(), 5u);
  // Loaded now: answered inline, and the cache counted Slow's load once.
  EXPECT_EQ(Invoke("Slow").status, 200);
  EXPECT_EQ(service_->cache().Stats("Slow/1").loads, 1u);
}

TEST_F(InvocationLoaderTest, AFullPoolAnswers503InBothDialects) {
  Start({.threads = 1, .max_queued = 0});  // Every load is refused.
  gated_->Open();
  auto grove = Invoke("Hot");
  EXPECT_EQ(grove.status, 503);
  EXPECT_THAT(grove.body, HasSubstr("queued at capacity"));
  auto sagemaker = Invoke("Hot", "/endpoints/models/invocations");
  EXPECT_EQ(sagemaker.status, 503);
  EXPECT_EQ(sagemaker.Header("x-amzn-ErrorType"), "ServiceUnavailable");
  EXPECT_EQ(counters_.server_errors.load(), 2u);
}

TEST_F(InvocationLoaderTest, ErrorsThatNeedNoLoadAreAnsweredInline) {
  Start({.threads = 1, .max_queued = 0});
  EXPECT_EQ(Invoke("Nope").status, 404);
  EXPECT_EQ(loader_->stats().rejected, 0u);
}

TEST_F(InvocationLoaderTest, StoppingWithALoadInFlightIsSafe) {
  Start({.threads = 1, .max_queued = 8});
  auto waiting = http_test::TestClient::Connect(server_->port());
  ASSERT_TRUE(waiting->Send(Invocation(kGroveTarget, "Slow")));
  ASSERT_TRUE(gated_->WaitArrived());
  std::thread stopper([&] { server_->Stop(); });
  std::this_thread::sleep_for(50ms);
  gated_->Open();  // The answer arrives while the server stops: sent with Connection: close.
  stopper.join();
  auto response = waiting->ReadResponse();
  if (response.has_value()) {
    EXPECT_EQ(response->status, 200);
  }
  loader_.reset();
}

}  // namespace
}  // namespace grove::api
