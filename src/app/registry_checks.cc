#include <optional>
#include <vector>

#include "app/record_checks.h"
#include "registry/traffic.h"
#include "serving/endpoint_resolution.h"
#include "store/local_artifact_store.h"

namespace grove::app {

namespace {

std::string Table(const std::string& where, const char* table) { return where + ", table " + table; }

// The model, the fitted transform and the attached metrics documents of `v`.
Status CheckVersionArtifacts(store::StoreReader& rows, const store::ModelVersionRecord& v, const std::string& where,
                             DoctorReport* report) {
  const std::string name = "model version " + store::VersionRef(v.group, v.version);
  const std::string table = Table(where, "model_versions");
  if (!v.model_digest.empty()) {
    RETURN_IF_ERROR(CheckRecorded(rows, v.model_digest, "the model of " + name, table, report));
  }
  if (v.metadata.is_object() && v.metadata.contains("transform") && v.metadata["transform"].is_string()) {
    RETURN_IF_ERROR(CheckRecorded(rows, v.metadata["transform"].get<std::string>(), "the transform of " + name, table,
                                  report));
  }
  if (!v.metrics.is_object()) return Status::OK();
  for (const auto& [document, digest] : v.metrics.items()) {
    if (!digest.is_string() || !store::IsSha256Digest(digest.get<std::string>())) continue;
    RETURN_IF_ERROR(CheckRecorded(rows, digest.get<std::string>(), document + " of " + name, table, report));
  }
  return Status::OK();
}

Status CheckGroups(store::StoreReader& rows, const std::vector<store::ModelGroupRecord>& groups,
                   const std::string& where, DoctorReport* report) {
  for (const store::ModelGroupRecord& group : groups) {
    ASSIGN_OR_RETURN(std::vector<store::ModelVersionRecord> versions, rows.ListModelVersions(group.name));
    report->checked["model versions"] += static_cast<int64_t>(versions.size());
    for (size_t i = 0; i < versions.size(); ++i) {
      const store::ModelVersionRecord& v = versions[i];
      int expected = static_cast<int>(i) + 1;
      if (v.version != expected) {
        report->Add("model-version-gap", Severity::kLost,
                    "model group " + group.name + " has version " + std::to_string(v.version) + " where " +
                        std::to_string(expected) + " was expected (versions are numbered 1, 2, 3, ... without gaps)",
                    Table(where, "model_versions"));
      }
      if (!store::IsApprovalStatus(v.approval_status)) {
        report->Add("model-approval-unknown", Severity::kLost,
                    "model version " + store::VersionRef(v.group, v.version) + " has the unknown approval status '" +
                        v.approval_status + "'",
                    Table(where, "model_versions"));
      }
      RETURN_IF_ERROR(CheckVersionArtifacts(rows, v, where, report));
    }
  }
  return Status::OK();
}

// Adds `kind` (lost) when group/version does not exist. Returns the version when it does.
Result<std::optional<store::ModelVersionRecord>> RequireVersion(store::StoreReader& rows, const std::string& group,
                                                                int version, const char* kind, const std::string& what,
                                                                const std::string& where, DoctorReport* report) {
  ASSIGN_OR_RETURN(std::optional<store::ModelVersionRecord> found, rows.FindModelVersion(group, version));
  if (!found) {
    report->Add(kind, Severity::kLost, what + " names model version " + store::VersionRef(group, version) +
                                           ", which does not exist", where);
  }
  return found;
}

Status CheckEndpoints(store::StoreReader& rows, const std::vector<store::ModelGroupRecord>& groups,
                      const std::string& where, DoctorReport* report) {
  ASSIGN_OR_RETURN(std::vector<store::EndpointRecord> endpoints, rows.ListEndpoints());
  report->checked["endpoints"] += static_cast<int64_t>(endpoints.size());
  for (const store::EndpointRecord& endpoint : endpoints) {
    const std::string name = "endpoint " + endpoint.name;
    for (const store::EndpointDeployment& d : endpoint.deployments) {
      RETURN_IF_ERROR(RequireVersion(rows, d.group, d.version, "endpoint-pin-missing", name + "'s deployment",
                                     Table(where, "endpoint_deployments"), report)
                          .status());
    }
    for (const std::string& pattern : endpoint.follow) {
      bool matched = false;
      for (const store::ModelGroupRecord& g : groups) matched = matched || serving::MatchesPattern(pattern, g.name);
      if (!matched) {
        report->Add("endpoint-follows-nothing", Severity::kWarning,
                    name + " follows '" + pattern + "', which matches no model group (yet)", Table(where, "endpoints"));
      }
    }
    ASSIGN_OR_RETURN(std::vector<store::PromotionRecord> promotions, rows.ListPromotions(endpoint.name));
    for (const store::PromotionRecord& p : promotions) {
      if (p.target != endpoint.name) continue;  // Listed under its target once.
      for (const store::EndpointDeployment& m : p.models) {
        RETURN_IF_ERROR(RequireVersion(rows, m.group, m.version, "promotion-version-missing",
                                       "promotion " + std::to_string(p.id) + " to " + endpoint.name,
                                       Table(where, "endpoint_promotions"), report)
                            .status());
      }
    }
  }
  return Status::OK();
}

Status CheckTraffic(store::StoreReader& rows, const std::string& where, DoctorReport* report) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> docs, rows.ListResources(registry::kTrafficKind, "", "", 0));
  const std::string table = where + ", table resources (kind " + registry::kTrafficKind + ")";
  for (const store::ResourceRecord& doc : docs) {
    const std::string name = "the variants of endpoint " + doc.name;
    ASSIGN_OR_RETURN(std::optional<store::EndpointRecord> endpoint, rows.FindEndpoint(doc.name));
    if (!endpoint) {
      report->Add("traffic-without-endpoint", Severity::kLost, name + " remain, but the endpoint does not exist", table);
    }
    Result<registry::TrafficSpec> traffic = registry::TrafficFromJson(doc.body);
    if (!traffic.ok()) {
      report->Add("traffic-invalid", Severity::kLost, name + " cannot be read: " + traffic.status().message(), table);
      continue;
    }
    for (const registry::VariantSpec& variant : traffic->variants) {
      ASSIGN_OR_RETURN(std::optional<store::ModelVersionRecord> v,
                       RequireVersion(rows, variant.group, variant.version, "traffic-version-missing",
                                      "variant " + variant.name + " of endpoint " + doc.name, table, report));
      if (v && v->approval_status != store::kApproved) {
        report->Add("traffic-version-not-approved", Severity::kWarning,
                    "variant " + variant.name + " of endpoint " + doc.name + " names " +
                        store::VersionRef(v->group, v->version) + ", now " + v->approval_status +
                        " (only Approved versions take traffic)",
                    table);
      }
    }
  }
  return Status::OK();
}

}  // namespace

Status CheckRegistry(store::StoreReader& rows, const std::string& where, DoctorReport* report) {
  ASSIGN_OR_RETURN(std::vector<store::ModelGroupRecord> groups, rows.ListModelGroups());
  report->checked["model groups"] += static_cast<int64_t>(groups.size());
  RETURN_IF_ERROR(CheckGroups(rows, groups, where, report));
  RETURN_IF_ERROR(CheckEndpoints(rows, groups, where, report));
  return CheckTraffic(rows, where, report);
}

}  // namespace grove::app
