#include "store/function_records.h"

namespace grove::store {

namespace {

constexpr const char* kFunctionKind = "lambda-function";

FunctionRecord FunctionFromResource(const ResourceRecord& r) {
  return {r.name, r.body.value("command", ""), r.body.value("url", ""), r.created_at, r.updated_at};
}

}  // namespace

Status CheckFunctionName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
  }
  if (!ok) {
    return Status::InvalidArgument("function name '" + name + "': expected 1-64 letters, digits, '-' and '_'");
  }
  return Status::OK();
}

std::string FunctionNameOf(const std::string& arn_or_name) {
  const std::string marker = ":function:";
  const size_t at = arn_or_name.find(marker);
  if (at == std::string::npos) return arn_or_name;
  std::string name = arn_or_name.substr(at + marker.size());
  return name.substr(0, name.find(':'));  // Drop a version or alias qualifier.
}

Status PutFunction(StoreTransaction& txn, const FunctionRecord& function, TimeMs now) {
  RETURN_IF_ERROR(CheckFunctionName(function.name));
  if (function.command.empty() == function.url.empty()) {
    return Status::InvalidArgument("function " + function.name + ": give exactly one of a command and a URL");
  }
  if (!function.url.empty() && function.url.rfind("http://", 0) != 0 && function.url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("function " + function.name + ": URL '" + function.url +
                                   "' must start with http:// or https://");
  }
  ASSIGN_OR_RETURN(std::optional<ResourceRecord> existing, txn.FindResource(kFunctionKind, function.name));
  ResourceRecord r;
  r.kind = kFunctionKind;
  r.name = function.name;
  r.body = function.command.empty() ? Json{{"url", function.url}} : Json{{"command", function.command}};
  r.created_at = existing ? existing->created_at : now;
  r.updated_at = now;
  return txn.PutResource(r);
}

Result<FunctionRecord> RequireFunction(StoreReader& rows, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<ResourceRecord> found, rows.FindResource(kFunctionKind, name));
  if (found) return FunctionFromResource(*found);
  ASSIGN_OR_RETURN(std::vector<FunctionRecord> all, ListFunctions(rows));
  std::string names;
  for (const FunctionRecord& f : all) names += (names.empty() ? "" : ", ") + f.name;
  return Status::NotFound("no Lambda function '" + name + "' (functions: " + (names.empty() ? "none" : names) +
                          "; create one with grove lambda create)");
}

Result<std::vector<FunctionRecord>> ListFunctions(StoreReader& rows) {
  ASSIGN_OR_RETURN(std::vector<ResourceRecord> found, rows.ListResources(kFunctionKind, "", "", 0));
  std::vector<FunctionRecord> out;
  for (const ResourceRecord& r : found) out.push_back(FunctionFromResource(r));
  return out;
}

Result<bool> DeleteFunction(StoreTransaction& txn, const std::string& name) {
  return txn.DeleteResource(kFunctionKind, name);
}

}  // namespace grove::store
