#include "ml/model_state.h"

#include <cmath>
#include <string>

namespace grove::ml {
namespace {

const Json* Field(const Json& state, std::string_view key) {
  if (!state.is_object()) return nullptr;
  auto it = state.find(std::string(key));
  return it == state.end() ? nullptr : &*it;
}

Status Bad(std::string_view key, std::string_view what) {
  return Status::InvalidArgument("\"" + std::string(key) + "\" must be " + std::string(what));
}

}  // namespace

Json DoublesToJson(std::span<const double> values) {
  Json out = Json::array();
  for (double v : values) out.push_back(v);
  return out;
}

Result<std::vector<double>> ReadDoubles(const Json& state, std::string_view key, size_t size) {
  const Json* v = Field(state, key);
  if (v == nullptr || !v->is_array()) return Bad(key, "an array of numbers");
  if (size != kAnySize && v->size() != size) return Bad(key, std::to_string(size) + " numbers long");
  std::vector<double> out;
  out.reserve(v->size());
  for (const Json& item : *v) {
    if (!item.is_number() || !std::isfinite(item.get<double>())) return Bad(key, "an array of finite numbers");
    out.push_back(item.get<double>());
  }
  return out;
}

Result<double> ReadDouble(const Json& state, std::string_view key) {
  const Json* v = Field(state, key);
  if (v == nullptr || !v->is_number() || !std::isfinite(v->get<double>())) return Bad(key, "a finite number");
  return v->get<double>();
}

Result<size_t> ReadSize(const Json& state, std::string_view key) {
  const Json* v = Field(state, key);
  if (v == nullptr || !v->is_number_unsigned()) return Bad(key, "a non-negative integer");
  return v->get<size_t>();
}

}  // namespace grove::ml
