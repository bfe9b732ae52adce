// Single-row prediction latency of the compiled tree walker (serving::TreeEnsemble)
// against libxgboost's XgboostBooster::Predict on the same 50-tree Abalone model
// (the example pipeline's hyperparameters), in the same run, plus the cold load
// time of the model (parse JSON + compile). Goals (issue 3): >= 10x per row,
// cold load < 2 ms. Issue 14: a cold load from the compiled model file (map,
// validate, checksum) <= 50 us, beside the JSON compile; and the whole
// DeployedModel load (model + fitted transform) both ways.
//
// Usage: serving_predict_bench [seconds per measurement, default 1] [path to copy the model to]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/file_util.h"
#include "data/data_test_util.h"
#include "data/preparation.h"
#include "ml/label_first_csv.h"
#include "ml/xgboost_booster.h"
#include "ml/xgboost_trainer.h"
#include "serving/compiled_model_file.h"
#include "serving/deployed_model.h"
#include "serving/predictor.h"
#include "serving/tree_ensemble.h"
#include "store/artifact_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

template <typename F>
double Median(int n, F f) {
  std::vector<double> t;
  for (int i = 0; i < n; ++i) {
    auto a = Clock::now();
    f();
    t.push_back(Seconds(a, Clock::now()));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// Runs `predict_row(r)` over the rows round-robin for about `seconds`; returns us per row.
template <typename F>
double MicrosPerRow(size_t rows, double seconds, F predict_row) {
  size_t done = 0;
  auto start = Clock::now();
  while (Seconds(start, Clock::now()) < seconds) {
    for (size_t r = 0; r < rows; ++r) predict_row(r);
    done += rows;
  }
  return Seconds(start, Clock::now()) * 1e6 / double(done);
}

// The local store without derived files: DeployedModel loads compile from JSON each time.
class WithoutDerivedFiles final : public grove::store::ArtifactStore {
 public:
  explicit WithoutDerivedFiles(grove::store::ArtifactStore& inner) : inner_(inner) {}
  grove::Result<grove::store::ArtifactRecord> Put(const std::filesystem::path& p) override { return inner_.Put(p); }
  grove::Result<grove::store::ArtifactRecord> PutByMove(const std::filesystem::path& p) override {
    return inner_.PutByMove(p);
  }
  grove::Result<grove::store::ArtifactRecord> PutBytes(std::string_view b) override { return inner_.PutBytes(b); }
  grove::Result<std::filesystem::path> LocalPath(const std::string& d) override { return inner_.LocalPath(d); }
  bool Contains(const std::string& d) override { return inner_.Contains(d); }

 private:
  grove::store::ArtifactStore& inner_;
};

int Fail(const grove::Status& s) {
  std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace grove;
  double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  TempDir dir;
  Result<data::PrepareSummary> prepared = data::RunPreparation(data::testing::AbaloneArgs(), dir.path() / "abalone");
  if (!prepared.ok()) return Fail(prepared.status());
  ml::TrainRequest request;
  request.train = prepared->splits["train"];
  request.hyperparameters = {{"objective", "reg:linear"}, {"num_round", "50"}, {"max_depth", "5"}, {"eta", "0.2"},
                             {"gamma", "4"}, {"min_child_weight", "6"}, {"subsample", "0.7"}, {"seed", "42"}};
  request.model_out = dir.path() / "model.json";
  request.nthread = 1;
  if (Result<ml::TrainSummary> s = ml::TrainXgboost(request); !s.ok()) return Fail(s.status());
  std::string bytes = ReadFile(request.model_out).value();
  if (argc > 2 && !WriteFileAtomic(argv[2], bytes).ok()) return 1;
  Result<ml::LabeledMatrix> test = ml::ReadLabelFirstCsv(prepared->splits["test"]);
  if (!test.ok()) return Fail(test.status());

  Result<serving::TreeEnsemble> compiled = serving::TreeEnsemble::FromBytes(bytes);
  if (!compiled.ok()) return Fail(compiled.status());
  Result<ml::XgboostBooster> booster = ml::XgboostBooster::LoadFromBuffer(bytes);
  if (!booster.ok()) return Fail(booster.status());

  double load_ms = 1e3 * Median(41, [&] { (void)serving::TreeEnsemble::FromBytes(bytes); });
  double predictor_ms = 1e3 * Median(41, [&] { (void)serving::LoadPredictor(bytes); });
  double xgb_load_ms = 1e3 * Median(21, [&] { (void)ml::XgboostBooster::LoadFromBuffer(bytes); });

  // The compiled file and whole DeployedModel loads (Abalone's fitted transform: one-hot sex, 7 scaled columns).
  auto artifacts = store::OpenLocalArtifactStore(dir.path() / "artifacts");
  if (!artifacts.ok()) return Fail(artifacts.status());
  store::ModelVersionRecord version;
  version.group = "Abalone";
  version.version = 1;
  version.model_digest = (*artifacts)->PutBytes(bytes)->digest;
  version.metadata["transform"] = (*artifacts)->Put(prepared->transform)->digest;
  auto warm = serving::LoadDeployedModel(**artifacts, version);  // Also holds the parsed transform.
  if (!warm.ok()) return Fail(warm.status());
  std::filesystem::path compiled_path = serving::CompiledModelPath((*artifacts)->DerivedFolder(), version.model_digest);
  size_t compiled_file_bytes = std::filesystem::file_size(compiled_path);
  if (auto mapped = serving::CompiledModelFile::Map(compiled_path, version.model_digest); !mapped.ok()) {
    return Fail(mapped.status());
  }
  const std::string& digest = version.model_digest;
  double map_us = 1e6 * Median(201, [&] { (void)serving::CompiledModelFile::Map(compiled_path, digest); });
  double map_predictor_us = 1e6 * Median(201, [&] { (void)serving::LoadModelPredictor(**artifacts, digest); });
  double deployed_shared_us = 1e6 * Median(201, [&] { (void)serving::LoadDeployedModel(**artifacts, version); });
  WithoutDerivedFiles json_only(**artifacts);
  double deployed_json_shared_us = 1e6 * Median(41, [&] { (void)serving::LoadDeployedModel(json_only, version); });
  warm = Status::Cancelled("released");  // Now each load parses the transform again.
  double deployed_mapped_us = 1e6 * Median(201, [&] { (void)serving::LoadDeployedModel(**artifacts, version); });
  double deployed_json_us = 1e6 * Median(41, [&] { (void)serving::LoadDeployedModel(json_only, version); });
  store::ModelVersionRecord bare = version;
  bare.metadata = Json::object();
  double deployed_bare_us = 1e6 * Median(201, [&] { (void)serving::LoadDeployedModel(**artifacts, bare); });

  const ml::LabeledMatrix& m = *test;
  float sink = 0, out = 0;
  double compiled_us = MicrosPerRow(m.rows, seconds, [&](size_t r) {
    compiled->PredictRow(std::span<const float>(m.Row(r), m.cols), std::span<float>(&out, 1));
    sink += out;
  });
  double xgb_us = MicrosPerRow(m.rows, seconds, [&](size_t r) {
    sink += (*booster->Predict(std::span<const float>(m.Row(r), m.cols), 1, m.cols))[0];
  });
  Result<std::unique_ptr<serving::Predictor>> fallback = serving::LoadPredictor(bytes, serving::PredictorChoice::kLibxgboost);
  if (!fallback.ok()) return Fail(fallback.status());
  double fallback_us = MicrosPerRow(m.rows, seconds, [&](size_t r) {
    (void)(*fallback)->PredictRows(std::span<const float>(m.Row(r), m.cols), 1, std::span<float>(&out, 1));
    sink += out;
  });
  double xgb_batch_us = MicrosPerRow(1, seconds, [&](size_t) {
    sink += (*booster->Predict(m.features, m.rows, m.cols))[0];
  }) / double(m.rows);

  std::printf("model: Abalone reg:linear, %zu trees, %zu nodes, %zu features, %zu JSON bytes, %zu compiled bytes\n",
              compiled->num_trees(), compiled->num_nodes(), compiled->num_features(), bytes.size(),
              compiled->MemoryBytes());
  std::printf("single-row predict: compiled %.3f us/row, libxgboost %.3f us/row, ratio %.1fx (goal >= 10x)\n",
              compiled_us, xgb_us, xgb_us / compiled_us);
  std::printf("single-row predict: serving fallback (libxgboost, nthread 1) %.3f us/row, compiled %.1fx faster\n",
              fallback_us, fallback_us / compiled_us);
  std::printf("libxgboost batch of %zu rows: %.3f us/row\n", m.rows, xgb_batch_us);
  std::printf("cold load: TreeEnsemble::FromBytes %.3f ms, LoadPredictor %.3f ms (goal < 2 ms), "
              "libxgboost LoadFromBuffer %.3f ms\n",
              load_ms, predictor_ms, xgb_load_ms);
  std::printf("cold load from the compiled file (%zu bytes): open (read or map) + validate + checksum %.1f us "
              "(goal <= 50 us), LoadModelPredictor %.1f us, JSON compile (FromBytes) %.1f us: %.0fx faster\n",
              compiled_file_bytes, map_us, map_predictor_us, load_ms * 1e3, load_ms * 1e3 / map_us);
  std::printf("DeployedModel load (model + fitted transform): compiled file %.1f us, from JSON %.1f us; with the "
              "transform already parsed for a loaded version: compiled file %.1f us, from JSON %.1f us; compiled "
              "file without a transform %.1f us\n",
              deployed_mapped_us, deployed_json_us, deployed_shared_us, deployed_json_shared_us, deployed_bare_us);
  return sink == 12345.678f ? 2 : 0;
}
