#include "store/event_table.h"

namespace grove::store {

Result<int64_t> EventTable::Append(TimeMs at, const std::string& kind, const std::string& subject,
                                   const Json& payload) {
  ASSIGN_OR_RETURN(Statement insert, db_->Prepare("INSERT INTO events (at, kind, subject, payload) "
                                                  "VALUES (?, ?, ?, ?) RETURNING seq"));
  ASSIGN_OR_RETURN(std::optional<int64_t> seq,
                   FirstRow(insert.BindAll(at, kind, subject, payload), [](const Statement& row) {
                     return row.Int64(0);
                   }));
  if (!seq) return Status::Internal("no seq for the new event '" + kind + "'");
  return *seq;
}

Result<std::vector<EventRecord>> EventTable::List(int64_t after, int limit) {
  ASSIGN_OR_RETURN(Statement select, db_->Prepare("SELECT seq, at, kind, subject, payload FROM events "
                                                  "WHERE seq > ? ORDER BY seq LIMIT ?"));
  select.BindAll(after, SqlLimit(limit));
  return CollectRows(select, [](const Statement& row) {
    return EventRecord{row.Int64(0), row.Int64(1), row.Text(2), row.Text(3), row.JsonValue(4)};
  });
}

}  // namespace grove::store
