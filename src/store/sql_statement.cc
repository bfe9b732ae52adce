#include "store/sql_statement.h"

#include <cmath>

namespace grove::store {

Statement::Statement(StatementCursor* cursor, bool owned, bool* in_use)
    : cursor_(cursor), owned_(owned), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : cursor_(other.cursor_), owned_(other.owned_), in_use_(other.in_use_) {
  other.cursor_ = nullptr;
  other.in_use_ = nullptr;
}

Statement::~Statement() {
  if (cursor_ == nullptr) return;
  if (owned_) {
    delete cursor_;
  } else {
    cursor_->Reset();
  }
  if (in_use_ != nullptr) *in_use_ = false;
}

Statement& Statement::Bind(int index, std::string_view text) {
  cursor_->BindText(index, text);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  cursor_->BindInt64(index, value);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  if (std::isnan(value)) {
    cursor_->BindNull(index);
  } else {
    cursor_->BindDouble(index, value);
  }
  return *this;
}

// Invalid UTF-8 inside strings is replaced rather than thrown on.
Statement& Statement::Bind(int index, const Json& value) {
  return Bind(index, value.dump(-1, ' ', false, Json::error_handler_t::replace));
}

Status Statement::Run() {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::OK();
  }
}

double Statement::Double(int column) const {
  if (cursor_->IsNull(column)) return std::nan("");
  return cursor_->Double(column);
}

Json Statement::JsonValue(int column) const {
  std::string text = Text(column);
  if (text.empty()) return Json::object();
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Json(text);
  return value;
}

}  // namespace grove::store
