#include "serving/xgboost_model_spec.h"

#include <exception>

namespace grove::serving {
namespace {

// A scalar as text, as XGBoost writes parameters.
std::string ScalarText(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void ReadTextMap(const Json& object, std::map<std::string, std::string>* out) {
  for (const auto& [key, value] : object.items()) {
    if (!value.is_structured()) (*out)[key] = ScalarText(value);
  }
}

template <typename T>
void ReadNumbers(const Json& tree, const char* key, std::vector<T>* out) {
  if (tree.contains(key)) *out = tree.at(key).get<std::vector<T>>();
}

void ReadTreeModel(const Json& model, XgboostModelSpec* spec) {
  spec->tree_info = model.at("tree_info").get<std::vector<int64_t>>();
  for (const Json& t : model.at("trees")) {
    XgboostModelSpec::Tree& tree = spec->trees.emplace_back();
    ReadNumbers(t, "left_children", &tree.left_children);
    ReadNumbers(t, "right_children", &tree.right_children);
    ReadNumbers(t, "split_indices", &tree.split_indices);
    ReadNumbers(t, "split_conditions", &tree.split_conditions);
    ReadNumbers(t, "default_left", &tree.default_left);
    ReadNumbers(t, "split_type", &tree.split_type);
    if (t.contains("tree_param")) ReadTextMap(t.at("tree_param"), &tree.tree_param);
  }
}

}  // namespace

Result<XgboostModelSpec> ReadXgboostModelSpec(const Json& doc) {
  XgboostModelSpec spec;
  try {
    if (!doc.is_object() || !doc.contains("learner")) return spec;  // has_learner stays false.
    spec.has_learner = true;
    const Json& learner = doc.at("learner");
    if (learner.contains("learner_model_param")) ReadTextMap(learner.at("learner_model_param"), &spec.learner_model_param);
    if (learner.contains("objective")) spec.objective = learner.at("objective").at("name").get<std::string>();
    const Json& booster = learner.at("gradient_booster");
    spec.booster = booster.at("name").get<std::string>();
    bool trees = spec.booster == "gbtree" || spec.booster == "dart";
    if (trees && booster.contains("model")) ReadTreeModel(booster.at("model"), &spec);
    if (trees && booster.contains("gbtree")) ReadTreeModel(booster.at("gbtree").at("model"), &spec);
    if (booster.contains("weight_drop")) spec.weight_drop = booster.at("weight_drop").get<std::vector<float>>();
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("not an XGBoost model: ") + e.what());
  }
  return spec;
}

}  // namespace grove::serving
