#pragma once

// The triggers Grove keeps, over the metadata store's resource table, so a
// server picks up what `grove trigger create` or the REST API made, and
// their views with recent firings.
//
// Rows (ResourceRecord kind -> name):
//   "trigger" -> the trigger's name; body ToJson(TriggerSpec)

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "events/trigger_spec.h"
#include "store/metadata_store.h"

namespace grove::events {

inline constexpr const char* kTriggerKind = "trigger";

// Creates the trigger after CheckTriggerSpec. AlreadyExists when the name is taken.
Status CreateTrigger(store::MetadataStore& metadata, const TriggerSpec& spec);
// Creates or replaces the trigger (a triggers file's, loaded at server
// start); a trigger paused before stays paused.
Status UpsertTrigger(store::MetadataStore& metadata, TriggerSpec spec);
// The same inside the caller's transaction (grove apply).
Status UpsertTrigger(store::StoreTransaction& txn, TriggerSpec spec, TimeMs now);
// NotFound naming the triggers there are.
Result<TriggerSpec> GetTrigger(store::MetadataStore& metadata, const std::string& name);
// By name.
Result<std::vector<TriggerSpec>> ListTriggers(store::MetadataStore& metadata);
Result<TriggerSpec> SetTriggerPaused(store::MetadataStore& metadata, const std::string& name, bool paused);
// Its firings stay, so a trigger created again under the name does not fire
// again for what already fired. NotFound when there is none.
Status DeleteTrigger(store::MetadataStore& metadata, const std::string& name);

// {name, watch|schedule, ..., paused, source, created_at, updated_at} and,
// with `firings` >= 0, "firings": the newest that many (all when 0).
Result<Json> TriggerView(store::MetadataStore& metadata, const std::string& name, int firings);
Json FiringJson(const store::TriggerFiringRecord& firing);

}  // namespace grove::events
