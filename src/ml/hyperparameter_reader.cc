#include "ml/hyperparameter_reader.h"

#include <algorithm>

#include "ml/xgboost_params.h"

namespace grove::ml {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

bool IsNone(const Json& v) {
  if (v.is_null()) return true;
  if (!v.is_string()) return false;
  std::string s = Trim(v.get_ref<const std::string&>());
  return s == "None" || s == "none";
}

HyperparameterReader::HyperparameterReader(std::string_view family, const Json& hyperparameters)
    : family_(family), hyperparameters_(hyperparameters) {
  if (!hyperparameters_.is_object() && !hyperparameters_.is_null()) {
    errors_.push_back(family_ + ": hyperparameters must be a JSON object, got " + hyperparameters_.dump());
  }
}

const Json* HyperparameterReader::Find(std::string_view name) {
  accepted_.emplace_back(name);
  if (!hyperparameters_.is_object()) return nullptr;
  auto it = hyperparameters_.find(std::string(name));
  return it == hyperparameters_.end() ? nullptr : &*it;
}

bool HyperparameterReader::Has(std::string_view name) const {
  return hyperparameters_.is_object() && hyperparameters_.contains(std::string(name));
}

void HyperparameterReader::Expected(std::string_view name, std::string_view what, const Json& got) {
  errors_.push_back(family_ + "." + std::string(name) + ": expected " + std::string(what) + ", got " + got.dump());
}

void HyperparameterReader::AddError(std::string_view name, std::string_view message) {
  errors_.push_back(family_ + "." + std::string(name) + ": " + std::string(message));
}

int64_t HyperparameterReader::Integer(std::string_view name, int64_t fallback, NumericRange range) {
  const Json* v = Find(name);
  if (v == nullptr) return fallback;
  std::optional<int64_t> i = HyperparameterInteger(*v);
  if (!i || !range.Contains(static_cast<double>(*i))) {
    Expected(name, range.Describe("an integer"), *v);
    return fallback;
  }
  return *i;
}

std::optional<int64_t> HyperparameterReader::OptionalInteger(std::string_view name, std::optional<int64_t> fallback,
                                                             NumericRange range) {
  const Json* v = Find(name);
  if (v == nullptr) return fallback;
  if (IsNone(*v)) return std::nullopt;
  std::optional<int64_t> i = HyperparameterInteger(*v);
  if (!i || !range.Contains(static_cast<double>(*i))) {
    Expected(name, range.Describe("an integer") + " or None", *v);
    return fallback;
  }
  return *i;
}

double HyperparameterReader::Number(std::string_view name, double fallback, NumericRange range) {
  const Json* v = Find(name);
  if (v == nullptr) return fallback;
  std::optional<double> d = HyperparameterNumber(*v);
  if (!d || !range.Contains(*d)) {
    Expected(name, range.Describe("a number"), *v);
    return fallback;
  }
  return *d;
}

bool HyperparameterReader::Bool(std::string_view name, bool fallback) {
  const Json* v = Find(name);
  if (v == nullptr) return fallback;
  std::optional<bool> b = HyperparameterBool(*v);
  if (!b) {
    Expected(name, "true or false", *v);
    return fallback;
  }
  return *b;
}

std::string HyperparameterReader::Choice(std::string_view name, std::string_view fallback,
                                         const std::vector<std::string>& valid) {
  const Json* v = Find(name);
  if (v == nullptr) return std::string(fallback);
  std::string s = IsNone(*v) ? "none" : v->is_string() ? Trim(v->get_ref<const std::string&>()) : "";
  if (std::find(valid.begin(), valid.end(), s) == valid.end()) {
    Expected(name, "one of " + JoinNames(valid), *v);
    return std::string(fallback);
  }
  return s;
}

std::vector<int64_t> HyperparameterReader::PositiveIntegerList(std::string_view name,
                                                               const std::vector<int64_t>& fallback) {
  const Json* v = Find(name);
  if (v == nullptr) return fallback;
  Json items = *v;
  if (v->is_number()) items = Json::array({*v});
  if (v->is_string()) {
    std::string s = Trim(v->get_ref<const std::string&>());
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
    items = Json::array();
    size_t pos = 0;
    while (pos <= s.size()) {
      size_t comma = std::min(s.find(',', pos), s.size());
      std::string part = Trim(s.substr(pos, comma - pos));
      if (!part.empty() || comma < s.size()) items.push_back(part);  // "(50,)" is one layer, as in Python.
      pos = comma + 1;
    }
  }
  std::vector<int64_t> out;
  bool ok = items.is_array() && !items.empty();
  for (const Json& item : ok ? items : Json::array()) {
    std::optional<int64_t> i = HyperparameterInteger(item);
    if (!i || *i < 1) ok = false;
    else out.push_back(*i);
  }
  if (!ok) {
    Expected(name, "positive integers such as \"100\" or \"50,50\"", *v);
    return fallback;
  }
  return out;
}

Status HyperparameterReader::Finish() const {
  std::vector<std::string> problems = errors_;
  if (hyperparameters_.is_object()) {
    for (auto it = hyperparameters_.begin(); it != hyperparameters_.end(); ++it) {
      if (std::find(accepted_.begin(), accepted_.end(), it.key()) != accepted_.end()) continue;
      std::string message = family_ + ": unknown hyperparameter \"" + it.key() + "\"";
      std::vector<std::string> close = CloseMatches(it.key(), accepted_);
      if (!close.empty()) message += " (did you mean " + JoinNames(close) + "?)";
      problems.push_back(message + "; valid: " + JoinNames(accepted_));
    }
  }
  if (problems.empty()) return Status::OK();
  std::string joined;
  for (const std::string& p : problems) joined += (joined.empty() ? "" : "; ") + p;
  return Status::InvalidArgument(joined);
}

}  // namespace grove::ml
