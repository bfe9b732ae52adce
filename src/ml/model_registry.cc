#include "ml/model_registry.h"

#include <algorithm>

#include "ml/gaussian_nb.h"
#include "ml/linear_regression.h"
#include "ml/logistic_regression.h"
#include "ml/mlp.h"
#include "ml/random_forest.h"
#include "ml/xgboost_model.h"

namespace grove::ml {
namespace {

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

constexpr TaskKind kClassification = TaskKind::kBinaryClassification;
constexpr TaskKind kRegression = TaskKind::kRegression;

ModelRegistry MakeBuiltIn() {
  ModelRegistry r;
  auto add = [&r](std::string name, std::vector<TaskKind> tasks, ModelFactory create) {
    Status s = r.Register(ModelFamily{std::move(name), std::move(tasks), std::move(create)});
    (void)s;  // Names below are distinct.
  };
  add("xgboost", {kClassification, kRegression}, &XgboostModel::Create);
  add("lightgbm", {kClassification, kRegression}, &XgboostModel::CreateLightgbm);
  add("random_forest", {kClassification}, &RandomForest::Create);
  add("logistic_regression", {kClassification}, &LogisticRegression::Create);
  add("gaussian_nb", {kClassification}, &GaussianNb::Create);
  add("mlp", {kClassification}, &Mlp::Create);
  add("linear_regression", {kRegression}, &LinearRegression::CreateOrdinary);
  add("ridge", {kRegression}, &LinearRegression::CreateRidge);
  return r;
}

}  // namespace

const ModelRegistry& ModelRegistry::BuiltIn() {
  static const ModelRegistry* registry = new ModelRegistry(MakeBuiltIn());
  return *registry;
}

Status ModelRegistry::Register(ModelFamily family) {
  if (Find(family.name) != nullptr) return Status::AlreadyExists("model family \"" + family.name + "\" is registered");
  families_.push_back(std::move(family));
  return Status::OK();
}

const ModelFamily* ModelRegistry::Find(std::string_view name) const {
  for (const ModelFamily& f : families_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<std::string> ModelRegistry::FamilyNames() const {
  std::vector<std::string> out;
  for (const ModelFamily& f : families_) out.push_back(f.name);
  return out;
}

std::vector<std::string> ModelRegistry::FamilyNames(TaskKind task) const {
  std::vector<std::string> out;
  for (const ModelFamily& f : families_) {
    if (std::find(f.tasks.begin(), f.tasks.end(), task) != f.tasks.end()) out.push_back(f.name);
  }
  return out;
}

Result<std::unique_ptr<Model>> ModelRegistry::Create(std::string_view family, const Json& hyperparameters,
                                                     TaskKind task) const {
  const ModelFamily* f = Find(family);
  if (f == nullptr) {
    return Status::InvalidArgument("unknown model family \"" + std::string(family) + "\"; valid: " +
                                   Join(FamilyNames()));
  }
  if (std::find(f->tasks.begin(), f->tasks.end(), task) == f->tasks.end()) {
    return Status::InvalidArgument("model family \"" + f->name + "\" cannot learn " +
                                   std::string(TaskKindName(task)) + "; families that can: " +
                                   Join(FamilyNames(task)));
  }
  return f->create(hyperparameters.is_null() ? Json::object() : hyperparameters, task);
}

Status ModelRegistry::Validate(std::string_view family, const Json& hyperparameters, TaskKind task) const {
  return Create(family, hyperparameters, task).status();
}

Result<std::unique_ptr<Model>> ModelRegistry::Load(std::string_view bytes) const {
  Json doc = Json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Status::InvalidArgument("model document is not a JSON object");
  auto text = [&doc](const char* key) -> std::string {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (text("format") != kModelFormat) {
    return Status::InvalidArgument("not a Grove model document (\"format\" must be \"grove-model\")");
  }
  if (!doc.contains("version") || doc["version"] != 1) {
    return Status::InvalidArgument("unsupported model document version " + doc.value("version", Json()).dump());
  }
  ASSIGN_OR_RETURN(TaskKind task, ParseTaskKind(text("task")));
  Json hyperparameters = doc.value("hyperparameters", Json::object());
  ASSIGN_OR_RETURN(std::unique_ptr<Model> model, Create(text("family"), hyperparameters, task));
  // The firewall for nlohmann's type errors while a family reads its state.
  try {
    RETURN_IF_ERROR(model->Restore(doc));
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(text("family") + ": malformed model state: " + e.what());
  }
  return model;
}

}  // namespace grove::ml
