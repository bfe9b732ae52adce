// Logistic regression and Gaussian naive Bayes against scikit-learn on
// breast-cancer, when Debian's /usr/bin/python3 has scikit-learn (skipped
// otherwise). Both sides fit all 569 rows and predict them; the features are
// the same doubles on both sides (rounded through float, as ReadLabelFirstCsv reads them).
//
// Tolerances: Gaussian NB is closed-form, so probabilities agree to 1e-9.
// Logistic regression is the optimum of the same objective, found by Newton
// here and by scikit-learn's solver="newton-cg" there (gradient tolerance
// 1e-8, at most 300 iterations): probabilities agree to 1e-6. (scikit-learn's default L-BFGS
// stops early on its relative-decrease test, with gradients near 3e-4, and
// differs from both by up to 1.2e-4.)

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "common/file_util.h"
#include "ml/model_registry.h"
#include "ml/model_test_data.h"

namespace grove::ml {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

// Runs `command`, returning its stdout and setting *exit_code.
std::string RunCommand(const std::string& command, int* exit_code) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *exit_code = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  *exit_code = pclose(pipe);
  return out;
}

bool HaveSklearn() {
  if (!std::filesystem::exists(kPython)) return false;
  int code = 0;
  RunCommand(std::string(kPython) + " -c 'import sklearn, numpy' 2>/dev/null", &code);
  return code == 0;
}

// Fits the configurations below in scikit-learn and prints
// {"<name>": [P(class 1) per row], ...} as JSON.
constexpr const char* kScript = R"PY(
import json, sys, warnings
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
warnings.simplefilter("ignore")
data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
X = data[:, :-1].astype(np.float32).astype(np.float64)
y = data[:, -1].astype(int)
def lr(**kw):
    return make_pipeline(StandardScaler(),
                         LogisticRegression(solver="newton-cg", tol=1e-8, max_iter=300, **kw))
models = {
    "lr_c1": lr(C=1.0),
    "lr_c0.01": lr(C=0.01),
    "lr_c100_balanced": lr(C=100.0, class_weight="balanced"),
    "nb_default": GaussianNB(),
    "nb_0.001": GaussianNB(var_smoothing=1e-3),
    "nb_0.5": GaussianNB(var_smoothing=0.5),
}
out = {name: m.fit(X, y).predict_proba(X)[:, 1].tolist() for name, m in models.items()}
print(json.dumps(out))
)PY";

struct Config {
  const char* name;
  const char* family;
  Json hyperparameters;
  double tolerance;
};

TEST(SklearnComparisonTest, LogisticRegressionAndGaussianNbAgree) {
  if (!HaveSklearn()) GTEST_SKIP() << kPython << " with scikit-learn is not available";
  std::filesystem::path csv = testing::SourceDir() / "datasets/breast-cancer/breast_cancer.csv";
  TempDir dir;
  std::filesystem::path script = dir.path() / "reference.py";
  ASSERT_TRUE(WriteFileAtomic(script, kScript).ok());
  int code = 0;
  std::string output = RunCommand(std::string(kPython) + " " + script.string() + " '" + csv.string() + "'", &code);
  ASSERT_EQ(code, 0) << output;
  Json reference = Json::parse(output, nullptr, false);
  ASSERT_TRUE(reference.is_object()) << output;

  Dataset data = testing::BreastCancer();
  const Config configs[] = {
      {"lr_c1", "logistic_regression", {{"C", 1.0}, {"tol", 1e-10}}, 1e-6},
      {"lr_c0.01", "logistic_regression", {{"C", 0.01}, {"tol", 1e-10}}, 1e-6},
      {"lr_c100_balanced", "logistic_regression", {{"C", 100}, {"class_weight", "balanced"}, {"tol", 1e-10}}, 1e-6},
      {"nb_default", "gaussian_nb", Json::object(), 1e-9},
      {"nb_0.001", "gaussian_nb", {{"var_smoothing", 1e-3}}, 1e-9},
      {"nb_0.5", "gaussian_nb", {{"var_smoothing", 0.5}}, 1e-9},
  };
  for (const Config& c : configs) {
    SCOPED_TRACE(c.name);
    auto model = ModelRegistry::BuiltIn().Create(c.family, c.hyperparameters, TaskKind::kBinaryClassification);
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    ASSERT_TRUE((*model)->Fit(data).ok());
    std::vector<double> ours = (*model)->PredictProba(data.View()).value();
    const Json& theirs = reference[c.name];
    ASSERT_EQ(theirs.size(), ours.size());
    double worst = 0;
    size_t label_differences = 0;
    for (size_t i = 0; i < ours.size(); ++i) {
      double p = theirs[i].get<double>();
      worst = std::max(worst, std::fabs(ours[i] - p));
      label_differences += (ours[i] > 0.5) != (p > 0.5);
    }
    EXPECT_LE(worst, c.tolerance);
    EXPECT_EQ(label_differences, 0u);
    char text[32];
    std::snprintf(text, sizeof(text), "%.3g", worst);
    RecordProperty(c.name, text);
  }
}

}  // namespace
}  // namespace grove::ml
