#include "data/cell_text.h"

#include <fast_float/fast_float.h>

#include <charconv>
#include <cmath>

namespace grove::data {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimBlanks(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

// The value of a number in C syntax, infinities and overflow to infinity included.
std::optional<double> ParseAnyNumber(std::string_view text) {
  text = TrimBlanks(text);
  // fast_float (like std::from_chars) rejects a leading '+'; Python and pandas accept it.
  if (text.size() > 1 && text.front() == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = fast_float::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

std::optional<double> ParseNumber(std::string_view text) {
  std::optional<double> value = ParseAnyNumber(text);
  if (value && std::isinf(*value)) return std::nullopt;
  return value;
}

std::string_view NonFiniteKind(std::string_view text) {
  std::optional<double> value = ParseAnyNumber(text);
  if (!value || std::isfinite(*value)) return {};
  return std::isnan(*value) ? "NaN" : "infinite";
}

void AppendNumber(double value, std::string* out) {
  if (std::isnan(value)) return;
  char buffer[32];
  auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, ptr);
}

std::string FormatNumber(double value) {
  std::string text;
  AppendNumber(value, &text);
  return text;
}

std::string ScalarText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_unsigned()) return std::to_string(value.get<uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number()) return FormatNumber(value.get<double>());
  return value.dump();
}

std::optional<double> ScalarNumber(const Json& value) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) return ParseNumber(value.get_ref<const std::string&>());
  return std::nullopt;
}

bool ScalarMatchesText(const Json& value, std::string_view cell) {
  if (value.is_string()) return cell == value.get_ref<const std::string&>();
  if (!value.is_number()) return false;
  std::optional<double> number = ParseNumber(cell);
  return number && *number == value.get<double>();
}

}  // namespace grove::data
