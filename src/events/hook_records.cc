#include "events/hook_records.h"

#include <openssl/rand.h>

#include <cstdio>

#include "events/event_follower.h"
#include "events/event_types.h"

namespace grove::events {

namespace {

constexpr size_t kHistoryKept = 50;

// 32 random bytes as hex.
Result<std::string> NewSecret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return Status::Internal("the random generator failed");
  std::string out;
  char hex[3];
  for (unsigned char b : bytes) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    out += hex;
  }
  return out;
}

Result<HookRecord> HookFromResource(const store::ResourceRecord& r) {
  std::string field;
  Result<HookSpec> spec = HookSpecFromJson(r.name, r.body.value("spec", Json::object()), &field);
  if (!spec.ok()) return spec.status().WithContext("stored hook " + r.name);
  HookRecord hook;
  hook.spec = std::move(*spec);
  hook.secret = r.body.value("secret", "");
  hook.cursor = r.body.value("cursor", int64_t{0});
  hook.created_at = r.created_at;
  hook.updated_at = r.updated_at;
  return hook;
}

Result<HookDelivery> DeliveryFromResource(const std::string& hook, const store::ResourceRecord& r) {
  const Json& b = r.body;
  if (!b.is_object() || !b.contains("seq")) {
    return Status::Internal("stored delivery " + r.kind + " " + r.name + " has no seq");
  }
  HookDelivery d;
  d.hook = hook;
  d.seq = b.value("seq", int64_t{0});
  d.id = b.value("id", "");
  d.event = b.value("event", Json::object());
  d.status = b.value("status", kDeliveryPending);
  d.attempts = b.value("attempts", 0);
  d.next_at = b.value("next_at", TimeMs{0});
  for (const Json& a : b.value("history", Json::array())) {
    d.history.push_back({a.value("at", TimeMs{0}), a.value("ok", false), a.value("outcome", ""), a.value("detail", "")});
  }
  d.created_at = r.created_at;
  d.updated_at = r.updated_at;
  return d;
}

Json StoredBody(const HookDelivery& d) {
  Json history = Json::array();
  for (const HookAttempt& a : d.history) {
    history.push_back({{"at", a.at}, {"ok", a.ok}, {"outcome", a.outcome}, {"detail", a.detail}});
  }
  return {{"seq", d.seq},           {"id", d.id},           {"event", d.event}, {"status", d.status},
          {"attempts", d.attempts}, {"next_at", d.next_at}, {"history", history}};
}

std::string DueName(const std::string& hook, int64_t seq) { return hook + "/" + DeliveryName(seq); }

// A delivery for event `seq` of the log, when it has a public form.
Result<std::optional<HookDelivery>> DeliveryOfEvent(store::StoreReader& rows, const std::string& hook, int64_t seq) {
  ASSIGN_OR_RETURN(std::vector<store::EventRecord> events, rows.ListEvents(seq - 1, 1));
  if (events.empty() || events.front().seq != seq) return std::optional<HookDelivery>();
  std::optional<Json> event = ToPublicEvent(events.front(), &rows);
  if (!event) return std::optional<HookDelivery>();
  ASSIGN_OR_RETURN(HookDelivery d, NewDelivery(hook, seq, std::move(*event)));
  return std::optional<HookDelivery>(std::move(d));
}

}  // namespace

Status PutHook(store::StoreTransaction& txn, const HookSpec& spec, TimeMs now) {
  ASSIGN_OR_RETURN(std::optional<HookRecord> existing, FindHookRecord(txn, spec.name));
  HookRecord hook;
  if (existing) {
    hook = std::move(*existing);
  } else {
    ASSIGN_OR_RETURN(hook.cursor, LatestEventSeq(txn));
    hook.created_at = now;
  }
  hook.spec = spec;
  hook.updated_at = now;
  const bool signs = !spec.webhook.empty() && spec.secret_env.empty();
  if (signs && hook.secret.empty()) {
    ASSIGN_OR_RETURN(hook.secret, NewSecret());
  }
  if (!signs) hook.secret.clear();
  return PutHookRecord(txn, hook);
}

Result<bool> DeleteHook(store::StoreTransaction& txn, const std::string& name) {
  ASSIGN_OR_RETURN(bool deleted, txn.DeleteResource(kHookKind, name));
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> deliveries, txn.ListResources(DeliveryKind(name), "", "", 0));
  for (const store::ResourceRecord& r : deliveries) RETURN_IF_ERROR(txn.DeleteResource(r.kind, r.name).status());
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> due, txn.ListResources(kHookDueKind, name + "/", "", 0));
  for (const store::ResourceRecord& r : due) RETURN_IF_ERROR(txn.DeleteResource(r.kind, r.name).status());
  return deleted;
}

Result<std::vector<HookSpec>> ListHooks(store::StoreReader& rows) {
  ASSIGN_OR_RETURN(std::vector<HookRecord> hooks, ListHookRecords(rows));
  std::vector<HookSpec> specs;
  for (HookRecord& h : hooks) specs.push_back(std::move(h.spec));
  return specs;
}

Result<std::optional<HookRecord>> FindHookRecord(store::StoreReader& rows, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> r, rows.FindResource(kHookKind, name));
  if (!r) return std::optional<HookRecord>();
  ASSIGN_OR_RETURN(HookRecord hook, HookFromResource(*r));
  return std::optional<HookRecord>(std::move(hook));
}

Result<std::vector<HookRecord>> ListHookRecords(store::StoreReader& rows) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all, rows.ListResources(kHookKind, "", "", 0));
  std::vector<HookRecord> hooks;
  for (const store::ResourceRecord& r : all) {
    ASSIGN_OR_RETURN(HookRecord hook, HookFromResource(r));
    hooks.push_back(std::move(hook));
  }
  return hooks;
}

Status PutHookRecord(store::StoreTransaction& txn, const HookRecord& hook) {
  Json body = {{"spec", ToJson(hook.spec)}, {"cursor", hook.cursor}};
  if (!hook.secret.empty()) body["secret"] = hook.secret;
  return txn.PutResource({kHookKind, hook.spec.name, body, hook.created_at, hook.updated_at});
}

Status NoSuchHook(store::StoreReader& rows, const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all, rows.ListResources(kHookKind, "", "", 0));
  std::string names;
  for (const store::ResourceRecord& r : all) names += (names.empty() ? "" : ", ") + r.name;
  return Status::NotFound("no hook '" + name + "' (" + (names.empty() ? "there are none" : "hooks: " + names) + ")");
}

Result<HookDelivery> NewDelivery(const std::string& hook, int64_t seq, Json event) {
  ASSIGN_OR_RETURN(std::string id, NewSecret());
  HookDelivery d;
  d.hook = hook;
  d.seq = seq;
  d.id = id.substr(0, 24);
  d.event = std::move(event);
  return d;
}

std::string DeliveryKind(const std::string& hook) { return "hook-delivery/" + hook; }

std::string DeliveryName(int64_t seq) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%020lld", static_cast<long long>(seq));
  return buffer;
}

Result<std::optional<HookDelivery>> FindDelivery(store::StoreReader& rows, const std::string& hook, int64_t seq) {
  ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> r, rows.FindResource(DeliveryKind(hook), DeliveryName(seq)));
  if (!r) return std::optional<HookDelivery>();
  ASSIGN_OR_RETURN(HookDelivery d, DeliveryFromResource(hook, *r));
  return std::optional<HookDelivery>(std::move(d));
}

Result<std::vector<HookDelivery>> ListDeliveries(store::StoreReader& rows, const std::string& hook,
                                                 const std::string& status) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all, rows.ListResources(DeliveryKind(hook), "", "", 0));
  std::vector<HookDelivery> out;
  for (const store::ResourceRecord& r : all) {
    ASSIGN_OR_RETURN(HookDelivery d, DeliveryFromResource(hook, r));
    if (status.empty() || d.status == status) out.push_back(std::move(d));
  }
  return out;
}

Result<std::vector<int64_t>> ListDueSeqs(store::StoreReader& rows, const std::string& hook) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> due, rows.ListResources(kHookDueKind, hook + "/", "", 0));
  std::vector<int64_t> seqs;
  for (const store::ResourceRecord& r : due) seqs.push_back(std::strtoll(r.name.c_str() + hook.size() + 1, nullptr, 10));
  return seqs;
}

Status PutDelivery(store::StoreTransaction& txn, const HookDelivery& delivery, TimeMs now) {
  HookDelivery d = delivery;
  if (d.history.size() > kHistoryKept) d.history.erase(d.history.begin(), d.history.end() - kHistoryKept);
  RETURN_IF_ERROR(txn.PutResource(
      {DeliveryKind(d.hook), DeliveryName(d.seq), StoredBody(d), d.created_at == 0 ? now : d.created_at, now}));
  if (d.status == kDeliveryPending) {
    return txn.PutResource({kHookDueKind, DueName(d.hook, d.seq), Json::object(), now, now});
  }
  return txn.DeleteResource(kHookDueKind, DueName(d.hook, d.seq)).status();
}

Json ToJson(const HookDelivery& d) {
  Json history = Json::array();
  for (const HookAttempt& a : d.history) {
    Json attempt = {{"at", FormatIso8601(a.at)}, {"ok", a.ok}, {"outcome", a.outcome}};
    if (!a.detail.empty()) attempt["detail"] = a.detail;
    history.push_back(std::move(attempt));
  }
  Json out = {{"hook", d.hook},         {"seq", d.seq},           {"id", d.id},
              {"type", d.event.value("type", "")}, {"subject", d.event.value("subject", "")},
              {"status", d.status},     {"attempts", d.attempts}, {"created_at", FormatIso8601(d.created_at)},
              {"updated_at", FormatIso8601(d.updated_at)}};
  if (d.status == kDeliveryPending) out["next_at"] = FormatIso8601(d.next_at);
  out["history"] = std::move(history);
  out["event"] = d.event;
  return out;
}

Result<HookRecord> CreateHook(store::MetadataStore& metadata, const HookSpec& spec) {
  return store::TransactValue(metadata, [&](store::StoreTransaction& txn) -> Result<HookRecord> {
    ASSIGN_OR_RETURN(std::optional<HookRecord> existing, FindHookRecord(txn, spec.name));
    if (existing) {
      return Status::AlreadyExists("hook '" + spec.name + "' exists; delete it first or choose another name");
    }
    RETURN_IF_ERROR(PutHook(txn, spec, metadata.clock()->Now()));
    ASSIGN_OR_RETURN(std::optional<HookRecord> made, FindHookRecord(txn, spec.name));
    return *made;
  });
}

Result<HookRecord> GetHook(store::MetadataStore& metadata, const std::string& name) {
  return store::ReadValue(metadata, [&](store::StoreReader& rows) -> Result<HookRecord> {
    ASSIGN_OR_RETURN(std::optional<HookRecord> hook, FindHookRecord(rows, name));
    if (!hook) return NoSuchHook(rows, name);
    return *hook;
  });
}

Status RemoveHook(store::MetadataStore& metadata, const std::string& name) {
  return metadata.Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(bool deleted, DeleteHook(txn, name));
    return deleted ? Status::OK() : NoSuchHook(txn, name);
  });
}

Result<Json> HookView(store::MetadataStore& metadata, const std::string& name, bool show_secret) {
  return store::ReadValue(metadata, [&](store::StoreReader& rows) -> Result<Json> {
    ASSIGN_OR_RETURN(std::optional<HookRecord> hook, FindHookRecord(rows, name));
    if (!hook) return NoSuchHook(rows, name);
    Json out = {{"name", name}};
    const Json spec = ToJson(hook->spec);
    for (const auto& [k, v] : spec.items()) out[k] = v;
    out["max_attempts"] = hook->spec.max_attempts;
    out["cursor"] = hook->cursor;
    out["created_at"] = FormatIso8601(hook->created_at);
    out["updated_at"] = FormatIso8601(hook->updated_at);
    ASSIGN_OR_RETURN(std::vector<HookDelivery> all, ListDeliveries(rows, name, ""));
    Json counts = {{kDeliveryPending, 0}, {kDeliveryDelivered, 0}, {kDeliveryDead, 0}};
    for (const HookDelivery& d : all) counts[d.status] = counts.value(d.status, 0) + 1;
    out["deliveries"] = counts;
    if (show_secret && !hook->secret.empty()) out["secret"] = hook->secret;
    return out;
  });
}

Result<int> ReplayDeliveries(store::MetadataStore& metadata, const std::string& hook, int64_t seq) {
  return store::TransactValue(metadata, [&](store::StoreTransaction& txn) -> Result<int> {
    ASSIGN_OR_RETURN(std::optional<HookRecord> found, FindHookRecord(txn, hook));
    if (!found) return NoSuchHook(txn, hook);
    std::vector<HookDelivery> chosen;
    if (seq > 0) {
      ASSIGN_OR_RETURN(std::optional<HookDelivery> d, FindDelivery(txn, hook, seq));
      if (!d) {
        ASSIGN_OR_RETURN(d, DeliveryOfEvent(txn, hook, seq));
      }
      if (!d) return Status::NotFound("hook " + hook + ": no event " + std::to_string(seq) + " with a public type");
      chosen.push_back(std::move(*d));
    } else {
      ASSIGN_OR_RETURN(chosen, ListDeliveries(txn, hook, kDeliveryDead));
    }
    const TimeMs now = metadata.clock()->Now();
    for (HookDelivery& d : chosen) {
      d.status = kDeliveryPending;
      d.attempts = 0;
      d.next_at = now;
      RETURN_IF_ERROR(PutDelivery(txn, d, now));
    }
    return static_cast<int>(chosen.size());
  });
}

}  // namespace grove::events
