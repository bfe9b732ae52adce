#pragma once

// The fixture of the endpoint tests (header-only, test-only): a real SQLite
// store and artifact folder with Abalone models registered on demand.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "registry/endpoints.h"
#include "registry/registry.h"
#include "serving/endpoint_service.h"
#include "serving/serving_test_util.h"

namespace grove::serving::testing {

// Endpoints over a real SQLite store and artifact folder, with Abalone models
// trained for 1, 2, 3... rounds so that each version predicts its own value.
class EndpointFixture : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    Json args = AbaloneArgs();
    args["shuffle"] = false;
    args.erase("split");
    prepared_ = Prepare(args, dir_.path() / "prepared");
    transform_ = artifacts_->Put(prepared_.transform)->digest;
  }

  // Registers a new version of `group` trained for `rounds` rounds; returns its number.
  int AddVersion(const std::string& group, int rounds, bool approve = true) {
    std::filesystem::path out = dir_.path() / (group + std::to_string(rounds) + ".model");
    Train(prepared_.splits["train"], {{"num_round", std::to_string(rounds)}, {"max_depth", "3"}}, out);
    store::ModelVersionRecord v;
    v.group = group;
    v.model_digest = artifacts_->Put(out)->digest;
    v.metadata["transform"] = transform_;
    v.metadata["rounds"] = rounds;
    int version = registry_->Register(v)->version;
    if (approve) Approve(group, version);
    return version;
  }
  void Approve(const std::string& group, int version) {
    ASSERT_TRUE(registry_->Approve(group, version, "ok", "test").ok());
  }
  void Reject(const std::string& group, int version) {
    ASSERT_TRUE(registry_->Reject(group, version, "bad", "test").ok());
  }
  void CreateEndpoint(const std::string& name, std::vector<std::string> follow, bool multi_model) {
    store::EndpointRecord e;
    e.name = name;
    e.follow = std::move(follow);
    e.multi_model = multi_model;
    ASSERT_TRUE(registry::Endpoints(metadata_.get(), &clock_).Create(e).ok());
  }
  void Refresh(EndpointService& service) {
    Status s = service.Refresh();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // One raw Abalone row (the file's first, without its label).
  PredictRequest RawRow(const std::string& model = "") {
    Result<PredictRequest> r = ParseJsonRequest(
        Json({{"model", model}, {"input", "raw"}, {"data", "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15"}}).dump());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r;
  }

  std::string InvokeKey(EndpointService& service, const std::string& endpoint, const std::string& model) {
    Result<Invocation> r = service.Invoke(endpoint, model, RawRow());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->model_key : r.status().ToString();
  }

  const EndpointState& State(const std::vector<EndpointState>& states, const std::string& name) {
    for (const EndpointState& s : states) {
      if (s.name == name) return s;
    }
    ADD_FAILURE() << "no endpoint " << name;
    static EndpointState none;
    return none;
  }

  data::PrepareSummary prepared_;
  std::string transform_;
};

}  // namespace grove::serving::testing
