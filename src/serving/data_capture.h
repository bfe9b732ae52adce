#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/random.h"
#include "common/status.h"

namespace grove::serving {

// One captured invocation.
struct CapturedInvocation {
  std::string endpoint;
  std::string model;  // "group/N" that answered.
  std::string request_content_type;
  std::string request_body;
  std::string response_content_type;
  std::string response_body;
};

// Data capture (SageMaker's DataCaptureConfig with SamplingPercentage): a
// sampled share of an endpoint's requests and responses appended to JSON-lines
// files for later quality checks, one file per endpoint and hour:
//   <root>/<endpoint>/<YYYY>/<MM>/<DD>/<HH>.jsonl
// Each line has SageMaker's capture layout, so tools that read SageMaker
// capture files read these:
//   {"captureData": {"endpointInput": {"observedContentType", "mode": "INPUT", "data", "encoding"},
//                    "endpointOutput": {... "mode": "OUTPUT" ...}},
//    "eventMetadata": {"eventId", "inferenceTime", "targetModel"}, "eventVersion": "0"}
// "encoding" is "CSV" or "JSON" by content type, else "BASE64" with the data
// base64-encoded. A line is written whole with one write(2) on a file opened
// O_APPEND, so lines never interleave, even across processes.
//
// Thread-safe.
class DataCapture {
 public:
  DataCapture(std::filesystem::path root, const Clock* clock, uint64_t seed);

  // True for about `percent` of calls (0 never, 100 always).
  bool Sample(double percent);
  Status Append(const CapturedInvocation& invocation);

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  const Clock* clock_;
  std::mutex mutex_;
  Random random_;  // Protected by mutex_.
  uint64_t sequence_ = 0;
};

}  // namespace grove::serving
