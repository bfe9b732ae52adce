#pragma once

// SageMaker resources Grove keeps as they were created (models, endpoint
// configs, which config an endpoint was made from): JSON documents in the
// store's resource table, one kind per resource type, named as the user
// named them.

#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "store/metadata_store.h"

namespace grove::api::sagemaker {

inline constexpr const char* kModelKind = "sagemaker-model";
inline constexpr const char* kEndpointConfigKind = "sagemaker-endpoint-config";
inline constexpr const char* kEndpointSourceKind = "sagemaker-endpoint";  // Endpoint -> its config's name.

class ResourceDocuments {
 public:
  ResourceDocuments(store::MetadataStore* metadata, const Clock* clock) : metadata_(metadata), clock_(clock) {}

  Result<std::optional<store::ResourceRecord>> Find(const char* kind, const std::string& name);
  Result<std::vector<store::ResourceRecord>> List(const char* kind);
  // AlreadyExists when `name` is taken (nothing changes then).
  Status Create(const char* kind, const std::string& name, const Json& body);
  // Inserts or replaces.
  Status Put(const char* kind, const std::string& name, const Json& body);
  // Whether there was one to delete.
  Result<bool> Delete(const char* kind, const std::string& name);

 private:
  store::MetadataStore* metadata_;
  const Clock* clock_;
};

}  // namespace grove::api::sagemaker
