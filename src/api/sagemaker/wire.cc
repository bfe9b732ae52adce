#include "api/sagemaker/wire.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace grove::api::sagemaker {

namespace {

constexpr std::string_view kContentType = "application/x-amz-json-1.1";
constexpr std::string_view kTokenPrefix = "grove-page-";

}  // namespace

api::HttpResponse OkResponse(std::string body) {
  api::HttpResponse response;
  response.status = 200;
  response.body = std::move(body);
  response.content_type = kContentType;
  return response;
}

std::string JsonText(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

void AppendJsonString(std::string& out, std::string_view text) {
  bool plain = true;
  for (unsigned char c : text) {
    if (c >= 0x80) {  // UTF-8 (and its validation) as the serialiser does it.
      out += JsonText(Json(std::string(text)));
      return;
    }
    plain = plain && c >= 0x20 && c != '"' && c != '\\';
  }
  out += '"';
  if (plain) {
    out += text;
  } else {
    for (char c : text) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            constexpr char kHex[] = "0123456789abcdef";
            out += "\\u00";
            out += kHex[(c >> 4) & 0xf];
            out += kHex[c & 0xf];
          } else {
            out += c;
          }
      }
    }
  }
  out += '"';
}

void AppendTimestamp(std::string& out, TimeMs ms) {
  // ms / 1000.0 as the serialiser prints a double: the shortest text that
  // reads back as it, i.e. the seconds with their milliseconds, trailing zeros
  // dropped, and ".0" for a whole second.
  if (ms < 0 || ms >= (TimeMs{1} << 52)) {
    out += JsonText(Timestamp(ms));
    return;
  }
  char digits[32];
  char* end = std::to_chars(digits, digits + sizeof(digits), ms / 1000).ptr;
  const int fraction = static_cast<int>(ms % 1000);
  *end++ = '.';
  *end++ = static_cast<char>('0' + fraction / 100);
  if (fraction % 100 != 0) {
    *end++ = static_cast<char>('0' + fraction / 10 % 10);
    if (fraction % 10 != 0) *end++ = static_cast<char>('0' + fraction % 10);
  }
  out.append(digits, end);
}

api::HttpResponse ErrorResponse(std::string_view code, const std::string& message, int status) {
  api::HttpResponse response = api::JsonResponse(status, {{"__type", code}, {"Message", message}});
  response.content_type = kContentType;
  response.headers.Set("x-amzn-ErrorType", std::string(code));
  return response;
}

api::HttpResponse ErrorResponse(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kAlreadyExists:
    case StatusCode::kCancelled:
      return ErrorResponse("ValidationException", status.message());
    case StatusCode::kNotFound:
      return ErrorResponse("ResourceNotFound", status.message());
    case StatusCode::kFailedPrecondition:
      return ErrorResponse("ConflictException", status.message());
    case StatusCode::kUnimplemented:
      return ErrorResponse("UnknownOperationException", status.message());
    default:
      return ErrorResponse("InternalFailure", status.message(), 500);
  }
}

Status ValidationError(std::string_view member, const Json& value, std::string_view constraint) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.size() > 200) {
    text.resize(200);
    text += "...";
  }
  // Appended piece by piece: GCC 12 misreads the bounds of a chain of temporaries here (-Warray-bounds).
  std::string message = "1 validation error detected: Value '";
  message += text;
  message += "' at '";
  message.append(member);
  message += "' failed to satisfy constraint: ";
  message.append(constraint);
  return Status::InvalidArgument(std::move(message));
}

Status CheckResourceName(std::string_view member, const std::string& value, size_t max_length) {
  if (value.empty() || value.size() > max_length) {
    return ValidationError(member, value,
                           "Member must have length between 1 and " + std::to_string(max_length));
  }
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  bool ok = alnum(value.front()) && alnum(value.back());
  for (char c : value) ok = ok && (alnum(c) || c == '-');
  if (ok) return Status::OK();
  return ValidationError(member, value,
                         "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0," +
                             std::to_string(max_length - 1) + "}");
}

Json Timestamp(TimeMs ms) { return static_cast<double>(ms) / 1000.0; }

Result<TimeMs> TimestampOf(const Json& value, std::string_view member) {
  if (!value.is_number() || !std::isfinite(value.get<double>())) {
    return ValidationError(member, value, "Member must be a timestamp");
  }
  return static_cast<TimeMs>(std::llround(value.get<double>() * 1000.0));
}

bool Members::Has(std::string_view name) const {
  return body_.is_object() && body_.contains(name) && !body_[std::string(name)].is_null();
}

Result<std::string> Members::Optional(std::string_view name) const {
  if (!Has(name)) return std::string();
  const Json& v = body_[std::string(name)];
  if (!v.is_string()) return ValidationError(name, v, "Member must be a string");
  return v.get<std::string>();
}

Result<std::string> Members::Required(std::string_view name) const {
  if (!Has(name)) {
    return Status::InvalidArgument("1 validation error detected: Value null at '" + std::string(name) +
                                   "' failed to satisfy constraint: Member must not be null");
  }
  return Optional(name);
}

Result<std::string> Members::OneOf(std::string_view name, std::initializer_list<std::string_view> allowed,
                                   std::string_view fallback) const {
  ASSIGN_OR_RETURN(std::string value, Optional(name));
  if (value.empty()) return std::string(fallback);
  std::string set;
  for (std::string_view a : allowed) {
    if (value == a) return value;
    set += (set.empty() ? "" : ", ") + std::string(a);
  }
  return ValidationError(name, value, "Member must satisfy enum value set: [" + set + "]");
}

Result<std::pair<TimeMs, TimeMs>> TimeRangeOf(const Json& request, std::string_view after, std::string_view before) {
  Members m(request);
  std::pair<TimeMs, TimeMs> range{std::numeric_limits<TimeMs>::min(), std::numeric_limits<TimeMs>::max()};
  if (m.Has(after)) {
    ASSIGN_OR_RETURN(range.first, TimestampOf(request[std::string(after)], after));
  }
  if (m.Has(before)) {
    ASSIGN_OR_RETURN(range.second, TimestampOf(request[std::string(before)], before));
  }
  return range;
}

Result<int> MaxResultsOf(const Json& request, int fallback) {
  if (!request.contains("MaxResults") || request["MaxResults"].is_null()) return fallback;
  const Json& v = request["MaxResults"];
  if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 100) {
    return ValidationError("maxResults", v, "Member must have value less than or equal to 100");
  }
  return v.get<int>();
}

Result<Page> PageOf(const Json& request, size_t total, int fallback) {
  Page page;
  ASSIGN_OR_RETURN(const int max_results, MaxResultsOf(request, fallback));
  if (request.contains("NextToken") && request["NextToken"].is_string() && !request["NextToken"].get<std::string>().empty()) {
    const std::string token = request["NextToken"].get<std::string>();
    std::string_view digits(token);
    size_t offset = 0;
    bool ok = digits.substr(0, kTokenPrefix.size()) == kTokenPrefix;
    if (ok) {
      digits.remove_prefix(kTokenPrefix.size());
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), offset);
      ok = ec == std::errc() && ptr == digits.data() + digits.size() && !digits.empty();
    }
    if (!ok) return Status::InvalidArgument("Invalid pagination token: " + token);
    page.offset = std::min(offset, total);
  }
  page.size = std::min<size_t>(static_cast<size_t>(max_results), total - page.offset);
  if (page.offset + page.size < total) page.next_token = std::string(kTokenPrefix) + std::to_string(page.offset + page.size);
  return page;
}

}  // namespace grove::api::sagemaker
