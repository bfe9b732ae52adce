#pragma once

#include <map>
#include <string>

#include "common/json.h"
#include "common/status.h"

namespace grove::pipeline {

// The cache key of a step run: SHA-256 over the step type, its implementation
// version, its canonical resolved arguments with every input path replaced by
// the content digest found there (`input_digests`, argument name -> digest or
// JSON array/object of digests). Content, not paths, decides a hit: a changed
// file at the same path misses, the same content under another path hits.
std::string ComputeCacheKey(const std::string& step_type, int type_version, const Json& resolved_arguments,
                            const std::map<std::string, Json>& input_digests);

}  // namespace grove::pipeline
