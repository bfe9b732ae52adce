#include "store/callback_records.h"

namespace grove::store {

namespace {

constexpr const char* kCallbackKind = "callback-token";

CallbackRecord CallbackFromResource(const ResourceRecord& r) {
  CallbackRecord c;
  c.token = r.name;
  c.execution_id = r.body.value("execution_id", "");
  c.step = r.body.value("step", "");
  c.status = r.body.value("status", "Waiting");
  c.outputs = r.body.value("outputs", Json::object());
  c.failure_reason = r.body.value("failure_reason", "");
  c.created_at = r.created_at;
  return c;
}

ResourceRecord CallbackToResource(const CallbackRecord& c, TimeMs updated_at) {
  ResourceRecord r;
  r.kind = kCallbackKind;
  r.name = c.token;
  r.body = {{"execution_id", c.execution_id}, {"step", c.step}, {"status", c.status}, {"outputs", c.outputs},
            {"failure_reason", c.failure_reason}};
  r.created_at = c.created_at;
  r.updated_at = updated_at;
  return r;
}

}  // namespace

Status CreateCallback(StoreTransaction& txn, const CallbackRecord& callback, TimeMs now) {
  CallbackRecord fresh = callback;
  fresh.status = "Waiting";
  fresh.created_at = now;
  return txn.PutResource(CallbackToResource(fresh, now));
}

Result<CallbackRecord> RequireCallback(StoreReader& rows, const std::string& token) {
  ASSIGN_OR_RETURN(std::optional<ResourceRecord> found, rows.FindResource(kCallbackKind, token));
  if (!found) return Status::NotFound("no callback step waits for token '" + token + "'");
  return CallbackFromResource(*found);
}

Result<std::optional<std::string>> FindCallbackOfStep(StoreReader& rows, const std::string& execution_id,
                                                      const std::string& step) {
  ASSIGN_OR_RETURN(std::vector<ResourceRecord> all, rows.ListResources(kCallbackKind, "", "", 0));
  std::optional<std::string> found;
  TimeMs latest = -1;
  for (const ResourceRecord& r : all) {
    if (r.body.value("execution_id", "") == execution_id && r.body.value("step", "") == step &&
        r.created_at > latest) {
      found = r.name;
      latest = r.created_at;
    }
  }
  return found;
}

Result<CallbackRecord> CompleteCallback(StoreTransaction& txn, const std::string& token, const std::string& status,
                                        const Json& outputs, const std::string& failure_reason, TimeMs now) {
  ASSIGN_OR_RETURN(CallbackRecord callback, RequireCallback(txn, token));
  if (callback.status != "Waiting") {
    return Status::FailedPrecondition("the callback step " + callback.step + " of execution " +
                                      callback.execution_id + " has already ended (" + callback.status + ")");
  }
  callback.status = status;
  callback.outputs = outputs;
  callback.failure_reason = failure_reason;
  RETURN_IF_ERROR(txn.PutResource(CallbackToResource(callback, now)));
  return callback;
}

}  // namespace grove::store
