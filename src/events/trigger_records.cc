#include "events/trigger_records.h"

#include "store/trigger_firing_records.h"

namespace grove::events {

namespace {

Result<std::optional<store::ResourceRecord>> Find(store::StoreReader& rows, const std::string& name) {
  return rows.FindResource(kTriggerKind, name);
}

Status NotFoundTrigger(store::StoreReader& rows, const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all, rows.ListResources(kTriggerKind, "", "", 0));
  std::string names;
  for (const store::ResourceRecord& r : all) names += (names.empty() ? "" : ", ") + r.name;
  return Status::NotFound("no trigger '" + name + "' (" + (names.empty() ? "there are none" : "triggers: " + names) +
                          ")");
}

Status Put(store::StoreTransaction& txn, const TriggerSpec& spec, TimeMs created_at, TimeMs now) {
  return txn.PutResource({kTriggerKind, spec.name, ToJson(spec), created_at, now});
}

Result<TriggerSpec> FromRecord(const store::ResourceRecord& record) {
  Result<TriggerSpec> spec = TriggerSpecFromJson(record.body);
  if (!spec.ok()) return spec.status().WithContext("stored trigger " + record.name);
  return spec;
}

}  // namespace

Status CreateTrigger(store::MetadataStore& metadata, const TriggerSpec& spec) {
  RETURN_IF_ERROR(CheckTriggerSpec(spec));
  return metadata.Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(auto existing, Find(txn, spec.name));
    if (existing) {
      return Status::AlreadyExists("trigger '" + spec.name + "' exists (from " + existing->body.value("source", "") +
                                   "); delete it first or choose another name");
    }
    const TimeMs now = metadata.clock()->Now();
    return Put(txn, spec, now, now);
  });
}

Status UpsertTrigger(store::MetadataStore& metadata, TriggerSpec spec) {
  return metadata.Transact([&](store::StoreTransaction& txn) -> Status {
    return UpsertTrigger(txn, spec, metadata.clock()->Now());
  });
}

Status UpsertTrigger(store::StoreTransaction& txn, TriggerSpec spec, TimeMs now) {
  RETURN_IF_ERROR(CheckTriggerSpec(spec));
  ASSIGN_OR_RETURN(auto existing, Find(txn, spec.name));
  if (existing) spec.paused = spec.paused || existing->body.value("paused", false);
  return Put(txn, spec, existing ? existing->created_at : now, now);
}

Result<TriggerSpec> GetTrigger(store::MetadataStore& metadata, const std::string& name) {
  return store::ReadValue(metadata, [&](store::StoreReader& rows) -> Result<TriggerSpec> {
    ASSIGN_OR_RETURN(auto record, Find(rows, name));
    if (!record) return NotFoundTrigger(rows, name);
    return FromRecord(*record);
  });
}

Result<std::vector<TriggerSpec>> ListTriggers(store::MetadataStore& metadata) {
  return store::ReadValue(metadata, [&](store::StoreReader& rows) -> Result<std::vector<TriggerSpec>> {
    ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all, rows.ListResources(kTriggerKind, "", "", 0));
    std::vector<TriggerSpec> specs;
    for (const store::ResourceRecord& r : all) {
      ASSIGN_OR_RETURN(TriggerSpec spec, FromRecord(r));
      specs.push_back(std::move(spec));
    }
    return specs;
  });
}

Result<TriggerSpec> SetTriggerPaused(store::MetadataStore& metadata, const std::string& name, bool paused) {
  return store::TransactValue(metadata, [&](store::StoreTransaction& txn) -> Result<TriggerSpec> {
    ASSIGN_OR_RETURN(auto record, Find(txn, name));
    if (!record) return NotFoundTrigger(txn, name);
    ASSIGN_OR_RETURN(TriggerSpec spec, FromRecord(*record));
    spec.paused = paused;
    RETURN_IF_ERROR(Put(txn, spec, record->created_at, metadata.clock()->Now()));
    return spec;
  });
}

Status DeleteTrigger(store::MetadataStore& metadata, const std::string& name) {
  return metadata.Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(bool deleted, txn.DeleteResource(kTriggerKind, name));
    if (!deleted) return NotFoundTrigger(txn, name);
    return Status::OK();
  });
}

Json FiringJson(const store::TriggerFiringRecord& f) {
  Json out = {{"id", f.id},         {"trigger", f.trigger},   {"path", f.path},
              {"identity", f.identity}, {"status", f.status}, {"parameters", f.parameters},
              {"claimed_at", FormatIso8601(f.claimed_at)}};
  if (!f.execution_id.empty()) out["execution_id"] = f.execution_id;
  if (f.status == store::kFiringQueued) out["queued_rows"] = f.queued_rows;
  if (!f.error.empty()) out["error"] = f.error;
  if (f.completed_at > 0) out["completed_at"] = FormatIso8601(f.completed_at);
  return out;
}

Result<Json> TriggerView(store::MetadataStore& metadata, const std::string& name, int firings) {
  return store::ReadValue(metadata, [&](store::StoreReader& rows) -> Result<Json> {
    ASSIGN_OR_RETURN(auto record, Find(rows, name));
    if (!record) return NotFoundTrigger(rows, name);
    ASSIGN_OR_RETURN(TriggerSpec spec, FromRecord(*record));
    Json out = ToJson(spec);
    out["created_at"] = FormatIso8601(record->created_at);
    out["updated_at"] = FormatIso8601(record->updated_at);
    if (firings >= 0) {
      ASSIGN_OR_RETURN(std::vector<store::TriggerFiringRecord> recent, store::ListRecentFirings(rows, name, firings));
      out["firings"] = Json::array();
      for (const store::TriggerFiringRecord& f : recent) out["firings"].push_back(FiringJson(f));
    }
    return out;
  });
}

}  // namespace grove::events
