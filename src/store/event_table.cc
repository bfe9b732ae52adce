#include "store/event_table.h"

namespace grove::store {

Status EventTable::Append(TimeMs at, const char* kind, const std::string& subject, const Json& payload) {
  ASSIGN_OR_RETURN(Statement insert,
                   db_->Prepare("INSERT INTO events (at, kind, subject, payload) VALUES (?, ?, ?, ?)"));
  return insert.BindAll(at, kind, subject, payload).Run();
}

Result<std::vector<EventRecord>> EventTable::List(int64_t after, int limit) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT seq, at, kind, subject, payload FROM events "
                                                  "WHERE seq > ? ORDER BY seq LIMIT ?"));
  select.BindAll(after, limit > 0 ? static_cast<int64_t>(limit) : int64_t{-1});
  std::vector<EventRecord> events;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    events.push_back({select.Int64(0), select.Int64(1), select.Text(2), select.Text(3), select.JsonValue(4)});
  }
  return events;
}

}  // namespace grove::store
