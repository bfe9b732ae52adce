#pragma once

#include <string_view>

#include "common/status.h"
#include "serving/payload.h"

namespace grove::serving {

// ParseJsonRequest's two readers, apart so that tests can hold one against the
// other.

// The fast path: reads the accepted shapes straight from the text, without a
// JSON document. Returns false, with *request in no defined state, for any
// body it does not accept: every error, and the rare valid forms it leaves to
// ReadJsonDocument (repeated fields, extra members beside "features", strings
// with raw non-ASCII bytes, numbers beyond the double range).
bool ScanJsonRequest(std::string_view body, PredictRequest* request);

// The general reader over a parsed JSON document: accepts what ScanJsonRequest
// does and more, and names every error as ParseJsonRequest documents.
Result<PredictRequest> ReadJsonDocument(std::string_view body);

}  // namespace grove::serving
