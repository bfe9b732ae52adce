#include "store/event_table.h"

namespace grove::store {

Result<int64_t> EventTable::Append(TimeMs at, const std::string& kind, const std::string& subject,
                                   const Json& payload) {
  // One more than the highest: a rolled-back append leaves no gap on any backend (a PostgreSQL
  // sequence would: its values are not transactional).
  int64_t seq = 1;
  {
    ASSIGN_OR_RETURN(Statement last, db_->Prepare("SELECT MAX(seq) FROM events"));
    ASSIGN_OR_RETURN(std::optional<int64_t> highest,
                     FirstRow(last, [](const Statement& row) { return row.Int64(0); }));
    if (highest) seq = *highest + 1;
  }
  ASSIGN_OR_RETURN(Statement insert, db_->Prepare("INSERT INTO events (seq, at, kind, subject, payload) "
                                                  "VALUES (?, ?, ?, ?, ?)"));
  RETURN_IF_ERROR(insert.BindAll(seq, at, kind, subject, payload).Run());
  return seq;
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
