#pragma once

// A request Boost.Beast parsed, as Grove's HttpRequest: the one step between
// the bytes a client sent and the Router. Header-only so that it adds no
// translation unit of Beast to the build; included by http_session.cc and by
// the HTTP fuzz targets (fuzz/http_request_fuzz.cc), which feed it the same
// parser the server uses.
#include <string>
#include <string_view>
#include <utility>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/http_types.h"
#include "api/request_target.h"
#include "common/status.h"

namespace grove::api {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

// Room for a request's header fields before the list grows (curl sends 4, boto3 9).
inline constexpr size_t kUsualHeaderCount = 12;

// Fills `request` from `message`: the method as sent, the target
// (ParseRequestTarget), every header field in order, and the body, moved out
// of `message`. Returns the target's Status: InvalidArgument for a target the
// server answers with 400 (the rest of `request` is filled all the same).
inline Status TakeBeastRequest(BeastRequest& message, HttpRequest* request) {
  auto view = [](boost::beast::string_view s) { return std::string_view(s.data(), s.size()); };
  request->method = std::string(view(message.method_string()));
  Status target = ParseRequestTarget(view(message.target()), request);
  request->headers.Reserve(kUsualHeaderCount);
  for (const auto& field : message) {
    request->headers.Add(std::string(view(field.name_string())), std::string(view(field.value())));
  }
  request->body = std::move(message.body());
  return target;
}

}  // namespace grove::api
