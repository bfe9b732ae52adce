#include "events/trigger_spec.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "common/file_util.h"
#include "common/utf8.h"
#include "events/cron.h"

namespace grove::events {

namespace {

std::vector<std::string> SplitPath(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t slash = text.find('/', start);
    out.push_back(text.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return out;
    start = slash + 1;
  }
}

// Matches one segment's glob (`*`, `?`, `{Name}` of one or more characters) by backtracking.
bool MatchSegment(std::string_view pattern, std::string_view text, std::map<std::string, std::string>& bound) {
  if (pattern.empty()) return text.empty();
  const char c = pattern.front();
  if (c == '*') {
    for (size_t n = 0; n <= text.size(); ++n) {
      if (MatchSegment(pattern.substr(1), text.substr(n), bound)) return true;
    }
    return false;
  }
  if (c == '?') return !text.empty() && MatchSegment(pattern.substr(1), text.substr(1), bound);
  if (c == '{') {
    size_t close = pattern.find('}');
    std::string name(pattern.substr(1, close - 1));
    for (size_t n = 1; n <= text.size(); ++n) {
      bound[name] = std::string(text.substr(0, n));
      if (MatchSegment(pattern.substr(close + 1), text.substr(n), bound)) return true;
    }
    bound.erase(name);
    return false;
  }
  return !text.empty() && text.front() == c && MatchSegment(pattern.substr(1), text.substr(1), bound);
}

bool MatchSegments(const std::vector<std::string>& pattern, size_t i, const std::vector<std::string>& path, size_t j,
                   std::map<std::string, std::string>& bound) {
  if (i == pattern.size()) return j == path.size();
  if (pattern[i] == "**") {
    for (size_t k = j; k <= path.size(); ++k) {
      if (MatchSegments(pattern, i + 1, path, k, bound)) return true;
    }
    return false;
  }
  if (j == path.size()) return false;
  std::map<std::string, std::string> before = bound;
  if (MatchSegment(pattern[i], path[j], bound) && MatchSegments(pattern, i + 1, path, j + 1, bound)) return true;
  bound = std::move(before);
  return false;
}

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

const std::set<std::string>& BuiltInNames(bool schedule) {
  static const std::set<std::string> kWatch = {"path", "file", "trigger"};
  static const std::set<std::string> kSchedule = {"trigger", "time"};
  return schedule ? kSchedule : kWatch;
}

std::string Joined(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "{" : ", {") + n + "}";
  return out;
}

}  // namespace

Result<WatchPattern> WatchPattern::Parse(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("watch pattern '" + text + "': " + why +
                                   " (e.g. \"training-dataset/{StateDim}/*.csv\")");
  };
  if (text.empty()) return bad("is empty");
  if (text.front() == '/') return bad("must be relative to a watched folder, not start with '/'");
  WatchPattern p;
  p.text_ = text;
  p.segments_ = SplitPath(text);
  for (const std::string& seg : p.segments_) {
    if (seg.empty()) return bad("has an empty segment");
    if (seg == "." || seg == "..") return bad("may not hold '" + seg + "'");
    if (seg.find("**") != std::string::npos && seg != "**") return bad("'**' must be a whole segment");
    for (size_t i = 0; i < seg.size(); ++i) {
      if (seg[i] == '}') return bad("has a '}' without '{'");
      if (seg[i] != '{') continue;
      size_t close = seg.find('}', i);
      if (close == std::string::npos) return bad("has a '{' without '}'");
      std::string name = seg.substr(i + 1, close - i - 1);
      if (name.empty()) return bad("has an empty {}");
      for (char c : name) {
        if (!IsNameChar(c)) return bad("{" + name + "}: a name is letters, digits, '_' and '-'");
      }
      if (BuiltInNames(false).count(name)) return bad("{" + name + "} is set by the trigger, not bound by a path");
      for (const std::string& seen : p.names_) {
        if (seen == name) return bad("binds {" + name + "} twice");
      }
      p.names_.push_back(name);
      i = close;
    }
  }
  return p;
}

std::optional<std::map<std::string, std::string>> WatchPattern::Match(const std::string& relative) const {
  std::map<std::string, std::string> bound;
  if (relative.empty() || !MatchSegments(segments_, 0, SplitPath(relative), 0, bound)) return std::nullopt;
  return bound;
}

std::string WatchPattern::StaticPrefix() const {
  std::string prefix;
  for (size_t i = 0; i + 1 < segments_.size(); ++i) {
    if (segments_[i].find_first_of("*?{") != std::string::npos) break;
    prefix += segments_[i] + "/";
  }
  return prefix;
}

std::vector<std::string> TemplateNames(const std::string& text) {
  std::vector<std::string> names;
  for (size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    names.push_back(text.substr(open + 1, close - open - 1));
  }
  return names;
}

Result<std::string> ExpandTemplate(const std::string& text, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find('{', pos);
    if (open == std::string::npos) break;
    size_t close = text.find('}', open);
    if (close == std::string::npos) return Status::InvalidArgument("'" + text + "': a '{' without '}'");
    out += text.substr(pos, open - pos);
    std::string name = text.substr(open + 1, close - open - 1);
    auto it = values.find(name);
    if (it == values.end()) {
      std::set<std::string> known;
      for (const auto& [k, v] : values) known.insert(k);
      return Status::InvalidArgument("'" + text + "': no {" + name + "} here (there are " + Joined(known) + ")");
    }
    out += it->second;
    pos = close + 1;
  }
  out += text.substr(std::min(pos, text.size()));
  return out;
}

Status CheckTriggerName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name.front()));
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  if (ok) return Status::OK();
  return Status::InvalidArgument("trigger name '" + name +
                                 "': expected 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit");
}

bool IsPipelineFile(const std::string& pipeline) {
  auto ends = [&](const std::string& suffix) {
    return pipeline.size() >= suffix.size() && pipeline.compare(pipeline.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return pipeline.find('/') != std::string::npos || ends(".yaml") || ends(".yml") || ends(".json");
}

Status CheckTriggerSpec(const TriggerSpec& spec) {
  RETURN_IF_ERROR(CheckTriggerName(spec.name));
  const std::string where = "trigger " + spec.name + ": ";
  if (spec.watch.empty() == spec.schedule.empty()) {
    return Status::InvalidArgument(where + "give exactly one of watch (a path pattern) and schedule (cron)");
  }
  if (spec.pipeline.empty() == !spec.queue) {
    return Status::InvalidArgument(where + "give exactly one action: pipeline (a file or name) or queue");
  }
  if (spec.settle_ms < 0 || spec.settle_ms > 3'600'000) {
    return Status::InvalidArgument(where + "settle_ms " + std::to_string(spec.settle_ms) + ": expected 0-3600000");
  }
  std::set<std::string> known = BuiltInNames(!spec.schedule.empty());
  if (!spec.watch.empty()) {
    Result<WatchPattern> pattern = WatchPattern::Parse(spec.watch);
    if (!pattern.ok()) return pattern.status().WithContext("trigger " + spec.name);
    known.insert(pattern->names().begin(), pattern->names().end());
  } else {
    if (spec.queue) return Status::InvalidArgument(where + "a schedule can start a pipeline, not queue a file");
    if (!spec.bucket.empty()) return Status::InvalidArgument(where + "bucket goes with watch, not schedule");
    Result<CronSchedule> cron = CronSchedule::Parse(spec.schedule);
    if (!cron.ok()) return cron.status().WithContext("trigger " + spec.name);
  }
  auto check = [&](const std::string& field, const std::map<std::string, std::string>& templates) -> Status {
    for (const auto& [key, text] : templates) {
      for (const std::string& name : TemplateNames(text)) {
        if (!known.count(name)) {
          return Status::InvalidArgument(where + field + "." + key + " '" + text + "': no {" + name +
                                         "} here (there are " + Joined(known) + ")");
        }
      }
    }
    return Status::OK();
  };
  RETURN_IF_ERROR(check("parameters", spec.parameters));
  RETURN_IF_ERROR(check("queue", spec.queue_target));
  for (const auto& [key, text] : spec.queue_target) {
    if (key != "dimension" && key != "endpoint" && key != "model") {
      return Status::InvalidArgument(where + "queue." + key + ": expected dimension, endpoint or model");
    }
  }
  return Status::OK();
}

Json ToJson(const TriggerSpec& spec) {
  Json out = {{"name", spec.name}};
  if (!spec.watch.empty()) out["watch"] = spec.watch;
  if (!spec.bucket.empty()) out["bucket"] = spec.bucket;
  if (!spec.schedule.empty()) out["schedule"] = spec.schedule;
  if (!spec.pipeline.empty()) {
    out["pipeline"] = spec.pipeline;
    out["parameters"] = Json::object();
    for (const auto& [k, v] : spec.parameters) out["parameters"][k] = v;
  }
  if (spec.queue) {
    out["queue"] = Json::object();
    for (const auto& [k, v] : spec.queue_target) out["queue"][k] = v;
  }
  out["settle_ms"] = spec.settle_ms;
  out["paused"] = spec.paused;
  out["source"] = spec.source;
  return out;
}

namespace {

Result<std::map<std::string, std::string>> StringMap(const Json& json, const std::string& field) {
  std::map<std::string, std::string> out;
  if (json.is_null()) return out;
  if (!json.is_object()) return Status::InvalidArgument("field '" + field + "': expected an object of name: text");
  for (const auto& [key, value] : json.items()) {
    if (value.is_string()) {
      out[key] = value.get<std::string>();
    } else if (value.is_number() || value.is_boolean()) {
      out[key] = value.dump();
    } else {
      return Status::InvalidArgument("field '" + field + "." + key + "': expected text, not " + value.dump());
    }
  }
  return out;
}

Result<std::string> OptionalText(const Json& json, const char* field) {
  if (!json.contains(field) || json[field].is_null()) return std::string();
  if (!json[field].is_string()) return Status::InvalidArgument(std::string("field '") + field + "': expected text");
  return json[field].get<std::string>();
}

}  // namespace

Result<TriggerSpec> TriggerSpecFromJson(const Json& json) {
  if (!json.is_object()) return Status::InvalidArgument("a trigger must be an object, not " + json.dump());
  static const std::set<std::string> kFields = {"name",  "watch",     "bucket", "schedule", "pipeline", "parameters",
                                                "queue", "settle_ms", "paused", "source"};
  for (const auto& [key, value] : json.items()) {
    if (!kFields.count(key)) return Status::InvalidArgument("field '" + key + "': unknown (expected " + [] {
      std::string s;
      for (const std::string& f : kFields) s += (s.empty() ? "" : ", ") + f;
      return s;
    }() + ")");
  }
  TriggerSpec spec;
  ASSIGN_OR_RETURN(spec.name, OptionalText(json, "name"));
  ASSIGN_OR_RETURN(spec.watch, OptionalText(json, "watch"));
  ASSIGN_OR_RETURN(spec.bucket, OptionalText(json, "bucket"));
  ASSIGN_OR_RETURN(spec.schedule, OptionalText(json, "schedule"));
  ASSIGN_OR_RETURN(spec.pipeline, OptionalText(json, "pipeline"));
  ASSIGN_OR_RETURN(spec.source, OptionalText(json, "source"));
  const Json parameters = json.value("parameters", Json());
  ASSIGN_OR_RETURN(spec.parameters, StringMap(parameters, "parameters"));
  if (json.contains("queue")) {
    const Json queue = json["queue"];
    if (queue.is_boolean()) {
      spec.queue = queue.get<bool>();
    } else {
      spec.queue = true;
      ASSIGN_OR_RETURN(spec.queue_target, StringMap(queue, "queue"));
    }
  }
  if (json.contains("settle_ms")) {
    if (!json["settle_ms"].is_number_integer()) return Status::InvalidArgument("field 'settle_ms': expected an integer");
    spec.settle_ms = json["settle_ms"].get<int>();
  }
  if (json.contains("paused")) {
    if (!json["paused"].is_boolean()) return Status::InvalidArgument("field 'paused': expected true or false");
    spec.paused = json["paused"].get<bool>();
  }
  return spec;
}

namespace {

// A YAML node as JSON (scalars as text), for TriggerSpecFromJson.
Json YamlToJson(const YAML::Node& node) {
  if (node.IsMap()) {
    Json out = Json::object();
    for (const auto& kv : node) out[kv.first.as<std::string>()] = YamlToJson(kv.second);
    return out;
  }
  if (node.IsSequence()) {
    Json out = Json::array();
    for (const auto& item : node) out.push_back(YamlToJson(item));
    return out;
  }
  if (node.IsScalar()) return node.as<std::string>();
  return Json();
}

std::string At(const std::string& source, const YAML::Mark& mark) {
  return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": ";
}

// One `triggers:` entry: its keys' types, then the spec's rules, each error at the key it is about.
Result<TriggerSpec> ReadEntry(const YAML::Node& item, size_t index, const std::string& source,
                              const std::filesystem::path& base) {
  const std::string field = "triggers[" + std::to_string(index) + "]";
  if (!item.IsMap()) return Status::InvalidArgument(At(source, item.Mark()) + field + ": expected a map of name, watch|schedule, pipeline|queue");
  Json json = Json::object();
  std::map<std::string, YAML::Mark> marks;
  for (const auto& kv : item) {
    const std::string key = kv.first.as<std::string>();
    marks[key] = kv.second.IsNull() ? kv.first.Mark() : kv.second.Mark();
    const bool map_field = key == "parameters" || key == "queue";
    if (map_field && !kv.second.IsMap() && !kv.second.IsNull()) {
      return Status::InvalidArgument(At(source, marks[key]) + field + "." + key + ": expected a map");
    }
    if (!map_field && !kv.second.IsScalar()) {
      return Status::InvalidArgument(At(source, marks[key]) + field + "." + key + ": expected a single value");
    }
    Json value = YamlToJson(kv.second);
    if (key == "queue" && value.is_null()) value = Json::object();
    if (key == "settle_ms" && value.is_string()) {
      try {
        value = std::stoi(value.get<std::string>());
      } catch (const std::exception&) {
        return Status::InvalidArgument(At(source, marks[key]) + field + ".settle_ms: expected milliseconds");
      }
    }
    if (key == "paused" && value.is_string()) value = value == "true";
    json[key] = value;
  }
  Result<TriggerSpec> spec = TriggerSpecFromJson(json);
  if (!spec.ok()) {
    // Name the key the message is about when it names one.
    const std::string& m = spec.status().message();
    YAML::Mark mark = item.Mark();
    for (const auto& [key, at] : marks) {
      if (m.find("'" + key + "'") != std::string::npos) mark = at;
    }
    return Status::InvalidArgument(At(source, mark) + field + ": " + m);
  }
  spec->source = source;
  if (IsPipelineFile(spec->pipeline)) spec->pipeline = (base / spec->pipeline).lexically_normal().string();
  if (Status s = CheckTriggerSpec(*spec); !s.ok()) {
    YAML::Mark mark = item.Mark();
    static const std::vector<std::pair<std::string, std::string>> kAbout = {
        {"watch", "watch pattern"}, {"schedule", "schedule '"}, {"parameters", "parameters."}, {"queue", "queue."},
        {"settle_ms", "settle_ms "},  {"bucket", "bucket goes"}, {"name", "trigger name '"}};
    for (const auto& [key, phrase] : kAbout) {
      if (marks.count(key) && s.message().find(phrase) != std::string::npos) {
        mark = marks[key];
        break;
      }
    }
    return Status::InvalidArgument(At(source, mark) + field + ": " + s.message());
  }
  return spec;
}

}  // namespace

Result<std::vector<TriggerSpec>> ParseTriggersText(const std::string& text, const std::string& source,
                                                   const std::filesystem::path& base) {
  RETURN_IF_ERROR(CheckUtf8Text(text, source, "a triggers file"));  // Its strings become JSON.
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap() || !root["triggers"]) {
      return Status::InvalidArgument(source + ":1:1: expected a top-level 'triggers:' list");
    }
    YAML::Node list = root["triggers"];
    if (!list.IsSequence()) return Status::InvalidArgument(At(source, list.Mark()) + "triggers: expected a list");
    std::vector<TriggerSpec> specs;
    std::map<std::string, int> lines;
    for (size_t i = 0; i < list.size(); ++i) {
      ASSIGN_OR_RETURN(TriggerSpec spec, ReadEntry(list[i], i, source, base));
      if (lines.count(spec.name)) {
        return Status::InvalidArgument(At(source, list[i].Mark()) + "trigger " + spec.name +
                                       " is defined twice (first at line " + std::to_string(lines[spec.name]) + ")");
      }
      lines[spec.name] = list[i].Mark().line + 1;
      specs.push_back(std::move(spec));
    }
    return specs;
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(At(source, e.mark) + e.msg);
  }
}

Result<std::vector<TriggerSpec>> ReadTriggersFile(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  std::filesystem::path absolute = std::filesystem::absolute(path);
  return ParseTriggersText(text, path.string(), absolute.parent_path());
}

}  // namespace grove::events
