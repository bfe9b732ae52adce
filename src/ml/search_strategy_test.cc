#include "ml/search_strategy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace grove::ml {
namespace {

SearchSpace Parse(const char* json) { return ParseSearchSpace(Json::parse(json)).value(); }

TEST(SearchSpaceTest, ExpandsTheShorthandsLikeNumpyAndPython) {
  SearchSpace s = Parse(R"({"rf": {"n": {"range": [50, 550, 50]}, "c": ["gini", "entropy"]},
                            "mlp": {"lr": {"logspace": [-3, -1, 3]}, "sub": {"linspace": [0.6, 1, 5]}},
                            "nb": {}})");
  ASSERT_EQ(s.families.size(), 3u);
  const ParamDomain& n = s.families[0].params[0].second;
  ASSERT_EQ(n.values.size(), 10u);
  EXPECT_EQ(n.values.front(), 50);
  EXPECT_EQ(n.values.back(), 500);
  const ParamDomain& lr = s.families[1].params[0].second;
  EXPECT_NEAR(lr.values[0].get<double>(), 0.001, 1e-15);
  EXPECT_NEAR(lr.values[1].get<double>(), 0.01, 1e-15);
  EXPECT_NEAR(lr.values[2].get<double>(), 0.1, 1e-15);
  const ParamDomain& sub = s.families[1].params[1].second;
  EXPECT_DOUBLE_EQ(sub.values[1].get<double>(), 0.7);
  EXPECT_DOUBLE_EQ(sub.values[4].get<double>(), 1.0);
  EXPECT_TRUE(s.families[2].params.empty());
}

TEST(SearchSpaceTest, ErrorsNameThePath) {
  auto bad = ParseSearchSpace(Json::parse(R"({"mlp": {"alpha": {"logspace": [1, 2]}}})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "search_space.mlp.alpha.logspace: expected [start, stop, num] with num >= 1");
  auto unknown = ParseSearchSpace(Json::parse(R"({"mlp": {"alpha": {"uniform": [1, 2]}}})"));
  EXPECT_NE(unknown.status().message().find("unknown domain 'uniform'"), std::string::npos);
  auto empty = ParseSearchSpace(Json::parse(R"({"rf": {"c": []}})"));
  EXPECT_NE(empty.status().message().find("search_space.rf.c"), std::string::npos);
  auto log = ParseSearchSpace(Json::parse(R"({"x": {"eta": {"float": [0, 1], "log": true}}})"));
  EXPECT_NE(log.status().message().find("low > 0"), std::string::npos);
}

TEST(RandomSearchTest, SameSeedSameTrialsAndValuesStayInTheirDomains) {
  const char* space = R"({"rf": {"n": {"int": [2, 11]}, "c": ["gini", "entropy"]},
                          "xgb": {"eta": {"float": [0.1, 1], "log": true}}})";
  auto a = MakeRandomSearch(Parse(space), 42, 200);
  auto b = MakeRandomSearch(Parse(space), 42, 200);
  auto c = MakeRandomSearch(Parse(space), 43, 200);
  std::set<int64_t> ns;
  int differs = 0, count = 0;
  while (auto t = a->Next()) {
    auto u = b->Next();
    auto v = c->Next();
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(t->family, u->family);
    EXPECT_EQ(t->hyperparameters, u->hyperparameters);
    differs += t->hyperparameters != v->hyperparameters;
    if (t->family == "rf") {
      int64_t n = t->hyperparameters["n"];
      EXPECT_GE(n, 2);
      EXPECT_LE(n, 11);
      ns.insert(n);
    } else {
      double eta = t->hyperparameters["eta"];
      EXPECT_GE(eta, 0.1);
      EXPECT_LE(eta, 1.0);
    }
    ++count;
  }
  EXPECT_EQ(count, 200);
  EXPECT_EQ(ns.size(), 10u);  // Both ends are reached.
  EXPECT_GT(differs, 150);
}

TEST(GridSearchTest, EnumeratesEveryCombinationInOrder) {
  auto grid = MakeGridSearch(Parse(R"({"a": {"x": [1, 2], "y": {"int": [0, 2]}}, "b": {}})"), 100).value();
  std::vector<std::string> seen;
  while (auto t = grid->Next()) seen.push_back(t->family + t->hyperparameters.dump());
  EXPECT_EQ(seen, (std::vector<std::string>{R"(a{"x":1,"y":0})", R"(a{"x":1,"y":1})", R"(a{"x":1,"y":2})",
                                            R"(a{"x":2,"y":0})", R"(a{"x":2,"y":1})", R"(a{"x":2,"y":2})",
                                            R"(b{})"}));
  auto capped = MakeGridSearch(Parse(R"({"a": {"x": [1, 2, 3]}})"), 2).value();
  int n = 0;
  while (capped->Next()) ++n;
  EXPECT_EQ(n, 2);
  EXPECT_FALSE(MakeGridSearch(Parse(R"({"a": {"x": {"float": [0, 1]}}})"), 5).ok());
}

}  // namespace
}  // namespace grove::ml
