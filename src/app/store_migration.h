#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "app/home.h"
#include "common/status.h"
#include "store/store_copy.h"

namespace grove::app {

struct StoreMigrationReport {
  int64_t artifacts_copied = 0;  // Stored in the target's artifact store now.
  int64_t bytes_copied = 0;
  store::StoreCopyStats rows;
};

// `grove migrate-store`: moves what a data folder's stores hold (`from`) into
// new stores (`to`: e.g. PostgreSQL and an S3 bucket, opened as a Home on the
// same folder with other StoreLocations).
//  1. Every recorded artifact is copied into `to`'s artifact store, unless
//     `copy_artifacts` is false (the two share one), and read back under the
//     same digest.
//  2. Every metadata row is copied in one transaction (store::CopyMetadataStore);
//     artifact rows get the URI the target gave them.
//  3. Artifacts recorded meanwhile (a writer still running) are copied too.
// Fails, with the target's metadata unchanged, when an artifact is missing
// from `from` or the target metadata store already holds rows. `progress`
// (may be null) hears one line per stage.
Result<StoreMigrationReport> MigrateStores(Home& from, Home& to, bool copy_artifacts,
                                           const std::function<void(const std::string&)>& progress);

}  // namespace grove::app
