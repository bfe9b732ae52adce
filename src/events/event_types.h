#pragma once

// The public event types hooks match on (docs/events.md): names users write
// in `on:`, derived from the stored event kinds of store/records.h. A public
// event is one JSON object, {type, seq, at, subject} plus the stored payload's
// fields flattened beside them, so `where:` matches fields by name.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "store/records.h"
#include "store/store_transaction.h"

namespace grove::events {

inline constexpr const char* kEventQualityViolation = "quality.violation";
inline constexpr const char* kEventEndpointUpdated = "endpoint.updated";

// Every public type, sorted (promotion.* kinds appended by others are public as they are).
const std::vector<std::string>& PublicEventTypes();

// The public type of a stored event; nullopt when it has none (e.g. step.status,
// an execution going to Executing, an approval back to pending).
std::optional<std::string> PublicTypeOf(const store::EventRecord& event);

// The public event, or nullopt. With `rows`, an execution's events also carry
// the execution's pipeline (their payloads do not always hold it).
std::optional<Json> ToPublicEvent(const store::EventRecord& event, store::StoreReader* rows);

// Shell-style glob over the whole text: `*` any characters, `?` one.
bool GlobMatch(std::string_view pattern, std::string_view text);

// Whether `on` (an event type or a glob) could match any public type; an
// exact name under "promotion." counts, whatever follows.
bool IsKnownEventPattern(const std::string& on);

// The value of `field` in a public event as text for matching ("" when absent;
// numbers and booleans as JSON writes them).
std::string FieldText(const Json& event, const std::string& field);

}  // namespace grove::events
