#pragma once

// The JSON 1.1 protocol of SageMaker's control plane as boto3 reads it
// (sagemaker-api.md §1): request members, timestamps, pagination and errors.

#include <algorithm>
#include <optional>
#include <vector>
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace grove::api::sagemaker {

// A successful answer: 200, application/x-amz-json-1.1, with `body` (JSON text).
api::HttpResponse OkResponse(std::string body);

// The JSON text of `value` as every answer carries it (invalid UTF-8 replaced).
std::string JsonText(const Json& value);

// JSON text written directly, for answers too hot to build as Json first
// (ListModelPackages' pages). Each appends exactly what JsonText writes for
// the same value: a string, and a timestamp (Timestamp(ms)).
void AppendJsonString(std::string& out, std::string_view text);
void AppendTimestamp(std::string& out, TimeMs ms);

// An error answer, `{"__type": code, "Message": message}` with the code also
// in x-amzn-ErrorType. Status 400 unless it is Grove's own failure (500,
// which clients retry).
api::HttpResponse ErrorResponse(std::string_view code, const std::string& message, int status = 400);

// The error a Status becomes: InvalidArgument and AlreadyExists ->
// ValidationException, NotFound -> ResourceNotFound, FailedPrecondition ->
// ConflictException, Unimplemented -> UnknownOperationException, anything
// else -> 500 InternalFailure.
api::HttpResponse ErrorResponse(const Status& status);

// A ValidationException Status in the service's wording:
// "1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: ...".
Status ValidationError(std::string_view member, const Json& value, std::string_view constraint);

// A ValidationException unless `value` is a SageMaker resource name: at most
// `max_length` characters matching [a-zA-Z0-9](-*[a-zA-Z0-9])* (e.g.
// PipelineName, 256; model package group and endpoint names, 63).
Status CheckResourceName(std::string_view member, const std::string& value, size_t max_length);

// Epoch seconds with milliseconds, the timestamp form every client parses.
Json Timestamp(TimeMs ms);
// Epoch milliseconds from a request timestamp (epoch seconds, a number).
Result<TimeMs> TimestampOf(const Json& value, std::string_view member);

// Members of a request body, with ValidationException errors naming them.
class Members {
 public:
  explicit Members(const Json& body) : body_(body) {}
  const Json& body() const { return body_; }
  bool Has(std::string_view name) const;
  // A required string member.
  Result<std::string> Required(std::string_view name) const;
  // An optional string member ("" when absent).
  Result<std::string> Optional(std::string_view name) const;
  // An optional string member that must be one of `allowed`; `fallback` when absent.
  Result<std::string> OneOf(std::string_view name, std::initializer_list<std::string_view> allowed,
                            std::string_view fallback) const;

 private:
  const Json& body_;
};

// The range (exclusive) two timestamp members give, e.g. CreatedAfter and
// CreatedBefore; unbounded where absent.
Result<std::pair<TimeMs, TimeMs>> TimeRangeOf(const Json& request, std::string_view after, std::string_view before);

// MaxResults of `request`: 1..100, `fallback` when absent; ValidationException otherwise.
Result<int> MaxResultsOf(const Json& request, int fallback);

// One page of a list of `total` items: [offset, offset + size).
struct Page {
  size_t offset = 0;
  size_t size = 0;
  // The NextToken for the page after this one, or "" on the last page.
  std::string next_token;
};
// Reads MaxResults (1..100, `fallback` when absent) and NextToken from
// `request`. ValidationException for a bad value or token.
Result<Page> PageOf(const Json& request, size_t total, int fallback = 100);

// Sorts `items` as the request's SortBy (Name, or CreationTime, the default)
// and SortOrder (`default_order` when absent) say; `name_of` and `created_of`
// give an item's name and creation time. ValidationException for other values.
template <typename T, typename NameOf, typename CreatedOf>
Status SortAsRequested(const Json& request, std::vector<T>& items, NameOf name_of, CreatedOf created_of,
                       std::string_view default_order) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string sort_by, m.OneOf("SortBy", {"Name", "CreationTime"}, "CreationTime"));
  ASSIGN_OR_RETURN(std::string order, m.OneOf("SortOrder", {"Ascending", "Descending"}, default_order));
  const bool by_name = sort_by == "Name";
  const bool ascending = order == "Ascending";
  std::stable_sort(items.begin(), items.end(), [&](const T& a, const T& b) {
    const T& x = ascending ? a : b;
    const T& y = ascending ? b : a;
    return by_name ? name_of(x) < name_of(y) : created_of(x) < created_of(y);
  });
  return Status::OK();
}

// One page of `items` as the response body {list_key: [to_json(item), ...],
// NextToken (only when more remain)}.
template <typename T, typename ToJson>
Result<Json> PagedList(const Json& request, const std::vector<T>& items, int fallback, const char* list_key,
                       ToJson to_json) {
  ASSIGN_OR_RETURN(Page page, PageOf(request, items.size(), fallback));
  Json list = Json::array();
  for (size_t i = page.offset; i < page.offset + page.size; ++i) list.push_back(to_json(items[i]));
  Json out = {{list_key, std::move(list)}};
  if (!page.next_token.empty()) out["NextToken"] = page.next_token;
  return out;
}

}  // namespace grove::api::sagemaker
