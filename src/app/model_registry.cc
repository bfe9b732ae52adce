#include "app/model_registry.h"

#include <cstdio>
#include <utility>

#include "common/file_util.h"
#include "common/tar_gz.h"
#include "ml/sagemaker_model_archive.h"
#include "registry/registry.h"
#include "serving/predictor.h"
#include "store/object_records.h"

namespace grove::app {

Result<std::vector<store::ModelGroupRecord>> ModelRegistry::Groups() { return home_.registry()->Groups(); }

Result<std::vector<store::ModelVersionRecord>> ModelRegistry::Versions(const std::string& group) {
  return home_.registry()->Versions(group);
}

Result<store::ModelVersionRecord> ModelRegistry::Get(const std::string& ref) {
  ASSIGN_OR_RETURN(auto parsed, registry::Registry::ParseVersionRef(ref));
  return home_.registry()->Get(parsed.first, parsed.second);
}

Result<std::string> ModelRegistry::ResolveObject(const std::string& uri) {
  Result<std::string> digest =
      store::ReadValue(*home_.metadata(), [&](store::StoreReader& rows) { return store::ResolveS3Uri(rows, uri); });
  // A malformed URI, or no such bucket or key; anything else is the store's own failure.
  if (digest.status().code() == StatusCode::kNotFound) return Status::NotFound(uri + ": " + digest.status().message());
  if (digest.status().code() == StatusCode::kInvalidArgument) {
    return Status::InvalidArgument(uri + ": " + digest.status().message());
  }
  return digest;
}

Result<ModelFile> ModelRegistry::ResolveModel(const std::string& uri) {
  ModelFile out;
  ASSIGN_OR_RETURN(out.digest, ResolveObject(uri));
  Result<std::filesystem::path> path = home_.artifacts()->LocalPath(out.digest);
  if (!path.ok()) return Status::IOError(uri + ": " + path.status().message());
  std::string bytes;
  if (IsGzipFile(*path)) {
    Result<ml::XgboostBooster> booster = ml::ReadXgboostModelArchive(*path);
    if (!booster.ok()) {
      return Status::InvalidArgument(uri + " is a gzip'd archive but not a model.tar.gz Grove can serve: " +
                                     booster.status().message());
    }
    ASSIGN_OR_RETURN(bytes, booster->Save(ml::XgboostBooster::Format::kJson));
    ASSIGN_OR_RETURN(store::ArtifactRecord unpacked, home_.artifacts()->PutBytes(bytes));
    RETURN_IF_ERROR(home_.metadata()->Transact([&](store::StoreTransaction& txn) { return txn.InsertArtifact(unpacked); }));
    out.archive_digest = std::exchange(out.digest, unpacked.digest);
  } else {
    ASSIGN_OR_RETURN(bytes, ReadFile(*path));
  }
  Result<std::unique_ptr<serving::Predictor>> loaded = serving::LoadPredictor(bytes);
  if (!loaded.ok()) {
    return Status::InvalidArgument(uri + ": Grove cannot serve this model (" + loaded.status().message() +
                                   "); it takes an XGBoost model file (JSON, UBJSON or binary), a model.tar.gz "
                                   "holding xgboost-model, or a grove-model document");
  }
  out.kind = ml::KindOfModelFile(bytes);
  return out;
}

Result<store::ModelVersionRecord> ModelRegistry::Register(const store::ModelVersionRecord& version) {
  return store::TransactValue(*home_.metadata(), [&](store::StoreTransaction& txn) -> Result<store::ModelVersionRecord> {
    ASSIGN_OR_RETURN(std::optional<store::ModelGroupRecord> group, txn.FindModelGroup(version.group));
    if (!group) return Status::NotFound("no model group '" + version.group + "'");
    return home_.registry()->Register(txn, version);
  });
}

Result<store::ModelVersionRecord> ModelRegistry::Approve(const std::string& ref, const std::string& comment,
                                                         const std::string& by) {
  ASSIGN_OR_RETURN(auto parsed, registry::Registry::ParseVersionRef(ref));
  return home_.registry()->Approve(parsed.first, parsed.second, comment, by);
}

Result<store::ModelVersionRecord> ModelRegistry::Reject(const std::string& ref, const std::string& comment,
                                                        const std::string& by) {
  ASSIGN_OR_RETURN(auto parsed, registry::Registry::ParseVersionRef(ref));
  return home_.registry()->Reject(parsed.first, parsed.second, comment, by);
}

Result<EvaluationReport> ModelRegistry::Report(const store::ModelVersionRecord& version) {
  std::string name = store::VersionRef(version.group, version.version);
  if (!version.metrics.is_object() || !version.metrics.contains("model_quality") ||
      !version.metrics["model_quality"].is_string()) {
    return Status::NotFound(name + " has no evaluation report (register it with model_metrics)");
  }
  EvaluationReport out;
  out.digest = version.metrics["model_quality"].get<std::string>();
  Result<std::filesystem::path> path = home_.artifacts()->LocalPath(out.digest);
  if (!path.ok()) return Status::IOError(name + ": evaluation report " + path.status().message());
  ASSIGN_OR_RETURN(std::string text, ReadFile(*path));
  out.report = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out.report.is_discarded()) return Status::IOError(name + ": evaluation report " + out.digest + " is not JSON");
  return out;
}

std::string MetricsSummary(const Json& report) {
  std::string out;
  if (!report.is_object()) return out;
  for (const auto& [section, metrics] : report.items()) {
    if (section == "register_metric" || !metrics.is_object()) continue;
    for (const auto& [name, m] : metrics.items()) {
      if (!m.is_object() || !m.contains("value") || !m["value"].is_number()) continue;
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%s=%.4g", name.c_str(), m["value"].get<double>());
      out += (out.empty() ? "" : " ") + std::string(buf);
    }
  }
  return out;
}

}  // namespace grove::app
