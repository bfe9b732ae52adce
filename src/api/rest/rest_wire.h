#pragma once

// What every native REST route shares: pagination, request bodies read field
// by field with errors that name the field, and results turned into
// responses (docs/api.md, "Native REST API").
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"
#include "api/router.h"
#include "common/json.h"
#include "common/status.h"

namespace grove::api::rest {

// The page a list request asks for: ?limit= (1 to kMaxLimit, default
// kDefaultLimit) and ?page_token= (the next_page_token of the page before).
struct PageRequest {
  static constexpr size_t kDefaultLimit = 100;
  static constexpr size_t kMaxLimit = 1000;
  size_t offset = 0;
  size_t limit = kDefaultLimit;
  // How many items the list must hold to tell whether more remain.
  size_t wanted() const { return offset + limit + 1; }
};

// InvalidArgument naming `limit` or `page_token` when either is malformed.
Result<PageRequest> ReadPage(const HttpRequest& request);

// {"items": [...], "next_page_token": "..."}: the page of `all` (an array of
// every item) that `page` asks for; next_page_token only when more remain.
Json Page(const Json& all, const PageRequest& page);

// The request body as a JSON object; an empty body is {}. InvalidArgument
// with the parser's byte offset for malformed JSON, or when it is not an object.
Result<Json> BodyObject(const HttpRequest& request);

// Who the caller is, recorded with what it changes: its key's name, or
// "anonymous" when the server runs without --auth.
inline std::string CallerName(const HttpRequest& request) {
  return request.identity.empty() ? "anonymous" : request.identity;
}

// Members of a request body, read by type. Errors are InvalidArgument naming
// the field and what it must be. Optional ones, when absent or null, give "",
// false, `min`, [] or {}.
class Fields {
 public:
  explicit Fields(const Json& object) : object_(object) {}

  Result<std::string> String(std::string_view name) const;  // Required, non-empty.
  Result<std::string> OptionalString(std::string_view name) const;
  Result<bool> OptionalBool(std::string_view name) const;
  Result<double> OptionalNumber(std::string_view name, double min, double max) const;
  Result<std::vector<std::string>> OptionalStrings(std::string_view name) const;
  // An object member (e.g. parameters); {} when absent.
  Result<Json> OptionalObject(std::string_view name) const;

 private:
  const Json* Find(std::string_view name) const;
  const Json& object_;
};

// A positive integer from a path capture or query parameter `name`.
Result<int> PositiveInt(std::string_view text, std::string_view name);

// The JSON of a result with `status`, or the error response of its failure.
HttpResponse Respond(const Result<Json>& result, int status = 200);

// A route whose handler gives JSON (answered with `status`) or an error.
using JsonHandler = std::function<Result<Json>(const HttpRequest&)>;
Status AddJson(Router* router, std::string_view method, std::string_view pattern, JsonHandler handler,
               int status = 200);
// A list route: the handler gives every item (at least page.wanted() when it
// can limit its work) as an array, answered one page at a time.
using ListHandler = std::function<Result<Json>(const HttpRequest&, const PageRequest&)>;
Status AddList(Router* router, std::string_view pattern, ListHandler handler);

}  // namespace grove::api::rest
