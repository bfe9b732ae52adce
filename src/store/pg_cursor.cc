#include "store/pg_cursor.h"

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace grove::store {

Status PgResultError(PGconn* conn, const PGresult* result, const std::string& what) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string detail = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  std::string message = what + ": " + detail;
  if (state != nullptr && std::strncmp(state, "23", 2) == 0) return Status::FailedPrecondition(std::move(message));
  return Status::IOError(std::move(message));
}

PgCursor::PgCursor(PGconn* conn, std::string name, std::string sql)
    : conn_(conn), name_(std::move(name)), sql_(std::move(sql)) {}

PgCursor::~PgCursor() { Reset(); }

void PgCursor::Set(int index, std::string value, bool null) {
  if (index < 1) return;
  size_t at = static_cast<size_t>(index - 1);
  if (values_.size() <= at) {
    values_.resize(at + 1);
    null_.resize(at + 1, 1);
  }
  values_[at] = std::move(value);
  null_[at] = null ? 1 : 0;
}

void PgCursor::BindText(int index, std::string_view text) { Set(index, std::string(text), false); }

void PgCursor::BindInt64(int index, int64_t value) { Set(index, std::to_string(value), false); }

void PgCursor::BindDouble(int index, double value) {
  char buffer[32];
  // The shortest form that reads back exactly; PostgreSQL reads "inf" and "-inf" too.
  char* end = std::to_chars(buffer, buffer + sizeof(buffer), value).ptr;
  Set(index, std::string(buffer, end), false);
}

void PgCursor::BindNull(int index) { Set(index, "", true); }

Status PgCursor::Execute() {
  std::vector<const char*> params(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) params[i] = null_[i] ? nullptr : values_[i].c_str();
  int n = static_cast<int>(params.size());
  result_ = name_.empty() ? PQexecParams(conn_, sql_.c_str(), n, nullptr, params.data(), nullptr, nullptr, 0)
                          : PQexecPrepared(conn_, name_.c_str(), n, params.data(), nullptr, nullptr, 0);
  ExecStatusType status = result_ != nullptr ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return PgResultError(conn_, result_, "cannot run '" + sql_ + "'");
  }
  rows_ = PQntuples(result_);
  const char* changed = PQcmdTuples(result_);
  changes_ = changed != nullptr && *changed != '\0' ? std::atoi(changed) : 0;
  return Status::OK();
}

Result<bool> PgCursor::Step() {
  if (!ran_) {
    ran_ = true;
    RETURN_IF_ERROR(Execute());
    row_ = 0;
  } else if (row_ < rows_) {
    ++row_;
  }
  return row_ < rows_;
}

bool PgCursor::IsNull(int column) const { return PQgetisnull(result_, row_, column) != 0; }

std::string PgCursor::Text(int column) const {
  return std::string(PQgetvalue(result_, row_, column), static_cast<size_t>(PQgetlength(result_, row_, column)));
}

int64_t PgCursor::Int64(int column) const {
  const char* text = PQgetvalue(result_, row_, column);
  size_t size = static_cast<size_t>(PQgetlength(result_, row_, column));
  int64_t value = 0;
  std::from_chars(text, text + size, value);
  return value;
}

double PgCursor::Double(int column) const { return std::strtod(PQgetvalue(result_, row_, column), nullptr); }

void PgCursor::Reset() {
  if (result_ != nullptr) PQclear(result_);
  result_ = nullptr;
  ran_ = false;
  row_ = -1;
  rows_ = 0;
  changes_ = 0;
  values_.clear();
  null_.clear();
}

}  // namespace grove::store
