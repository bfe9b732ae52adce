#pragma once

#include <string_view>

#include "common/status.h"

namespace grove::ml {

// Turns the return code of an XGBoost C API call into a Status. On failure the
// message is "<call>: <XGBGetLastError() without its timestamp, source
// location and stack trace>", with code kInternal. XGBGetLastError is
// thread-local, so this must run on the thread that made the call.
Status XgbStatus(int rc, std::string_view call);

// The human part of an XGBoost error text: "[12:00:00] ./src/x.cc:73: Msg\nStack trace: ..."
// becomes "Msg". Exposed for tests.
std::string CleanXgboostError(std::string_view raw);

}  // namespace grove::ml
