#include "ml/hyperparameter_value.h"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace grove::ml {
namespace {

// Integers beyond this cannot come through a double exactly.
constexpr double kMaxExactInteger = 9007199254740992.0;

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<double> ParseDouble(std::string_view text) {
  text = TrimView(text);
  if (text.size() > 1 && text.front() == '+') text.remove_prefix(1);
  double v = 0;
  auto result = fast_float::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<double> HyperparameterNumber(const Json& v) {
  std::optional<double> out;
  if (v.is_number()) out = v.get<double>();
  if (v.is_string()) out = ParseDouble(v.get_ref<const std::string&>());
  if (out && !std::isfinite(*out)) return std::nullopt;
  return out;
}

std::optional<int64_t> HyperparameterInteger(const Json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  std::optional<double> d = HyperparameterNumber(v);
  if (!d || std::floor(*d) != *d || std::fabs(*d) > kMaxExactInteger) return std::nullopt;
  return static_cast<int64_t>(*d);
}

std::optional<bool> HyperparameterBool(const Json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) {
    int64_t i = v.get<int64_t>();
    if (i == 0 || i == 1) return i == 1;
    return std::nullopt;
  }
  if (!v.is_string()) return std::nullopt;
  std::string s(TrimView(v.get_ref<const std::string&>()));
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "true" || s == "1") return true;
  if (s == "false" || s == "0") return false;
  return std::nullopt;
}

std::optional<std::vector<std::string>> HyperparameterList(const Json& v) {
  std::vector<std::string> out;
  if (v.is_string()) {
    std::string_view s = v.get_ref<const std::string&>();
    size_t pos = 0;
    while (pos <= s.size()) {
      size_t comma = std::min(s.find(',', pos), s.size());
      out.emplace_back(TrimView(s.substr(pos, comma - pos)));
      pos = comma + 1;
    }
  } else if (v.is_array()) {
    for (const Json& item : v) {
      if (!item.is_string()) return std::nullopt;
      out.emplace_back(TrimView(item.get_ref<const std::string&>()));
    }
  }
  if (out.empty() || std::any_of(out.begin(), out.end(), [](const std::string& s) { return s.empty(); })) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> HyperparameterMonotone(const Json& v) {
  Json items = v;
  if (v.is_string()) {
    std::string_view s = TrimView(v.get_ref<const std::string&>());
    if (s.size() >= 2 && ((s.front() == '(' && s.back() == ')') || (s.front() == '[' && s.back() == ']'))) {
      s = s.substr(1, s.size() - 2);
    }
    std::optional<std::vector<std::string>> parts = HyperparameterList(Json(std::string(s)));
    if (!parts) return std::nullopt;
    items = Json::array();
    for (const std::string& part : *parts) items.push_back(part);
  }
  if (!items.is_array() || items.empty()) return std::nullopt;
  std::string out = "(";
  for (const Json& item : items) {
    std::optional<int64_t> c = HyperparameterInteger(item);
    if (!c || *c < -1 || *c > 1) return std::nullopt;
    out += (out.size() > 1 ? "," : "") + std::to_string(*c);
  }
  return out + ")";
}

std::optional<std::string> HyperparameterInteraction(const Json& v) {
  Json groups = v;
  if (v.is_string()) groups = Json::parse(v.get_ref<const std::string&>(), nullptr, /*allow_exceptions=*/false);
  if (!groups.is_array() || groups.empty()) return std::nullopt;
  Json out = Json::array();
  for (const Json& group : groups) {
    if (!group.is_array()) return std::nullopt;
    Json indices = Json::array();
    for (const Json& index : group) {
      if (!index.is_number_integer() || index.get<int64_t>() < 0) return std::nullopt;
      indices.push_back(index.get<int64_t>());
    }
    out.push_back(std::move(indices));
  }
  return out.dump();
}

bool NumericRange::Contains(double v) const {
  bool lo_ok = lo_open ? v > lo : v >= lo;
  bool hi_ok = hi_open ? v < hi : v <= hi;
  return lo_ok && hi_ok;
}

std::string NumericRange::Describe(std::string_view noun) const {
  std::string out(noun);
  if (std::isinf(lo) && std::isinf(hi)) return out;
  if (std::isinf(hi)) return out + (lo_open ? " > " : " >= ") + FormatNumber(lo);
  if (std::isinf(lo)) return out + (hi_open ? " < " : " <= ") + FormatNumber(hi);
  return out + " in " + (lo_open ? "(" : "[") + FormatNumber(lo) + ", " + FormatNumber(hi) + (hi_open ? ")" : "]");
}

std::string FormatNumber(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

}  // namespace grove::ml
