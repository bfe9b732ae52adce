#pragma once

// S3 prefixes as folders, for the SageMaker jobs a pipeline runs
// (steps/sagemaker_*_step.cc): a job's inputs are objects of Grove's S3
// downloaded into the folders the job reads, and what it writes into its
// output folders becomes objects under the output's S3 URI, as a SageMaker
// container's inputs and outputs do.
//
// Writing is two-phase: a step stores the files' bytes as artifacts while it
// runs (StoreFolderAsObjects, anywhere the step runs) and returns the objects
// as its effects; the process that owns the execution records them in the
// transaction that records the step run (RecordObjects), so a failed step
// leaves no objects behind.

#include <filesystem>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::pipeline {

// Copies every object whose key starts with `uri`'s key into `dir`, at its
// key's path below the prefix; an object whose key is the whole prefix lands
// at its base name (SageMaker's S3Prefix rule: "s3://b/code/run.py" gives
// dir/run.py). NotFound naming the URI when nothing matches.
Status DownloadS3Prefix(store::MetadataStore& metadata, store::ArtifactStore& artifacts, const std::string& uri,
                        const std::filesystem::path& dir);

// Stores each file below `dir` as an artifact and returns the objects to
// record, one per file at `uri_prefix` + "/" + its relative path:
// [{"bucket", "key", "digest", "size", "etag"}]. An empty folder gives [].
Result<Json> StoreFolderAsObjects(store::ArtifactStore& artifacts, const std::filesystem::path& dir,
                                  const std::string& uri_prefix);

// Stores one file as the object at `uri`; returns it as StoreFolderAsObjects does.
Result<Json> StoreFileAsObject(store::ArtifactStore& artifacts, const std::filesystem::path& file,
                               const std::string& uri);

// Records the objects of StoreFolderAsObjects, creating their buckets when
// missing (a SageMaker job writes to the bucket its request names).
Status RecordObjects(store::StoreTransaction& txn, const Json& objects, TimeMs now);

}  // namespace grove::pipeline
