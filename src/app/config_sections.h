#pragma once

// The sections of a configuration file (grove.yaml, docs/configuration.md):
// what each declares, in one canonical JSON form per entry, and how each is
// read from the store, written, and removed. configuration.h diffs and
// applies them; config_document.h reads the file into them.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "store/store_transaction.h"

namespace grove::app {

class Home;

// What a section's write needs besides the transaction.
struct ConfigWrite {
  Home& home;
  store::StoreTransaction& txn;
  TimeMs now = 0;
  std::string by;      // Who applies, recorded with pins and approvals.
  std::string source;  // The file's name, recorded as the source of what it declares.
  Json* created_keys;  // Access keys made, with their secrets: [{name, access_key_id, secret_access_key, role}].
};

struct ConfigSection {
  const char* name;  // The file's key, e.g. "endpoints".
  const char* noun;  // One entry, e.g. "endpoint".

  // The entry `name` declared as `declared` (the file's JSON), in canonical
  // form; relative paths are resolved against `base` and files read. Idempotent
  // on its own output. On error `*field` names the member at fault, a
  // '/'-separated path within `declared` ("" for the entry itself).
  Result<Json> (*canonical)(const std::string& name, const Json& declared, const std::filesystem::path& base,
                            std::string* field);
  // Every entry the store holds, in canonical form; Grove's own entries (the
  // first start's admin key, the steps' key) are left out.
  Result<std::map<std::string, Json>> (*current)(store::StoreReader& rows);
  // What differs between a declared and a current entry, one line each
  // ("follow: [a] -> [a, b]"); empty when they are the same.
  std::vector<std::string> (*differences)(const Json& declared, const Json& current);
  // Creates (`exists` false) or changes the entry.
  Status (*put)(ConfigWrite& write, const std::string& name, const Json& declared, bool exists);
  Status (*remove)(ConfigWrite& write, const std::string& name);
  // The entry as a configuration file writes it (defaults left out).
  Json (*exported)(const Json& current);
};

// In the order they are applied; removals go in the reverse order.
const std::vector<ConfigSection>& ConfigSections();

// The sections of what reacts to events, in config_automation_sections.cc.
ConfigSection PromotionsSection();
ConfigSection TriggersSection();
ConfigSection HooksSection();

// The file `name` names, relative to `base`. A document that came as JSON (ConfigDocumentFromJson: a client's,
// sent to a server) has no `base` (empty): its files were read by the client, and a path in it is refused
// rather than read from the server's disk.
Result<std::string> ReadNamedFile(const std::filesystem::path& base, const std::string& name);

// For the sections' rules: an error about member `member` of an entry (sets
// *field); that `declared` is a mapping with only `allowed` members; the
// top-level members that differ, as "member: old -> new".
Status FieldError(std::string* field, const std::string& member, const std::string& message);
Status CheckMembers(const Json& declared, const std::vector<std::string>& allowed, std::string* field);
std::vector<std::string> MemberDifferences(const Json& declared, const Json& current);
// An entry exported as the store holds it.
Json AsStored(const Json& current);

}  // namespace grove::app
