#include "serving/endpoint_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "common/sha256.h"
#include "common/test_util.h"
#include "registry/registry.h"
#include "registry/traffic.h"
#include "serving/endpoint_test_fixture.h"

namespace grove::serving {
namespace {

using ::testing::HasSubstr;

using EndpointServiceTest = testing::EndpointFixture;

TEST_F(EndpointServiceTest, ApprovalsMoveTheEndpointAndRejectionsRollBack) {
  AddVersion("Abalone", 1);
  CreateEndpoint("models", {"Aba*"}, true);
  EndpointService service(metadata_.get(), artifacts_.get(), {});
  Refresh(service);
  EXPECT_EQ(InvokeKey(service, "models", "Abalone"), "Abalone/1");

  int v2 = AddVersion("Abalone", 2);
  Refresh(service);
  EXPECT_EQ(InvokeKey(service, "models", "Abalone"), "Abalone/2");
  EXPECT_EQ(InvokeKey(service, "models", "Abalone/1"), "Abalone/1");  // Still Approved, so addressable.

  int v3 = AddVersion("Abalone", 3, /*approve=*/false);
  Refresh(service);
  EXPECT_EQ(InvokeKey(service, "models", "Abalone"), "Abalone/2");  // Pending versions do not serve.
  Status pending = service.Invoke("models", "Abalone/3", RawRow()).status();
  EXPECT_EQ(pending.code(), StatusCode::kNotFound);

  Reject("Abalone", v2);
  Refresh(service);
  EXPECT_EQ(InvokeKey(service, "models", "Abalone"), "Abalone/1");  // Newest remaining Approved.
  EXPECT_EQ(service.cache().Peek("Abalone/2"), nullptr);          // Rejected versions leave the cache.

  Approve("Abalone", v3);
  Refresh(service);
  EXPECT_EQ(InvokeKey(service, "models", "Abalone"), "Abalone/3");

  Reject("Abalone", 1);
  Reject("Abalone", v3);
  Refresh(service);
  Status gone = service.Invoke("models", "Abalone", RawRow()).status();
  EXPECT_EQ(gone.code(), StatusCode::kNotFound);
  EXPECT_THAT(gone.message(), HasSubstr("'Abalone' has no Approved version"));

  Status no_endpoint = service.Invoke("nope", "Abalone", RawRow()).status();
  EXPECT_EQ(no_endpoint.code(), StatusCode::kNotFound);
  EXPECT_THAT(no_endpoint.message(), HasSubstr("no endpoint 'nope' (endpoints: models)"));
}

TEST_F(EndpointServiceTest, SingleModelEndpointsLoadBeforeTheyServeMultiModelOnFirstUse) {
  AddVersion("Abalone", 1);
  CreateEndpoint("single", {"Abalone"}, false);
  CreateEndpoint("multi", {"Abalone", "Other"}, true);
  CreateEndpoint("empty", {"Other"}, true);
  EndpointService service(metadata_.get(), artifacts_.get(), {});
  EXPECT_TRUE(service.Describe().empty());
  Refresh(service);

  std::vector<EndpointState> states = service.Describe();
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(State(states, "single").status, "InService");
  ASSERT_EQ(State(states, "single").models.size(), 1u);
  EXPECT_EQ(State(states, "single").models[0].state, "Loaded");
  EXPECT_EQ(State(states, "empty").status, "NoModels");
  EXPECT_EQ(InvokeKey(service, "single", ""), "Abalone/1");  // A single model needs no name.

  // The model is shared by key, so "multi" finds it loaded too; a new version
  // of a hot model is loaded before the swap.
  AddVersion("Abalone", 2);
  Refresh(service);
  EXPECT_NE(service.cache().Peek("Abalone/2"), nullptr);
  EXPECT_EQ(State(service.Describe(), "multi").models[0].state, "Loaded");
  EXPECT_EQ(service.cache().Snapshot().loads, 2u);
}

TEST_F(EndpointServiceTest, WithoutPreloadNothingLoadsUntilUsedOrAsked) {
  AddVersion("Abalone", 1);
  CreateEndpoint("single", {"Abalone"}, false);
  EndpointService service(metadata_.get(), artifacts_.get(), {}, /*preload=*/false);
  Refresh(service);
  EXPECT_EQ(service.cache().Snapshot().loads, 0u);
  EXPECT_EQ(State(service.Describe(), "single").status, "Creating");
  ASSERT_TRUE(service.Load("single").ok());
  EXPECT_EQ(State(service.Describe(), "single").status, "InService");
  EXPECT_EQ(service.cache().Snapshot().loads, 1u);
  EXPECT_EQ(service.Load("nope").code(), StatusCode::kNotFound);
}

TEST_F(EndpointServiceTest, ExplicitPinsAndAVersionThatFailsToLoad) {
  AddVersion("Abalone", 1);
  AddVersion("Abalone", 2);
  CreateEndpoint("prod", {}, false);
  ASSERT_TRUE(registry::Endpoints(metadata_.get(), &clock_).Deploy("prod", {"Abalone", 1, "ops", "", 0}).ok());
  EndpointService service(metadata_.get(), artifacts_.get(), {});
  Refresh(service);
  EXPECT_EQ(InvokeKey(service, "prod", ""), "Abalone/1");
  EXPECT_EQ(InvokeKey(service, "prod", "Abalone/2"), "Abalone/2");

  // Version 3's artifact is missing: the endpoint keeps serving version 1
  // when it is deployed, rather than failing requests.
  store::ModelVersionRecord broken;
  broken.group = "Abalone";
  broken.model_digest = Sha256::Of("not stored");
  int v3 = registry_->Register(broken)->version;
  Approve("Abalone", v3);
  ASSERT_TRUE(registry::Endpoints(metadata_.get(), &clock_).Deploy("prod", {"Abalone", v3, "ops", "", 0}).ok());
  Refresh(service);
  EXPECT_EQ(InvokeKey(service, "prod", ""), "Abalone/1");
  Status direct = service.Invoke("prod", "Abalone/3", RawRow()).status();
  EXPECT_EQ(direct.code(), StatusCode::kIOError);
  EXPECT_THAT(direct.message(), HasSubstr("Abalone/3"));
}

// Regression: a version whose model artifact is missing answered NotFound (404,
// exit 2) to an explicit "G/N" and to a one-shot command, where docs/api.md
// promises a model error. Every caller now gets IOError "cannot load G/N".
TEST_F(EndpointServiceTest, MissingModelArtifactIsAModelErrorForEveryCaller) {
  AddVersion("Abalone", 1);
  store::ModelVersionRecord broken;
  broken.group = "Abalone";
  broken.model_digest = Sha256::Of("not stored");
  int v2 = registry_->Register(broken)->version;
  Approve("Abalone", v2);
  CreateEndpoint("prod", {"Abalone"}, false);
  EndpointService one_shot(metadata_.get(), artifacts_.get(), {}, /*preload=*/false);
  Refresh(one_shot);
  for (const std::string& model : {std::string(), std::string("Abalone"), std::string("Abalone/2")}) {
    Status s = one_shot.Invoke("prod", model, RawRow()).status();
    EXPECT_EQ(s.code(), StatusCode::kIOError) << model;
    EXPECT_THAT(s.message(), HasSubstr("cannot load Abalone/2")) << model;
    EXPECT_THAT(s.message(), HasSubstr("not in the artifact store")) << model;
  }
  EXPECT_EQ(one_shot.Load("prod").code(), StatusCode::kIOError);
}

TEST_F(EndpointServiceTest, LeastRecentlyUsedModelsAreEvictedAndReloaded) {
  AddVersion("A", 1);
  AddVersion("B", 2);
  CreateEndpoint("models", {"*"}, true);
  EndpointService service(metadata_.get(), artifacts_.get(), {.max_models = 1});
  Refresh(service);
  EXPECT_EQ(InvokeKey(service, "models", "A"), "A/1");
  EXPECT_EQ(InvokeKey(service, "models", "B"), "B/1");
  EXPECT_EQ(service.cache().Peek("A/1"), nullptr);
  EXPECT_EQ(InvokeKey(service, "models", "A"), "A/1");
  ModelCacheSnapshot counters = service.cache().Snapshot();
  EXPECT_EQ(counters.loads, 3u);
  EXPECT_EQ(counters.evictions, 2u);
  EXPECT_EQ(counters.loaded_models, 1u);
}

// A cold load finds the version where Refresh read it, without a registry
// read of its own: here the registry's row changes behind the service's back
// (a model digest never changes in Grove), and loads still find the artifact
// until the next Refresh reads the change.
TEST_F(EndpointServiceTest, ColdLoadsUseWhatRefreshReadNotTheRegistry) {
  AddVersion("A", 1);
  CreateEndpoint("models", {"*"}, true);
  EndpointService service(metadata_.get(), artifacts_.get(), {.max_models = 1});
  Refresh(service);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "grove.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE model_versions SET model_digest = 'gone'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(InvokeKey(service, "models", "A"), "A/1");
  Refresh(service);
  service.cache().Erase("A/1");
  Status changed = service.Invoke("models", "A", RawRow()).status();
  EXPECT_EQ(changed.code(), StatusCode::kIOError) << changed.ToString();
  EXPECT_THAT(changed.message(), HasSubstr("gone"));
}

// Requests from several threads while approvals and rejections swap the
// live version: none fails, and each answer comes from a version that was
// live at some moment while the request ran, with that version's value.
TEST_F(EndpointServiceTest, SwapsUnderLoadFailNoRequest) {
  std::map<int, double> value;  // Version -> its prediction for RawRow().
  for (int rounds = 1; rounds <= 3; ++rounds) AddVersion("Abalone", rounds);
  CreateEndpoint("models", {"Abalone"}, true);
  EndpointService service(metadata_.get(), artifacts_.get(), {});
  Refresh(service);
  for (int v = 1; v <= 3; ++v) {
    value[v] = service.Invoke("models", "Abalone/" + std::to_string(v), RawRow())->predictions.values[0];
  }
  ASSERT_NE(value[1], value[2]);
  ASSERT_NE(value[2], value[3]);
  std::map<int64_t, int> live = {{service.snapshot()->generation, 3}};  // Generation -> live version.

  struct Answer {
    int64_t before, after;  // Generations around the request.
    int version;
  };
  std::mutex mu;
  std::vector<Answer> answers;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0}, wrong_value{0};
  auto client = [&] {
    while (!done.load()) {
      int64_t before = service.snapshot()->generation;
      Result<Invocation> r = service.Invoke("models", "Abalone", RawRow());
      int64_t after = service.snapshot()->generation;
      if (!r.ok()) {
        ++failures;
        continue;
      }
      int version = std::stoi(r->model_key.substr(r->model_key.find('/') + 1));
      if (r->predictions.values[0] != value[version]) ++wrong_value;
      std::lock_guard<std::mutex> lock(mu);
      answers.push_back({before, after, version});
    }
  };
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) clients.emplace_back(client);
  // Version 1 stays Approved; 2 and 3 go back and forth.
  for (int round = 0; round < 40; ++round) {
    int v = round % 2 == 0 ? 3 : 2;
    if (round % 4 < 2) Reject("Abalone", v); else Approve("Abalone", v);
    Refresh(service);
    auto snap = service.snapshot();
    live[snap->generation] = snap->endpoints.at("models")->groups().at("Abalone").version;
    // The next swap waits for an answer from this snapshot, however slowly the clients are scheduled.
    EXPECT_TRUE(WaitUntil([&, generation = snap->generation] {
      std::lock_guard<std::mutex> lock(mu);
      return !answers.empty() && answers.back().before >= generation;
    })) << "no answer from generation " << snap->generation;
  }
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(wrong_value.load(), 0);
  EXPECT_GT(answers.size(), 40u);
  std::set<int> seen;
  for (const Answer& a : answers) {
    bool was_live = false;
    for (auto it = live.lower_bound(a.before); it != live.end() && it->first <= a.after; ++it) {
      was_live = was_live || it->second == a.version;
    }
    EXPECT_TRUE(was_live) << "version " << a.version << " answered between generations " << a.before << " and "
                          << a.after;
    seen.insert(a.version);
  }
  std::set<int> live_versions;
  for (const auto& [generation, version] : live) live_versions.insert(version);
  EXPECT_EQ(seen, live_versions);  // Every swap was seen.
}

TEST_F(EndpointServiceTest, VariantsSplitTrafficByWeightAndCountEach) {
  AddVersion("Abalone", 1);
  AddVersion("Abalone", 2);
  CreateEndpoint("prod", {"Abalone"}, false);
  ASSERT_TRUE(registry::Traffic(metadata_.get(), &clock_)
                  .Set("prod", {{"a", "Abalone", 1, 3, false}, {"b", "Abalone", 2, 1, false}}, "test")
                  .ok());
  EndpointService service(metadata_.get(), artifacts_.get(), {});
  Refresh(service);
  const int n = 4000;
  std::map<std::string, int> answered;
  for (int i = 0; i < n; ++i) {
    Result<Invocation> r = service.Invoke("prod", "", RawRow());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    answered[r->variant + " " + r->model_key]++;
  }
  // 25% to b: binomial standard deviation sqrt(4000 * 0.25 * 0.75) = 27; allow 5 of them.
  EXPECT_NEAR(answered["b Abalone/2"], n / 4, 5 * 27.4);
  EXPECT_EQ(answered["a Abalone/1"] + answered["b Abalone/2"], n);
  EXPECT_EQ(service.Counters("prod", "b")->requests, static_cast<uint64_t>(answered["b Abalone/2"]));
  EXPECT_EQ(service.Counters("prod", "a")->errors, 0u);
  EXPECT_EQ(service.Counters("prod", "c").status().code(), StatusCode::kNotFound);

  // Bad rows are the variant's errors too, and the caller learns which variant failed.
  PredictRequest bad = RawRow();
  bad.cells[1] = "not-a-length";
  std::string routed;
  Result<std::shared_ptr<const ResolvedEndpoint>> endpoint = service.Endpoint("prod");
  Result<Invocation> failed = service.Invoke(**endpoint, "", bad, "b", &routed);
  EXPECT_EQ(failed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(routed, "b");
  EXPECT_EQ(service.Counters("prod", "b")->errors, 1u);

  // Counters survive a refresh that keeps the variant.
  uint64_t before = service.Counters("prod", "a")->requests;
  Refresh(service);
  EXPECT_EQ(service.Counters("prod", "a")->requests, before);
  std::vector<EndpointState> states = service.Describe();
  ASSERT_EQ(State(states, "prod").variants.size(), 2u);
  EXPECT_EQ(State(states, "prod").variants[1].model, "Abalone/2");
}

TEST_F(EndpointServiceTest, ShadowsGetACopyComparedNeverReturned) {
  AddVersion("Abalone", 1);
  AddVersion("Abalone", 4);
  CreateEndpoint("prod", {"Abalone"}, false);
  ASSERT_TRUE(registry::Traffic(metadata_.get(), &clock_)
                  .Set("prod",
                       {{"live", "Abalone", 1, 1, false},
                        {"same", "Abalone", 1, 0, true},
                        {"next", "Abalone", 2, 0, true}},
                       "test")
                  .ok());
  EndpointService service(metadata_.get(), artifacts_.get(), {});
  Refresh(service);
  for (int i = 0; i < 50; ++i) {
    Result<Invocation> r = service.Invoke("prod", "", RawRow());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->variant, "live");
    EXPECT_EQ(r->model_key, "Abalone/1");
  }
  service.DrainShadows();
  VariantCounters same = service.Counters("prod", "same").value();
  EXPECT_EQ(same.requests, 50u);
  EXPECT_EQ(same.compared, 50u);
  EXPECT_EQ(same.agreed, 50u);
  EXPECT_EQ(same.differences[0], 50u);  // Identical answers.
  VariantCounters next = service.Counters("prod", "next").value();
  EXPECT_EQ(next.compared, 50u);
  EXPECT_GT(next.difference_max, 0.0);  // 4 rounds against 1 predict differently.
  EXPECT_EQ(next.differences[0], 0u);
  EXPECT_EQ(service.Counters("prod", "live")->requests, 50u);
  std::vector<EndpointState> states = service.Describe();
  EXPECT_EQ(State(states, "prod").variants[2].samples.size(), VariantMetrics::kKeptSamples);
}

}  // namespace
}  // namespace grove::serving
