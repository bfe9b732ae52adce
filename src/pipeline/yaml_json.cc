#include "pipeline/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <string_view>

namespace grove::pipeline {

namespace {

// YAML 1.2 core schema: [-+]?[0-9]+ and [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
size_t Digits(std::string_view s, size_t i) {
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i;
}
bool LooksNumeric(std::string_view s, bool* integral) {
  size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  size_t int_end = Digits(s, i);
  size_t end = int_end;
  *integral = end > i && end == s.size();
  if (end < s.size() && s[end] == '.') end = Digits(s, end + 1);
  if (end - i <= (end > int_end ? 1u : 0u)) return false;  // No digits at all.
  if (end < s.size() && (s[end] == 'e' || s[end] == 'E')) {
    size_t exp = end + 1;
    if (exp < s.size() && (s[exp] == '-' || s[exp] == '+')) ++exp;
    end = Digits(s, exp);
    if (end == exp) return false;
  }
  return end == s.size();
}

}  // namespace

Json YamlScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return text;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  bool integral = false;
  if (!LooksNumeric(text, &integral)) return text;
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  const char* end = text.data() + text.size();
  if (integral) {
    int64_t i = 0;
    auto [ptr, ec] = std::from_chars(begin, end, i);
    if (ec == std::errc() && ptr == end) return i;
  }
  double d = 0;
  auto [ptr, ec] = std::from_chars(begin, end, d);
  if (ec == std::errc() && ptr == end && std::isfinite(d)) return d;
  return text;
}


namespace {

std::pair<int, int> Position(const YAML::Mark& mark) { return {mark.line + 1, mark.column + 1}; }

// Deeper than this is refused: an alias of its own ancestor (`&a [*a]`) nests forever.
constexpr int kMaxDepth = 256;

// `at` is where the value is reported: its key's position for a map's member, else its own.
Json Convert(const YAML::Node& node, const std::string& path, const YAML::Mark& at, YamlPositions* positions,
             int depth) {
  if (depth > kMaxDepth) {
    throw YAML::ParserException(at, "nested more than " + std::to_string(kMaxDepth) +
                                        " levels deep (an alias inside its own anchor?)");
  }
  if (positions != nullptr) (*positions)[path] = Position(at);
  if (node.IsMap()) {
    Json out = Json::object();
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      out[key] = Convert(kv.second, path.empty() ? key : path + "/" + key, kv.first.Mark(), positions, depth + 1);
    }
    return out;
  }
  if (node.IsSequence()) {
    Json out = Json::array();
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      out.push_back(Convert(item, path.empty() ? std::to_string(i) : path + "/" + std::to_string(i),
                            item.IsNull() || item.Mark().line < 0 ? node.Mark() : item.Mark(), positions,
                            depth + 1));
    }
    return out;
  }
  if (node.IsScalar()) return YamlScalarToJson(node);
  return Json();
}

}  // namespace

Json YamlToJson(const YAML::Node& node, YamlPositions* positions) {
  return Convert(node, "", node.Mark(), positions, 0);
}

}  // namespace grove::pipeline
