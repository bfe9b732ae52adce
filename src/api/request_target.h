#pragma once

// Reading the request-target of an HTTP request line (RFC 9112 §3.2) into a
// path and decoded query parameters. Free of Beast so it can be tested alone.
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "common/status.h"

namespace grove::api {

// Decodes %XX escapes; with `plus_is_space` (query strings) also '+' to ' '.
// InvalidArgument names the offset of a '%' not followed by two hex digits.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Sets request->target, ->path (still percent-encoded, so an encoded '/' stays
// inside its segment) and ->query (decoded, in order; "a" alone gives value "").
// Accepts origin form ("/p?q") and absolute form ("http://host/p?q", whose
// path defaults to "/"). A fragment ("#...") is dropped.
// InvalidArgument when the target is empty, in another form, or badly escaped.
Status ParseRequestTarget(std::string_view target, HttpRequest* request);

}  // namespace grove::api
