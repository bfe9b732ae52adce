#include "events/hook_spec.h"

#include <cctype>

#include "common/edit_distance.h"
#include "events/event_types.h"

namespace grove::events {

namespace {

const std::vector<std::string>& KnownMembers() {
  static const std::vector<std::string> kMembers = {"on",      "where", "webhook", "secret_env",
                                                    "command", "email", "start",   "max_attempts"};
  return kMembers;
}

// " (did you mean 'x'?)" when a known name is within two edits, else "".
std::string Hint(const std::string& given, const std::vector<std::string>& known) {
  std::string best;
  size_t best_distance = 3;
  for (const std::string& k : known) {
    size_t d = EditDistance(given, k, /*ignore_case=*/true);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

// Errors carry the member's path through *field and say where in the message too.
struct Checker {
  const std::string& name;
  std::string* field;
  Status Fail(const std::string& path, const std::string& why) const {
    if (field != nullptr) *field = path;
    return Status::InvalidArgument("hook " + name + (path.empty() ? "" : " " + path) + ": " + why);
  }
  Result<std::string> Text(const Json& value, const std::string& path) const {
    if (!value.is_string()) return Fail(path, "expected a string, got " + value.dump());
    if (value.get<std::string>().empty()) return Fail(path, "is empty");
    return value.get<std::string>();
  }
};

bool ValidEmail(const std::string& a) {
  const size_t at = a.find('@');
  if (at == std::string::npos || at == 0 || at != a.rfind('@') || at + 1 >= a.size()) return false;
  const std::string domain = a.substr(at + 1);
  if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.') return false;
  for (char c : a) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)) || c == '<' ||
        c == '>' || c == ',' || c == ';') {
      return false;
    }
  }
  return true;
}

Status CheckTemplate(const Checker& check, const std::string& text, const std::string& path) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') return check.Fail(path, "'" + text + "' has a '}' without '{'");
    if (text[i] != '{') continue;
    size_t close = text.find('}', i);
    if (close == std::string::npos) return check.Fail(path, "'" + text + "' has a '{' without '}'");
    if (close == i + 1) return check.Fail(path, "'" + text + "' has an empty {}");
    i = close;
  }
  return Status::OK();
}

Result<HookStart> StartFromJson(const Checker& check, const Json& body) {
  if (!body.is_object()) return check.Fail("start", "expected {pipeline, parameters}, got " + body.dump());
  HookStart start;
  for (const auto& [key, value] : body.items()) {
    if (key == "pipeline") {
      ASSIGN_OR_RETURN(start.pipeline, check.Text(value, "start/pipeline"));
    } else if (key == "parameters") {
      if (!value.is_object()) return check.Fail("start/parameters", "expected an object of Name: template");
      for (const auto& [p, t] : value.items()) {
        const std::string path = "start/parameters/" + p;
        if (!t.is_string()) return check.Fail(path, "expected a template string, got " + t.dump());
        RETURN_IF_ERROR(CheckTemplate(check, t.get<std::string>(), path));
        start.parameters[p] = t.get<std::string>();
      }
    } else {
      return check.Fail("start/" + key, "unknown member" + Hint(key, {"pipeline", "parameters"}));
    }
  }
  if (start.pipeline.empty()) return check.Fail("start/pipeline", "is missing (the pipeline to start)");
  return start;
}

Result<std::vector<std::string>> EmailFromJson(const Checker& check, const Json& value) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_array() && !value.empty()) {
    for (size_t i = 0; i < value.size(); ++i) {
      ASSIGN_OR_RETURN(std::string a, check.Text(value[i], "email/" + std::to_string(i)));
      out.push_back(a);
    }
  } else {
    return check.Fail("email", "expected an address or a list of them, got " + value.dump());
  }
  for (size_t i = 0; i < out.size(); ++i) {
    if (!ValidEmail(out[i])) {
      return check.Fail(value.is_array() ? "email/" + std::to_string(i) : "email",
                        "'" + out[i] + "' is not an email address (e.g. ops@example.com)");
    }
  }
  return out;
}

Status CheckMember(const Checker& check, HookSpec& spec, const std::string& key, const Json& value) {
  if (key == "on") {
    ASSIGN_OR_RETURN(spec.on, check.Text(value, "on"));
    if (!IsKnownEventPattern(spec.on)) {
      std::string types;
      for (const std::string& t : PublicEventTypes()) types += (types.empty() ? "" : ", ") + t;
      return check.Fail("on", "'" + spec.on + "' matches no event type" + Hint(spec.on, PublicEventTypes()) +
                                  "; the types: " + types + " (globs such as model.* too)");
    }
  } else if (key == "where") {
    if (!value.is_object()) return check.Fail("where", "expected an object of field: glob, got " + value.dump());
    for (const auto& [f, glob] : value.items()) {
      if (f.empty()) return check.Fail("where/", "an empty field name");
      if (!glob.is_string() && !glob.is_number() && !glob.is_boolean()) {
        return check.Fail("where/" + f, "expected a glob string, got " + glob.dump());
      }
      spec.where[f] = glob.is_string() ? glob.get<std::string>() : glob.dump();
    }
  } else if (key == "webhook") {
    ASSIGN_OR_RETURN(spec.webhook, check.Text(value, "webhook"));
    if (spec.webhook.rfind("http://", 0) != 0 && spec.webhook.rfind("https://", 0) != 0) {
      return check.Fail("webhook", "'" + spec.webhook + "': expected an http:// or https:// URL");
    }
  } else if (key == "secret_env") {
    ASSIGN_OR_RETURN(spec.secret_env, check.Text(value, "secret_env"));
  } else if (key == "command") {
    ASSIGN_OR_RETURN(spec.command, check.Text(value, "command"));
  } else if (key == "email") {
    ASSIGN_OR_RETURN(spec.email, EmailFromJson(check, value));
  } else if (key == "start") {
    ASSIGN_OR_RETURN(spec.start, StartFromJson(check, value));
  } else if (key == "max_attempts") {
    if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 100) {
      return check.Fail("max_attempts", "expected a whole number from 1 to 100, got " + value.dump());
    }
    spec.max_attempts = value.get<int>();
  } else {
    return check.Fail(key, "unknown member" + Hint(key, KnownMembers()));
  }
  return Status::OK();
}

}  // namespace

HookTargetKind HookSpec::target_kind() const {
  if (!webhook.empty()) return HookTargetKind::kWebhook;
  if (!command.empty()) return HookTargetKind::kCommand;
  if (!email.empty()) return HookTargetKind::kEmail;
  return HookTargetKind::kStart;
}

Status CheckHookName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name.front()));
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  if (ok) return Status::OK();
  return Status::InvalidArgument("hook name '" + name +
                                 "': expected 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit");
}

Result<HookSpec> HookSpecFromJson(const std::string& name, const Json& body, std::string* field) {
  if (field != nullptr) field->clear();
  Checker check{name, field};
  if (Status s = CheckHookName(name); !s.ok()) return check.Fail("", s.message());
  if (!body.is_object()) return check.Fail("", "expected an object {on, target, ...}, got " + body.dump());
  HookSpec spec;
  spec.name = name;
  for (const auto& [key, value] : body.items()) RETURN_IF_ERROR(CheckMember(check, spec, key, value));
  if (spec.on.empty()) return check.Fail("on", "is missing (the event type to match, e.g. model.approved)");
  const int targets = !spec.webhook.empty() + !spec.command.empty() + !spec.email.empty() + spec.start.has_value();
  if (targets != 1) {
    return check.Fail("", std::string(targets == 0 ? "no target" : "more than one target") +
                              ": give exactly one of webhook, command, email and start");
  }
  if (!spec.secret_env.empty() && spec.webhook.empty()) return check.Fail("secret_env", "goes with webhook only");
  return spec;
}

Json ToJson(const HookSpec& spec) {
  Json out = {{"on", spec.on}};
  if (!spec.where.empty()) {
    out["where"] = Json::object();
    for (const auto& [f, glob] : spec.where) out["where"][f] = glob;
  }
  if (!spec.webhook.empty()) out["webhook"] = spec.webhook;
  if (!spec.secret_env.empty()) out["secret_env"] = spec.secret_env;
  if (!spec.command.empty()) out["command"] = spec.command;
  if (spec.email.size() == 1) out["email"] = spec.email.front();
  if (spec.email.size() > 1) out["email"] = spec.email;
  if (spec.start) {
    out["start"] = {{"pipeline", spec.start->pipeline}};
    if (!spec.start->parameters.empty()) {
      out["start"]["parameters"] = Json::object();
      for (const auto& [p, t] : spec.start->parameters) out["start"]["parameters"][p] = t;
    }
  }
  if (spec.max_attempts != HookSpec().max_attempts) out["max_attempts"] = spec.max_attempts;
  return out;
}

std::string TargetText(const HookSpec& spec) {
  switch (spec.target_kind()) {
    case HookTargetKind::kWebhook:
      return "webhook " + spec.webhook;
    case HookTargetKind::kCommand:
      return "command " + spec.command;
    case HookTargetKind::kEmail: {
      std::string out;
      for (const std::string& a : spec.email) out += (out.empty() ? "" : ", ") + a;
      return "email " + out;
    }
    case HookTargetKind::kStart:
      return "start " + (spec.start ? spec.start->pipeline : std::string());
  }
  return "";
}

}  // namespace grove::events
