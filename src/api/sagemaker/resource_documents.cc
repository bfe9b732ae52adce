#include "api/sagemaker/resource_documents.h"

namespace grove::api::sagemaker {

Result<std::optional<store::ResourceRecord>> ResourceDocuments::Find(const char* kind, const std::string& name) {
  return store::ReadValue(*metadata_, [&](store::StoreReader& r) { return r.FindResource(kind, name); });
}

Result<std::vector<store::ResourceRecord>> ResourceDocuments::List(const char* kind) {
  return store::ReadValue(*metadata_, [&](store::StoreReader& r) { return r.ListResources(kind, "", "", 0); });
}

Status ResourceDocuments::Create(const char* kind, const std::string& name, const Json& body) {
  const TimeMs now = clock_->Now();
  return metadata_->Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> existing, txn.FindResource(kind, name));
    if (existing) return Status::AlreadyExists(name);
    return txn.PutResource({kind, name, body, now, now});
  });
}

Status ResourceDocuments::Put(const char* kind, const std::string& name, const Json& body) {
  const TimeMs now = clock_->Now();
  return metadata_->Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> existing, txn.FindResource(kind, name));
    return txn.PutResource({kind, name, body, existing ? existing->created_at : now, now});
  });
}

Result<bool> ResourceDocuments::Delete(const char* kind, const std::string& name) {
  return store::TransactValue(*metadata_, [&](store::StoreTransaction& txn) { return txn.DeleteResource(kind, name); });
}

}  // namespace grove::api::sagemaker
