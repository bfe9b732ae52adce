#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace grove {

// The outcome of a fallible operation. Expected errors (bad input, missing
// files, conflicting state) are values of this type, never exceptions.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,    // The caller's input is wrong: bad YAML, bad CSV cell, bad flag.
  kNotFound,           // A named thing does not exist.
  kAlreadyExists,      // Creating something that is already there.
  kFailedPrecondition, // The state forbids it: approving twice, stopping a finished run.
  kIOError,            // The file system or a database failed.
  kCancelled,          // Stopped on request.
  kInternal,           // A bug or an unexpected library failure.
  kUnimplemented,      // Recognised but not supported yet, e.g. a postgresql:// store.
  kPermissionDenied,   // The caller may not do this: an approver not in a promotion flow's list.
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status Unimplemented(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

  // Returns a copy with `context` put in front of the message ("context: message").
  Status WithContext(const std::string& context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

const char* StatusCodeName(StatusCode code);

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design.
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: REQUIRES: !status.ok().

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T value() && { return std::move(*value_); }  // By value: safe on temporaries.
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T operator*() && { return std::move(*value_); }  // By value: safe on temporaries.

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace grove

#define GROVE_CONCAT_INNER(a, b) a##b
#define GROVE_CONCAT(a, b) GROVE_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` yields a non-OK Status.
#define RETURN_IF_ERROR(expr)              \
  do {                                     \
    ::grove::Status _st = (expr);          \
    if (!_st.ok()) return _st;             \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(GROVE_CONCAT(_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
