#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/metadata_store.h"

namespace grove::store {

// The tables of Grove's schema, parents before the tables whose foreign keys
// name them: the order a whole-store copy inserts in. A test checks that it
// names every table the migrations create.
const std::vector<std::string>& SchemaTables();

struct StoreCopyStats {
  std::map<std::string, int64_t> rows;  // By table.
  int64_t total_rows = 0;
};

// Copies every row of every table of `from` into `to`, in one transaction of
// `to` over one snapshot of `from`: either all of it lands or none does. Rows
// keep their ids and seqs (events, queue messages, predictions, promotions),
// and each table's insertion order. Works between any two backends.
// `artifact_uri(digest, uri)` gives the `uri` each artifact row gets in `to`
// (`uri` is its URI in `from`). It must not use `from`, whose snapshot is open.
// FailedPrecondition, changing nothing, when `to` already holds rows.
Result<StoreCopyStats> CopyMetadataStore(MetadataStore& from, MetadataStore& to,
                                         const std::function<std::string(const std::string& digest, const std::string& uri)>& artifact_uri);

}  // namespace grove::store
