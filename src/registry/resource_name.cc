#include "registry/resource_name.h"

#include <cctype>

namespace grove::registry {

namespace {

Status ValidateName(const std::string& what, const std::string& name) {
  bool ok = !name.empty() && name.size() <= 63 && name.front() != '-' && name.back() != '-';
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
  if (ok) return Status::OK();
  return Status::InvalidArgument(what + " name '" + name +
                                 "' is not valid: use 1-63 letters, digits and '-', not starting or ending with '-'");
}

}  // namespace

Status ValidateEndpointName(const std::string& name) { return ValidateName("endpoint", name); }

Status ValidateModelGroupName(const std::string& name) { return ValidateName("model group", name); }

Status ValidateVariantName(const std::string& name) { return ValidateName("variant", name); }

}  // namespace grove::registry
