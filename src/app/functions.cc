#include "app/functions.h"

namespace grove::app {

Result<store::FunctionRecord> Functions::Create(const std::string& name, const std::string& command,
                                                const std::string& url) {
  store::FunctionRecord function{name, command, url};
  RETURN_IF_ERROR(home_.metadata()->Transact([&](store::StoreTransaction& txn) {
    return store::PutFunction(txn, function, home_.clock()->Now());
  }));
  return store::ReadValue(*home_.metadata(),
                          [&](store::StoreReader& rows) { return store::RequireFunction(rows, name); });
}

Result<std::vector<store::FunctionRecord>> Functions::List() {
  return store::ReadValue(*home_.metadata(), [](store::StoreReader& rows) { return store::ListFunctions(rows); });
}

Status Functions::Delete(const std::string& name) {
  return home_.metadata()->Transact([&](store::StoreTransaction& txn) -> Status {
    RETURN_IF_ERROR(store::RequireFunction(txn, name).status());
    return store::DeleteFunction(txn, name).status();
  });
}

}  // namespace grove::app
