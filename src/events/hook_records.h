#pragma once

// The hooks Grove keeps, with their delivery state, over the metadata
// store's resource table, so `grove hook`, `grove apply` and a server share
// them.
//
// Rows (ResourceRecord kind -> name: body):
//   "hook" -> name: {spec: ToJson(HookSpec), secret, cursor}
//       secret: a webhook's signing key (generated; none with secret_env);
//       cursor: the seq of the last event the hook has looked at (a new hook
//       starts at the log's end: it does not replay history).
//   "hook-delivery/<hook>" -> zero-padded event seq: one matching event's delivery (HookDelivery).
//   "hook-due" -> "<hook>/<zero-padded seq>": {} while that delivery is pending, so a
//       server finds the work without reading every delivery ever made.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "events/hook_spec.h"
#include "store/metadata_store.h"
#include "store/store_transaction.h"

namespace grove::events {

inline constexpr const char* kHookKind = "hook";
inline constexpr const char* kHookDueKind = "hook-due";
inline constexpr const char* kDeliveryPending = "pending";
inline constexpr const char* kDeliveryDelivered = "delivered";
inline constexpr const char* kDeliveryDead = "dead";

// A hook with its state.
struct HookRecord {
  HookSpec spec;
  std::string secret;  // Empty unless a webhook without secret_env.
  int64_t cursor = 0;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// One attempt at a delivery's target.
struct HookAttempt {
  TimeMs at = 0;
  bool ok = false;
  std::string outcome;  // E.g. "HTTP 200", "exit 0", "SMTP 250", "execution abc123", "timed out after 30 s".
  std::string detail;   // The first bytes of the response, the output's tail, the error.
};

// One (hook, event): delivered at least once, with retries, or dead after max_attempts.
struct HookDelivery {
  std::string hook;
  int64_t seq = 0;
  std::string id;  // Stable across retries and replays: receivers deduplicate on it.
  Json event;      // The public event (events/event_types.h).
  std::string status = kDeliveryPending;
  int attempts = 0;   // Since it was created or last replayed.
  TimeMs next_at = 0;  // When a pending delivery is due.
  std::vector<HookAttempt> history;  // Every attempt, oldest first (the newest 50).
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
};

// Create or replace; keeps its secret, its cursor and deliveries.
Status PutHook(store::StoreTransaction& txn, const HookSpec& spec, TimeMs now);
// Deletes the hook and its deliveries; false when there was none.
Result<bool> DeleteHook(store::StoreTransaction& txn, const std::string& name);
// By name.
Result<std::vector<HookSpec>> ListHooks(store::StoreReader& rows);

// The same with state.
Result<std::optional<HookRecord>> FindHookRecord(store::StoreReader& rows, const std::string& name);
Result<std::vector<HookRecord>> ListHookRecords(store::StoreReader& rows);
Status PutHookRecord(store::StoreTransaction& txn, const HookRecord& hook);
// NotFound naming the hooks there are.
Status NoSuchHook(store::StoreReader& rows, const std::string& name);

// A pending delivery of `event` (seq `seq`) with a new random id, due at once.
Result<HookDelivery> NewDelivery(const std::string& hook, int64_t seq, Json event);
std::string DeliveryKind(const std::string& hook);
std::string DeliveryName(int64_t seq);
Result<std::optional<HookDelivery>> FindDelivery(store::StoreReader& rows, const std::string& hook, int64_t seq);
// A hook's deliveries by seq; only those with `status` unless it is empty.
Result<std::vector<HookDelivery>> ListDeliveries(store::StoreReader& rows, const std::string& hook,
                                                 const std::string& status);
// The seqs of a hook's pending deliveries, in order.
Result<std::vector<int64_t>> ListDueSeqs(store::StoreReader& rows, const std::string& hook);
// Writes the delivery and keeps the due index in step with its status.
Status PutDelivery(store::StoreTransaction& txn, const HookDelivery& delivery, TimeMs now);

Json ToJson(const HookDelivery& delivery);

// --- For the CLI, on a MetadataStore. ---------------------------------------
// Creates the hook; AlreadyExists when the name is taken. Returns its record (with the new secret).
Result<HookRecord> CreateHook(store::MetadataStore& metadata, const HookSpec& spec);
Result<HookRecord> GetHook(store::MetadataStore& metadata, const std::string& name);
// NotFound when there is none.
Status RemoveHook(store::MetadataStore& metadata, const std::string& name);
// {name, spec fields..., cursor, created_at, updated_at, deliveries: {pending, delivered, dead}} and, with
// `show_secret`, the secret.
Result<Json> HookView(store::MetadataStore& metadata, const std::string& name, bool show_secret);
// Makes deliveries pending again, due now, with a fresh attempt count: the one of `seq`, or (seq 0) every
// dead one. NotFound when the hook or the delivery does not exist. Returns how many.
Result<int> ReplayDeliveries(store::MetadataStore& metadata, const std::string& hook, int64_t seq);

}  // namespace grove::events
