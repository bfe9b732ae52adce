#pragma once

// `grove run` of a SageMaker pipeline definition has no server, yet its
// Processing scripts may call S3 themselves (the templates' preprocessing
// downloads its input with boto3). LocalS3 serves Grove's S3 on a loopback
// port for the run's length, signed with the data folder's steps' key
// (app/access_keys.h, kStepKeyName), and tells the steps where it is.

#include <memory>
#include <string>

#include "app/home.h"
#include "common/status.h"

namespace grove::cli {

class LocalS3 {
 public:
  // Listens on 127.0.0.1 (a free port) and calls pipeline::SetStepS3Access.
  static Result<std::unique_ptr<LocalS3>> Start(app::Home& home, const std::string& region);
  ~LocalS3();  // Stops serving.

  LocalS3(const LocalS3&) = delete;
  LocalS3& operator=(const LocalS3&) = delete;

 private:
  struct Parts;
  explicit LocalS3(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace grove::cli
