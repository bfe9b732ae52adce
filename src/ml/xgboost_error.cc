#include "ml/xgboost_error.h"

#include <xgboost/c_api.h>

#include <string>

namespace grove::ml {

std::string CleanXgboostError(std::string_view raw) {
  // Drop the stack trace XGBoost appends.
  size_t trace = raw.find("Stack trace:");
  if (trace != std::string_view::npos) raw = raw.substr(0, trace);
  // Drop "[hh:mm:ss] path/file.cc:123: ".
  if (!raw.empty() && raw.front() == '[') {
    size_t close = raw.find("] ");
    if (close != std::string_view::npos) {
      std::string_view rest = raw.substr(close + 2);
      size_t loc_end = rest.find(": ");
      size_t space = rest.find(' ');
      // A location has no space before its ": " (./src/learner.cc:767: ...).
      if (loc_end != std::string_view::npos && (space == std::string_view::npos || space > loc_end)) {
        rest = rest.substr(loc_end + 2);
      }
      raw = rest;
    }
  }
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == ' ' || raw.back() == '\r')) raw.remove_suffix(1);
  while (!raw.empty() && (raw.front() == '\n' || raw.front() == ' ')) raw.remove_prefix(1);
  return std::string(raw);
}

Status XgbStatus(int rc, std::string_view call) {
  if (rc == 0) return Status::OK();
  const char* raw = XGBGetLastError();
  std::string message = CleanXgboostError(raw == nullptr ? "" : raw);
  if (message.empty()) message = "unknown XGBoost error";
  return Status::Internal(std::string(call) + ": " + message);
}

}  // namespace grove::ml
