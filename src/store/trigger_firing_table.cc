#include "store/trigger_firing_table.h"

namespace grove::store {

namespace {

#define GROVE_FIRING_COLUMNS                                                                            \
  "SELECT id, trigger_name, identity, path, status, parameters, execution_id, queued_rows, error, " \
  "claimed_at, completed_at FROM trigger_firings "

constexpr const char* kSelectOne = GROVE_FIRING_COLUMNS "WHERE trigger_name = ? AND identity = ?";
constexpr const char* kSelectRecent =
    GROVE_FIRING_COLUMNS "WHERE (? = '' OR trigger_name = ?) ORDER BY claimed_at DESC, rowid DESC LIMIT ?";
constexpr const char* kSelectStatus = GROVE_FIRING_COLUMNS "WHERE status = ? ORDER BY claimed_at, rowid";
#undef GROVE_FIRING_COLUMNS

constexpr const char* kUpsert =
    "INSERT INTO trigger_firings (id, trigger_name, identity, path, status, parameters, execution_id, queued_rows, "
    "error, claimed_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET trigger_name = excluded.trigger_name, identity = excluded.identity, "
    "path = excluded.path, status = excluded.status, parameters = excluded.parameters, "
    "execution_id = excluded.execution_id, queued_rows = excluded.queued_rows, error = excluded.error, "
    "claimed_at = excluded.claimed_at, completed_at = excluded.completed_at";

TriggerFiringRecord FiringFromRow(const Statement& row) {
  TriggerFiringRecord f;
  f.id = row.Text(0);
  f.trigger = row.Text(1);
  f.identity = row.Text(2);
  f.path = row.Text(3);
  f.status = row.Text(4);
  f.parameters = row.JsonValue(5);
  f.execution_id = row.Text(6);
  f.queued_rows = row.Int64(7);
  f.error = row.Text(8);
  f.claimed_at = row.Int64(9);
  f.completed_at = row.Int64(10);
  return f;
}

}  // namespace

Result<std::optional<TriggerFiringRecord>> TriggerFiringTable::Find(const std::string& trigger,
                                                                    const std::string& identity) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectOne));
  select.BindAll(trigger, identity);
  ASSIGN_OR_RETURN(std::vector<TriggerFiringRecord> rows, CollectRows(select, FiringFromRow));
  if (rows.empty()) return std::optional<TriggerFiringRecord>();
  return std::optional<TriggerFiringRecord>(std::move(rows.front()));
}

Result<std::vector<TriggerFiringRecord>> TriggerFiringTable::List(const std::string& trigger, int limit) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectRecent));
  select.BindAll(trigger, trigger, SqlLimit(limit));
  return CollectRows(select, FiringFromRow);
}

Result<std::vector<TriggerFiringRecord>> TriggerFiringTable::ListWithStatus(const std::string& status) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare(kSelectStatus));
  select.BindAll(status);
  return CollectRows(select, FiringFromRow);
}

Status TriggerFiringTable::Put(const TriggerFiringRecord& f) {
  ASSIGN_OR_RETURN(Statement upsert, db_->Prepare(kUpsert));
  return upsert
      .BindAll(f.id, f.trigger, f.identity, f.path, f.status, f.parameters, f.execution_id, f.queued_rows, f.error,
               f.claimed_at, f.completed_at)
      .Run();
}

Status TriggerFiringTable::DeleteOf(const std::string& trigger) {
  ASSIGN_OR_RETURN(Statement del, db_->Prepare("DELETE FROM trigger_firings WHERE trigger_name = ?"));
  return del.BindAll(trigger).Run();
}

}  // namespace grove::store
