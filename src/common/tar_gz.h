#pragma once

// Reading one file out of a gzip-compressed tar archive, e.g. the model.tar.gz
// that SageMaker's training containers write (the XGBoost container's holds
// `xgboost-model`).

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace grove {

// Whether `bytes` start as gzip data does (the magic bytes 1f 8b).
bool IsGzip(std::string_view bytes);

// The bytes of the regular file `name` (or "./name") in the gzip'd tar archive
// `archive`. InvalidArgument when `archive` is not one (or is cut short), or
// when it unpacks to more than `max_bytes`; NotFound naming the files it holds
// when `name` is not among them.
Result<std::string> ReadTarGzMember(std::string_view archive, std::string_view name,
                                    size_t max_bytes = size_t{1} << 30);

}  // namespace grove
