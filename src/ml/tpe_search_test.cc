#include "ml/tpe_search.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace grove::ml {
namespace {

SearchSpace ParseSpace(const char* json) { return ParseSearchSpace(Json::parse(json)).value(); }

// Runs a search to its end, reporting `objective` of each trial at once.
std::vector<TrialSpec> RunSearch(SearchStrategy& search, const std::function<double(const TrialSpec&)>& objective) {
  std::vector<TrialSpec> trials;
  while (search.Ready()) {
    std::optional<TrialSpec> t = search.Next();
    if (!t) break;
    search.Report(t->number, objective(*t));
    trials.push_back(*t);
  }
  return trials;
}

double Peak(const TrialSpec& t) {
  double x = t.hyperparameters["x"].get<double>();
  return -(x - 0.3) * (x - 0.3);
}

constexpr const char* kOneFloat = R"({"f": {"x": {"float": [0, 1]}}})";

TEST(TpeSearchTest, WarmupTrialsAreTheRandomSearchTrials) {
  auto tpe = MakeBayesianSearch(ParseSpace(kOneFloat), 7, 30, {.warmup_trials = 5});
  auto random = MakeRandomSearch(ParseSpace(kOneFloat), 7, 30);
  std::vector<TrialSpec> a = RunSearch(*tpe, Peak);
  std::vector<TrialSpec> b = RunSearch(*random, Peak);
  ASSERT_EQ(a.size(), 30u);
  for (int k = 0; k < 5; ++k) EXPECT_EQ(a[k].hyperparameters, b[k].hyperparameters) << k;
  EXPECT_NE(a[10].hyperparameters, b[10].hyperparameters);
}

TEST(TpeSearchTest, SameSeedAndScoresGiveTheSameTrials) {
  auto a = MakeBayesianSearch(ParseSpace(kOneFloat), 3, 40);
  auto b = MakeBayesianSearch(ParseSpace(kOneFloat), 3, 40);
  auto c = MakeBayesianSearch(ParseSpace(kOneFloat), 4, 40);
  std::vector<TrialSpec> ta = RunSearch(*a, Peak), tb = RunSearch(*b, Peak), tc = RunSearch(*c, Peak);
  for (size_t k = 0; k < ta.size(); ++k) EXPECT_EQ(ta[k].hyperparameters, tb[k].hyperparameters) << k;
  EXPECT_NE(ta[20].hyperparameters, tc[20].hyperparameters);
}

TEST(TpeSearchTest, ConcentratesNearTheOptimumUnlikeRandomSearch) {
  auto tpe = MakeBayesianSearch(ParseSpace(kOneFloat), 11, 60);
  auto random = MakeRandomSearch(ParseSpace(kOneFloat), 11, 60);
  auto mean_distance = [](const std::vector<TrialSpec>& trials) {
    double sum = 0;
    for (size_t k = 30; k < trials.size(); ++k) sum += std::abs(trials[k].hyperparameters["x"].get<double>() - 0.3);
    return sum / static_cast<double>(trials.size() - 30);
  };
  double tpe_distance = mean_distance(RunSearch(*tpe, Peak));
  double random_distance = mean_distance(RunSearch(*random, Peak));
  EXPECT_LT(tpe_distance, 0.12);
  EXPECT_LT(tpe_distance, random_distance / 2);
}

TEST(TpeSearchTest, PrefersTheFamilyThatScoresBetter) {
  SearchSpace space = ParseSpace(R"({"good": {"n": {"int": [1, 10]}}, "bad": {"c": ["x", "y"]}})");
  auto tpe = MakeBayesianSearch(space, 5, 50, {.warmup_trials = 10});
  std::vector<TrialSpec> trials = RunSearch(*tpe, [](const TrialSpec& t) { return t.family == "good" ? 1.0 : 0.0; });
  int good = 0;
  for (size_t k = 10; k < trials.size(); ++k) good += trials[k].family == "good" ? 1 : 0;
  EXPECT_GE(good, 32);  // Of 40; random search would give about 20.
  for (const TrialSpec& t : trials) {
    if (t.family != "good") continue;
    int64_t n = t.hyperparameters["n"].get<int64_t>();
    EXPECT_GE(n, 1);
    EXPECT_LE(n, 10);
  }
}

TEST(TpeSearchTest, FailedTrialsCountAsWorst) {
  SearchSpace space = ParseSpace(R"({"ok": {}, "broken": {}})");
  auto tpe = MakeBayesianSearch(space, 9, 40, {.warmup_trials = 8});
  std::vector<TrialSpec> trials = RunSearch(*tpe, [](const TrialSpec& t) { return t.family == "ok" ? 0.5 : NAN; });
  int ok = 0;
  for (size_t k = 8; k < trials.size(); ++k) ok += trials[k].family == "ok" ? 1 : 0;
  EXPECT_GE(ok, 24);  // Of 32.
}

TEST(TpeSearchTest, WaitsForTheScoresATrialDependsOn) {
  auto tpe = MakeBayesianSearch(ParseSpace(kOneFloat), 1, 10, {.warmup_trials = 2, .history_lag = 1});
  ASSERT_TRUE(tpe->Next().has_value());  // 0 and 1: warm-up, never wait.
  ASSERT_TRUE(tpe->Next().has_value());
  // Trial 2 may use trial 0 only (lag 1), whose score is missing; trial 1's does not help.
  EXPECT_FALSE(tpe->Ready());
  tpe->Report(1, 0.5);
  EXPECT_FALSE(tpe->Ready());
  tpe->Report(0, 0.1);
  EXPECT_TRUE(tpe->Ready());
  EXPECT_TRUE(tpe->Next().has_value());
}

}  // namespace
}  // namespace grove::ml
