#include "store/resource_table.h"

namespace grove::store {

namespace {

#define GROVE_RESOURCE_COLUMNS "SELECT kind, name, body, created_at, updated_at FROM resources "
constexpr const char* kSelectOne = GROVE_RESOURCE_COLUMNS "WHERE kind = ? AND name = ?";
// The name range [prefix, PrefixEnd(prefix)) holds exactly the names with the prefix, so the primary key
// index answers it without a scan.
constexpr const char* kSelectRange = GROVE_RESOURCE_COLUMNS
    "WHERE kind = ? AND name > ? AND name >= ? AND (? = '' OR name < ?) ORDER BY name LIMIT ?";
#undef GROVE_RESOURCE_COLUMNS

ResourceRecord ResourceFromRow(const Statement& row) {
  return ResourceRecord{row.Text(0), row.Text(1), row.JsonValue(2), row.Int64(3), row.Int64(4)};
}

// The least string greater than every string starting with `prefix` (byte
// order), or "" when there is none (an empty prefix, or only 0xFF bytes).
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

Result<std::optional<ResourceRecord>> ResourceTable::Find(const std::string& kind, const std::string& name) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectOne));
  select.BindAll(kind, name);
  ASSIGN_OR_RETURN(std::vector<ResourceRecord> rows, CollectRows(select, ResourceFromRow));
  if (rows.empty()) return std::optional<ResourceRecord>();
  return std::optional<ResourceRecord>(std::move(rows.front()));
}

Result<std::vector<ResourceRecord>> ResourceTable::List(const std::string& kind, const std::string& prefix,
                                                        const std::string& after, int limit) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectRange));
  const std::string end = PrefixEnd(prefix);
  select.BindAll(kind, after, prefix, end, end, limit > 0 ? int64_t{limit} : int64_t{-1});
  return CollectRows(select, ResourceFromRow);
}

Status ResourceTable::Put(const ResourceRecord& r) {
  ASSIGN_OR_RETURN(Statement upsert,
                   db_->Prepare("INSERT INTO resources (kind, name, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                                "ON CONFLICT (kind, name) DO UPDATE SET body = excluded.body, "
                                "created_at = excluded.created_at, updated_at = excluded.updated_at"));
  return upsert.BindAll(r.kind, r.name, r.body, r.created_at, r.updated_at).Run();
}

Result<bool> ResourceTable::Delete(const std::string& kind, const std::string& name) {
  ASSIGN_OR_RETURN(Statement del, db_->Prepare("DELETE FROM resources WHERE kind = ? AND name = ?"));
  RETURN_IF_ERROR(del.BindAll(kind, name).Run());
  return del.Changes() > 0;
}

}  // namespace grove::store
