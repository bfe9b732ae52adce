#include "api/rest/rest_wire.h"

#include <charconv>
#include <cmath>
#include <utility>

namespace grove::api::rest {

namespace {

Result<size_t> Count(std::string_view text, std::string_view name, std::string_view expected) {
  size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Status::InvalidArgument(std::string(name) + " '" + std::string(text) + "': expected " +
                                   std::string(expected));
  }
  return value;
}

Status WrongType(std::string_view name, std::string_view expected) {
  return Status::InvalidArgument("field '" + std::string(name) + "': expected " + std::string(expected));
}

// 100 as "100", 0.5 as "0.5".
std::string Number(double value) {
  return value == std::floor(value) ? std::to_string(static_cast<long long>(value)) : Json(value).dump();
}

}  // namespace

Result<PageRequest> ReadPage(const HttpRequest& request) {
  PageRequest page;
  if (auto limit = request.QueryParam("limit")) {
    const std::string expected = "a whole number from 1 to " + std::to_string(PageRequest::kMaxLimit);
    ASSIGN_OR_RETURN(page.limit, Count(*limit, "limit", expected));
    if (page.limit < 1 || page.limit > PageRequest::kMaxLimit) {
      return Status::InvalidArgument("limit '" + std::string(*limit) + "': expected " + expected);
    }
  }
  if (auto token = request.QueryParam("page_token"); token && !token->empty()) {
    ASSIGN_OR_RETURN(page.offset, Count(*token, "page_token", "the next_page_token of an earlier page"));
  }
  return page;
}

Json Page(const Json& all, const PageRequest& page) {
  Json items = Json::array();
  for (size_t i = page.offset; i < all.size() && i < page.offset + page.limit; ++i) items.push_back(all[i]);
  Json out = {{"items", std::move(items)}};
  if (all.size() > page.offset + page.limit) out["next_page_token"] = std::to_string(page.offset + page.limit);
  return out;
}

Result<Json> BodyObject(const HttpRequest& request) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  Json body;
  try {
    body = Json::parse(request.body);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("request body is not valid JSON: ") + e.what());
  }
  if (!body.is_object()) return Status::InvalidArgument("request body: expected a JSON object");
  return body;
}

const Json* Fields::Find(std::string_view name) const {
  auto it = object_.find(std::string(name));
  return it == object_.end() || it->is_null() ? nullptr : &*it;
}

Result<std::string> Fields::String(std::string_view name) const {
  ASSIGN_OR_RETURN(std::string value, OptionalString(name));
  if (value.empty()) return Status::InvalidArgument("field '" + std::string(name) + "' is required");
  return value;
}

Result<std::string> Fields::OptionalString(std::string_view name) const {
  const Json* value = Find(name);
  if (value == nullptr) return std::string();
  if (!value->is_string()) return WrongType(name, "a string");
  return value->get<std::string>();
}

Result<bool> Fields::OptionalBool(std::string_view name) const {
  const Json* value = Find(name);
  if (value == nullptr) return false;
  if (!value->is_boolean()) return WrongType(name, "true or false");
  return value->get<bool>();
}

Result<double> Fields::OptionalNumber(std::string_view name, double min, double max) const {
  const Json* value = Find(name);
  if (value == nullptr) return min;
  if (!value->is_number() || !std::isfinite(value->get<double>()) || value->get<double>() < min ||
      value->get<double>() > max) {
    return WrongType(name, "a number from " + Number(min) + " to " + Number(max));
  }
  return value->get<double>();
}

Result<std::vector<std::string>> Fields::OptionalStrings(std::string_view name) const {
  const Json* value = Find(name);
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (!value->is_array()) return WrongType(name, "an array of strings");
  for (const Json& item : *value) {
    if (!item.is_string()) return WrongType(name, "an array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<Json> Fields::OptionalObject(std::string_view name) const {
  const Json* value = Find(name);
  if (value == nullptr) return Json::object();
  if (!value->is_object()) return WrongType(name, "an object");
  return *value;
}

Result<int> PositiveInt(std::string_view text, std::string_view name) {
  ASSIGN_OR_RETURN(size_t value, Count(text, name, "a whole number from 1"));
  if (value < 1 || value > 1'000'000'000) {
    return Status::InvalidArgument(std::string(name) + " '" + std::string(text) + "': expected a whole number from 1");
  }
  return static_cast<int>(value);
}

HttpResponse Respond(const Result<Json>& result, int status) {
  return result.ok() ? JsonResponse(status, *result) : StatusResponse(result.status());
}

Status AddJson(Router* router, std::string_view method, std::string_view pattern, JsonHandler handler, int status) {
  return router->Add(method, pattern, [handler = std::move(handler), status](const HttpRequest& request) {
    return Respond(handler(request), status);
  });
}

Status AddList(Router* router, std::string_view pattern, ListHandler handler) {
  return router->Add("GET", pattern, [handler = std::move(handler)](const HttpRequest& request) {
    Result<PageRequest> page = ReadPage(request);
    if (!page.ok()) return StatusResponse(page.status());
    Result<Json> all = handler(request, *page);
    if (!all.ok()) return StatusResponse(all.status());
    return JsonResponse(200, Page(*all, *page));
  });
}

}  // namespace grove::api::rest
