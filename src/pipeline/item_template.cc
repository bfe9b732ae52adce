#include "pipeline/item_template.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "common/clock.h"
#include "pipeline/validator.h"

namespace grove::pipeline {

namespace {

constexpr const char* kStepKeys[] = {"name", "type", "arguments", "depends_on", "description", "cache", "retry"};
constexpr std::string_view kItemData = "${item.data}";
constexpr std::string_view kItem = "${item}";

std::string Index(const std::string& field, size_t i) { return field + "[" + std::to_string(i) + "]"; }

bool IsNestedList(const StepTypeRegistry& types, const std::string& type, const std::string& key) {
  const StepType* t = types.Find(type);
  if (t == nullptr) return false;
  std::vector<std::string> lists = t->NestedStepLists();
  return std::find(lists.begin(), lists.end(), key) != lists.end();
}

void ReplaceAll(std::string& text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

class Instantiator {
 public:
  // An empty item keeps the template as written (TemplateSteps).
  Instantiator(const TemplateItem& item, const StepTypeRegistry& types)
      : item_(item), types_(types), written_(item.item.empty()) {}

  Status CollectNames(const Json& steps, const std::string& field) {
    if (!steps.is_array()) return Status::InvalidArgument(field + ": expected a list of steps, got " + steps.dump());
    for (size_t i = 0; i < steps.size(); ++i) {
      const Json& step = steps[i];
      const std::string at = Index(field, i);
      if (!step.is_object()) return Status::InvalidArgument(at + ": expected a step (a mapping), got " + step.dump());
      const Json& name = step.value("name", Json());
      if (!name.is_string() || !IsValidName(name.get<std::string>())) {
        return Status::InvalidArgument(at + ".name: expected a step name ([A-Za-z0-9][A-Za-z0-9_-]*), got " +
                                       name.dump());
      }
      if (!names_.insert(name.get<std::string>()).second) {
        return Status::InvalidArgument(at + ".name: duplicate step name '" + name.get<std::string>() + "'");
      }
      const Json& type = step.value("type", Json());
      if (!type.is_string() || types_.Find(type.get<std::string>()) == nullptr) {
        std::vector<std::string> known = types_.Names();
        std::string list;
        for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
        return Status::InvalidArgument(at + ".type: unknown step type " + type.dump() + " (expected one of: " +
                                       list + ")");
      }
      const Json& args = step.value("arguments", Json::object());
      if (!args.is_object() && !args.is_null()) {
        return Status::InvalidArgument(at + ".arguments: expected a mapping, got " + args.dump());
      }
      if (!args.is_object()) continue;
      for (auto it = args.begin(); it != args.end(); ++it) {
        if (IsNestedList(types_, type.get<std::string>(), it.key()) && !it.value().is_null()) {
          RETURN_IF_ERROR(CollectNames(it.value(), at + ".arguments." + it.key()));
        }
      }
    }
    return Status::OK();
  }

  Result<std::vector<std::string>> AddSteps(const Json& steps, const std::string& field, const std::string& guard,
                                            const std::string& branch) {
    std::vector<std::string> added;
    for (size_t i = 0; i < steps.size(); ++i) {
      ASSIGN_OR_RETURN(std::string name, AddStep(steps[i], Index(field, i), guard, branch));
      added.push_back(std::move(name));
    }
    return added;
  }

  std::vector<StepDef> Take() { return std::move(out_); }

 private:
  std::string Rename(const std::string& name) const {
    return names_.count(name) && !written_ ? ItemStepName(name, item_.item) : name;
  }

  Result<Json> Substitute(const Json& value, const std::string& at) const {
    if (written_) return value;
    if (value.is_string()) {
      std::string text = value.get<std::string>();
      if (text.find(kItemData) != std::string::npos) {
        if (item_.data.empty()) {
          return Status::InvalidArgument(at + ": ${item.data} is the item's rows or folder, which only a ForEach "
                                              "over a column or over folders has");
        }
        ReplaceAll(text, kItemData, item_.data);
      }
      ReplaceAll(text, kItem, item_.item);
      return Json(std::move(text));
    }
    if (value.is_array()) {
      Json out = Json::array();
      for (size_t i = 0; i < value.size(); ++i) {
        ASSIGN_OR_RETURN(Json v, Substitute(value[i], Index(at, i)));
        out.push_back(std::move(v));
      }
      return out;
    }
    if (!value.is_object()) return value;
    if (value.size() == 1 && value.contains("Get") && value["Get"].is_string()) {
      std::string ref = value["Get"].get<std::string>();
      size_t end = ref.find(".Outputs.");
      if (ref.rfind("Steps.", 0) == 0 && end != std::string::npos) {
        ref = "Steps." + Rename(ref.substr(6, end - 6)) + ref.substr(end);
      }
      return Json{{"Get", ref}};
    }
    Json out = Json::object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      ASSIGN_OR_RETURN(Json v, Substitute(it.value(), at + "." + it.key()));
      out[it.key()] = std::move(v);
    }
    if (value.size() == 1 && value.contains("JsonGet") && out["JsonGet"].is_object() &&
        out["JsonGet"].value("step", Json()).is_string()) {
      out["JsonGet"]["step"] = Rename(out["JsonGet"]["step"].get<std::string>());
    }
    return out;
  }

  Result<std::string> AddStep(const Json& step, const std::string& at, const std::string& guard,
                              const std::string& branch) {
    for (auto it = step.begin(); it != step.end(); ++it) {
      if (std::find_if(std::begin(kStepKeys), std::end(kStepKeys),
                       [&](const char* k) { return it.key() == k; }) == std::end(kStepKeys)) {
        return Status::InvalidArgument(at + "." + it.key() + ": unknown key '" + it.key() +
                                       "' (accepted keys: name, type, arguments, depends_on, description, cache, "
                                       "retry)");
      }
    }
    StepDef s;
    s.name = Rename(step["name"].get<std::string>());
    s.type = step["type"].get<std::string>();
    s.guard_step = guard;
    s.guard_branch = branch;
    s.description = step.value("description", "");
    RETURN_IF_ERROR(ReadDependsOn(step.value("depends_on", Json()), at + ".depends_on", s));
    RETURN_IF_ERROR(ReadCache(step.value("cache", Json()), at + ".cache", s.cache));
    RETURN_IF_ERROR(ReadRetry(step.value("retry", Json()), at + ".retry", s.retry));
    std::vector<std::pair<std::string, Json>> nested;
    const Json args = step.value("arguments", Json::object());
    if (args.is_object()) {
      for (auto it = args.begin(); it != args.end(); ++it) {
        if (IsNestedList(types_, s.type, it.key())) {
          nested.emplace_back(it.key(), it.value().is_null() ? Json::array() : it.value());
          continue;
        }
        ASSIGN_OR_RETURN(s.arguments[it.key()], Substitute(it.value(), at + ".arguments." + it.key()));
      }
    }
    const std::string name = s.name;
    const size_t index = out_.size();
    out_.push_back(std::move(s));
    for (const auto& [list, steps] : nested) {
      ASSIGN_OR_RETURN(std::vector<std::string> names, AddSteps(steps, at + ".arguments." + list, name, list));
      out_[index].branches[list] = std::move(names);
    }
    return name;
  }

  Status ReadDependsOn(const Json& value, const std::string& at, StepDef& s) const {
    if (value.is_null()) return Status::OK();
    Json list = value.is_string() ? Json::array({value}) : value;
    if (!list.is_array()) return Status::InvalidArgument(at + ": expected a list of step names, got " + value.dump());
    for (const Json& d : list) {
      if (!d.is_string()) return Status::InvalidArgument(at + ": expected a step name, got " + d.dump());
      s.depends_on.push_back(Rename(d.get<std::string>()));
    }
    return Status::OK();
  }

  static Status ReadCache(const Json& value, const std::string& at, CachePolicy& cache) {
    if (value.is_null()) return Status::OK();
    if (value.is_boolean()) {
      cache.enabled = value.get<bool>();
      return Status::OK();
    }
    if (!value.is_object()) return Status::InvalidArgument(at + ": expected true, false or {enabled, expire_after}");
    const Json& enabled = value.value("enabled", Json(true));
    if (!enabled.is_boolean()) return Status::InvalidArgument(at + ".enabled: expected true or false");
    cache.enabled = enabled.get<bool>();
    const Json& expire = value.value("expire_after", Json());
    if (!expire.is_null()) {
      Result<TimeMs> ms = expire.is_string() ? ParseIsoDuration(expire.get<std::string>())
                                             : Result<TimeMs>(Status::InvalidArgument("expected an ISO-8601 duration"));
      if (!ms.ok()) return Status::InvalidArgument(at + ".expire_after: " + ms.status().message());
      cache.expire_after = *ms;
    }
    return Status::OK();
  }

  static Status ReadRetry(const Json& value, const std::string& at, RetryPolicy& retry) {
    if (value.is_null()) return Status::OK();
    if (!value.is_object()) return Status::InvalidArgument(at + ": expected {max_attempts, interval_seconds, backoff_rate}");
    for (auto it = value.begin(); it != value.end(); ++it) {
      const bool whole = it.key() == "max_attempts";
      if (!it.value().is_number() || it.value().get<double>() < (whole ? 1 : 0) ||
          (whole && !it.value().is_number_integer())) {
        return Status::InvalidArgument(at + "." + it.key() + ": expected " +
                                       (whole ? "a whole number of at least 1" : "a number of at least 0") +
                                       ", got " + it.value().dump());
      }
      if (whole) retry.max_attempts = it.value().get<int>();
      else if (it.key() == "interval_seconds") retry.interval_seconds = it.value().get<double>();
      else if (it.key() == "backoff_rate") retry.backoff_rate = it.value().get<double>();
      else return Status::InvalidArgument(at + "." + it.key() + ": unknown key");
    }
    return Status::OK();
  }

  const TemplateItem& item_;
  const StepTypeRegistry& types_;
  const bool written_;
  std::set<std::string> names_;
  std::vector<StepDef> out_;
};

Result<std::vector<StepDef>> Instantiate(const Json& steps, const std::string& field, const TemplateItem& item,
                                         const StepTypeRegistry& types) {
  Instantiator instantiator(item, types);
  RETURN_IF_ERROR(instantiator.CollectNames(steps, field));
  if (steps.empty()) return Status::InvalidArgument(field + ": a ForEach needs at least one step");
  RETURN_IF_ERROR(instantiator.AddSteps(steps, field, "", "").status());
  return instantiator.Take();
}

}  // namespace

bool IsValidItem(std::string_view item) {
  if (item.empty() || item.size() > 100 || !std::isalnum(static_cast<unsigned char>(item[0]))) return false;
  return std::all_of(item.begin(), item.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::string ItemStepName(const std::string& step, const std::string& item) { return step + "[" + item + "]"; }

bool IsItemStepName(std::string_view name) {
  size_t open = name.find('[');
  if (open == std::string_view::npos || name.back() != ']') return false;
  return IsValidName(name.substr(0, open)) && IsValidItem(name.substr(open + 1, name.size() - open - 2));
}

std::pair<std::string, std::string> SplitItemStepName(std::string_view name) {
  if (!IsItemStepName(name)) return {};
  size_t open = name.find('[');
  return {std::string(name.substr(0, open)), std::string(name.substr(open + 1, name.size() - open - 2))};
}

Result<std::vector<StepDef>> InstantiateTemplate(const Json& steps, const std::string& field,
                                                 const TemplateItem& item, const StepTypeRegistry& types) {
  if (!IsValidItem(item.item)) {
    return Status::InvalidArgument("item '" + item.item +
                                   "' cannot name steps: items are [A-Za-z0-9][A-Za-z0-9_.-]*, at most 100 "
                                   "characters");
  }
  return Instantiate(steps, field, item, types);
}

Result<std::vector<StepDef>> TemplateSteps(const Json& steps, const std::string& field,
                                           const StepTypeRegistry& types) {
  ASSIGN_OR_RETURN(std::vector<StepDef> written, Instantiate(steps, field, TemplateItem{}, types));
  for (StepDef& step : written) ParseStepExpressions(step, types);
  return written;
}

}  // namespace grove::pipeline
