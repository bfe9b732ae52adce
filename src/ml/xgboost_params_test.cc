#include "ml/xgboost_params.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ml/hyperparameter_value.h"

namespace grove::ml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::string ErrorOf(const Json& hyperparameters) {
  Result<XgboostParams> p = MapXgboostHyperparameters(hyperparameters);
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  return p.status().message();
}

TEST(XgboostParamsTest, MapsSageMakerStringsOfTheAbaloneTemplate) {
  Json hp = {{"objective", "reg:linear"}, {"num_round", "50"}, {"max_depth", "5"}, {"eta", "0.2"}, {"gamma", "4"},
             {"min_child_weight", "6"},   {"subsample", "0.7"}};
  Result<XgboostParams> p = MapXgboostHyperparameters(hp);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->num_round, 50);
  EXPECT_EQ(p->early_stopping_rounds, 0);
  EXPECT_EQ(p->objective, "reg:squarederror");
  EXPECT_THAT(p->booster_params, ElementsAre(Pair("objective", "reg:squarederror"), Pair("max_depth", "5"),
                                             Pair("eta", "0.2"), Pair("gamma", "4"), Pair("min_child_weight", "6"),
                                             Pair("subsample", "0.7"), Pair("tree_method", "hist")));
}

TEST(XgboostParamsTest, AcceptsNumbersBooleansAndTrainerSettings) {
  Json hp = {{"num_round", 10},
             {"eta", 0.3},
             {"booster", "dart"},
             {"one_drop", true},
             {"refresh_leaf", "False"},
             {"csv_weights", "1"},
             {"early_stopping_rounds", 5.0},
             {"tree_method", "approx"},
             {"seed", -3}};
  Result<XgboostParams> p = MapXgboostHyperparameters(hp);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->num_round, 10);
  EXPECT_EQ(p->early_stopping_rounds, 5);
  EXPECT_TRUE(p->csv_weights);
  EXPECT_THAT(p->booster_params,
              ElementsAre(Pair("eta", "0.3"), Pair("booster", "dart"), Pair("one_drop", "1"), Pair("refresh_leaf", "0"),
                          Pair("tree_method", "approx"), Pair("seed", "-3")));
}

TEST(XgboostParamsTest, AcceptsEveryHyperparameterOfTheBuiltInAlgorithm) {
  Json hp = {{"num_round", "3"},
             {"early_stopping_rounds", "2"},
             {"objective", "binary:logistic"},
             {"eval_metric", "auc"},
             {"booster", "gbtree"},
             {"tree_method", "hist"},
             {"seed", "1"},
             {"nthread", "1"},
             {"alpha", "0"},
             {"lambda", "1"},
             {"lambda_bias", "0"},
             {"eta", "0.3"},
             {"gamma", "0"},
             {"max_depth", "6"},
             {"min_child_weight", "1"},
             {"max_delta_step", "0"},
             {"subsample", "1"},
             {"sampling_method", "uniform"},
             {"colsample_bytree", "1"},
             {"colsample_bylevel", "1"},
             {"colsample_bynode", "1"},
             {"grow_policy", "depthwise"},
             {"max_leaves", "0"},
             {"max_bin", "256"},
             {"max_cat_to_onehot", "4"},
             {"num_parallel_tree", "1"},
             {"scale_pos_weight", "1"},
             {"base_score", "0.5"},
             {"rate_drop", "0"},
             {"one_drop", "0"},
             {"skip_drop", "0"},
             {"sample_type", "uniform"},
             {"normalize_type", "tree"},
             {"updater", "grow_quantile_histmaker"},
             {"refresh_leaf", "1"},
             {"process_type", "default"},
             {"sketch_eps", "0.03"},
             {"tweedie_variance_power", "1.5"},
             {"monotone_constraints", "(0,0)"},
             {"interaction_constraints", "[[0,1]]"},
             {"deterministic_histogram", "true"},
             {"single_precision_histogram", "false"},
             {"verbosity", "1"},
             {"csv_weights", "0"},
             {"_tuning_objective_metric", "validation:auc"}};
  Result<XgboostParams> p = MapXgboostHyperparameters(hp);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_THAT(p->notes, ElementsAre(HasSubstr("lambda_bias is ignored"), HasSubstr("sketch_eps is ignored"),
                                    HasSubstr("deterministic_histogram is ignored"),
                                    HasSubstr("single_precision_histogram is ignored"),
                                    HasSubstr("_tuning_objective_metric is ignored")));
  EXPECT_EQ(p->booster_params.size(), hp.size() - 5 /*ignored*/ - 3 /*trainer*/);
}

TEST(XgboostParamsTest, ErrorNamesHyperparameterExpectationAndValue) {
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"eta", "fast"}}),
            "hyperparameters.eta: expected a number in (0, 1], got \"fast\"");
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"eta", 0}}), "hyperparameters.eta: expected a number in (0, 1], got 0");
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"subsample", "1.5"}}),
            "hyperparameters.subsample: expected a number in (0, 1], got \"1.5\"");
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"max_depth", -1}}),
            "hyperparameters.max_depth: expected an integer >= 0, got -1");
  EXPECT_EQ(ErrorOf({{"num_round", "2.5"}}), "hyperparameters.num_round: expected an integer >= 1, got \"2.5\"");
  EXPECT_EQ(ErrorOf({{"num_round", 0}}), "hyperparameters.num_round: expected an integer >= 1, got 0");
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"booster", "gbm"}}),
            "hyperparameters.booster: expected one of gbtree, gblinear, dart, got \"gbm\"");
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"one_drop", "yes"}}),
            "hyperparameters.one_drop: expected true or false (or 1 or 0), got \"yes\"");
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"verbosity", 4}}),
            "hyperparameters.verbosity: expected an integer in [0, 3], got 4");
}

TEST(XgboostParamsTest, ObjectiveMustBeOneOfXgboosts) {
  EXPECT_THAT(ErrorOf({{"num_round", 5}, {"objective", "reg:squared"}}),
              HasSubstr("hyperparameters.objective: expected one of reg:squarederror, reg:linear,"));
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"objective", "survival:aft"}}),
            "hyperparameters.objective: survival:aft needs label bounds, which a label-first CSV cannot carry");
}

TEST(XgboostParamsTest, NumRoundIsRequiredAndAllErrorsAreReported) {
  EXPECT_EQ(ErrorOf(Json::object()), "hyperparameters.num_round: required (the number of boosting rounds)");
  EXPECT_EQ(ErrorOf({{"eta", 2}, {"gamma", -1}}),
            "hyperparameters.eta: expected a number in (0, 1], got 2; "
            "hyperparameters.gamma: expected a number >= 0, got -1; "
            "hyperparameters.num_round: required (the number of boosting rounds)");
  EXPECT_EQ(ErrorOf(Json::array()), "hyperparameters: expected an object of name: value, got array");
}

TEST(XgboostParamsTest, UnknownNameSuggestsCloseMatchesOrListsAll) {
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"max_dept", 3}}),
            "hyperparameters.max_dept: unknown hyperparameter; did you mean max_depth?");
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"colsample", 0.5}}),
            "hyperparameters.colsample: unknown hyperparameter; did you mean colsample_bylevel, colsample_bynode, "
            "colsample_bytree?");
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"learning_rate", 0.1}}),
            "hyperparameters.learning_rate: unknown hyperparameter; SageMaker XGBoost calls it eta");
  std::string all = ErrorOf({{"num_round", 5}, {"zzz", 1}});
  EXPECT_THAT(all, HasSubstr("hyperparameters.zzz: unknown hyperparameter; accepted: _tuning_objective_metric, alpha, "
                             "base_score, booster,"));
  EXPECT_THAT(all, HasSubstr("verbosity"));
}

TEST(XgboostParamsTest, EvalMetricTakesListsAndChecksNames) {
  Result<XgboostParams> p = MapXgboostHyperparameters({{"num_round", 5}, {"eval_metric", "rmse, mae"}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_THAT(p->booster_params,
              ElementsAre(Pair("eval_metric", "rmse"), Pair("eval_metric", "mae"), Pair("tree_method", "hist")));
  for (const char* ok : {"error@0.7", "ndcg@5-", "map-", "pre@3", "tweedie-nloglik@1.5", "aucpr"}) {
    EXPECT_TRUE(MapXgboostHyperparameters({{"num_round", 5}, {"eval_metric", Json::array({ok})}}).ok()) << ok;
  }
  EXPECT_THAT(ErrorOf({{"num_round", 5}, {"eval_metric", "rmse,foo"}}),
              HasSubstr("hyperparameters.eval_metric: unknown metric \"foo\"; expected one of rmse, rmsle,"));
  EXPECT_THAT(ErrorOf({{"num_round", 5}, {"eval_metric", "auc@3"}}), HasSubstr("unknown metric \"auc@3\""));
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"eval_metric", "tweedie-nloglik"}}),
            "hyperparameters.eval_metric: metric \"tweedie-nloglik\" needs the variance power, e.g. "
            "tweedie-nloglik@1.5");
}

TEST(XgboostParamsTest, ConstraintsAndUpdatersAreNormalised) {
  Result<XgboostParams> p =
      MapXgboostHyperparameters({{"num_round", 5},
                                 {"monotone_constraints", Json::array({1, 0, -1})},
                                 {"interaction_constraints", Json::array({Json::array({0, 1}), Json::array({2})})},
                                 {"updater", "grow_colmaker, prune"}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // No default tree_method when an updater is given.
  EXPECT_THAT(p->booster_params,
              ElementsAre(Pair("monotone_constraints", "(1,0,-1)"), Pair("interaction_constraints", "[[0,1],[2]]"),
                          Pair("updater", "grow_colmaker,prune")));
  EXPECT_THAT(ErrorOf({{"num_round", 5}, {"monotone_constraints", "(2,0)"}}),
              HasSubstr("hyperparameters.monotone_constraints: expected one of -1, 0, 1 per feature"));
  EXPECT_THAT(ErrorOf({{"num_round", 5}, {"interaction_constraints", "[[0,-1]]"}}),
              HasSubstr("hyperparameters.interaction_constraints: expected lists of feature indices"));
  EXPECT_THAT(ErrorOf({{"num_round", 5}, {"updater", "grow_colmaker,magic"}}),
              HasSubstr("hyperparameters.updater: expected a comma-separated list of grow_colmaker,"));
}

TEST(XgboostParamsTest, GblinearGetsNoTreeMethodAndMultiNeedsNumClass) {
  Result<XgboostParams> p = MapXgboostHyperparameters({{"num_round", 5}, {"booster", "gblinear"}});
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p->booster_params, ElementsAre(Pair("booster", "gblinear")));
  EXPECT_EQ(ErrorOf({{"num_round", 5}, {"objective", "multi:softmax"}}),
            "hyperparameters.num_class: required when objective is multi:softmax");
  EXPECT_TRUE(MapXgboostHyperparameters({{"num_round", 5}, {"objective", "multi:softprob"}, {"num_class", "3"}}).ok());
}

TEST(XgboostParamsTest, MetricDirectionForEarlyStopping) {
  EXPECT_TRUE(MetricIsMaximized("auc"));
  EXPECT_TRUE(MetricIsMaximized("aucpr"));
  EXPECT_TRUE(MetricIsMaximized("ndcg@5-"));
  EXPECT_TRUE(MetricIsMaximized("map"));
  EXPECT_FALSE(MetricIsMaximized("rmse"));
  EXPECT_FALSE(MetricIsMaximized("logloss"));
  EXPECT_FALSE(MetricIsMaximized("error@0.7"));
}

TEST(HyperparameterValueTest, ReadsTypedValuesFromStrings) {
  EXPECT_EQ(HyperparameterNumber(Json(" 0.25 ")), 0.25);
  EXPECT_EQ(HyperparameterNumber(Json("nan")), std::nullopt);
  EXPECT_EQ(HyperparameterNumber(Json(true)), std::nullopt);
  EXPECT_EQ(HyperparameterInteger(Json("50")), 50);
  EXPECT_EQ(HyperparameterInteger(Json(50.0)), 50);
  EXPECT_EQ(HyperparameterInteger(Json("5e1")), 50);
  EXPECT_EQ(HyperparameterInteger(Json(50.5)), std::nullopt);
  EXPECT_EQ(HyperparameterBool(Json("TRUE")), true);
  EXPECT_EQ(HyperparameterBool(Json(0)), false);
  EXPECT_EQ(HyperparameterBool(Json(2)), std::nullopt);
  EXPECT_EQ(HyperparameterList(Json("a,,b")), std::nullopt);
  EXPECT_EQ(HyperparameterMonotone(Json("(1, -1)")), "(1,-1)");
  EXPECT_EQ(HyperparameterInteraction(Json("[[0, 2], [1]]")), "[[0,2],[1]]");
  EXPECT_EQ(HyperparameterInteraction(Json("[0, 2]")), std::nullopt);
}

TEST(HyperparameterValueTest, DescribesRanges) {
  EXPECT_EQ((NumericRange{0, 1, true, false}).Describe("a number"), "a number in (0, 1]");
  EXPECT_EQ((NumericRange{1, 2, true, true}).Describe("a number"), "a number in (1, 2)");
  EXPECT_EQ(NumericRange{}.Describe("an integer"), "an integer");
  EXPECT_EQ(FormatNumber(0.2), "0.2");
  EXPECT_EQ(FormatNumber(4), "4");
}

}  // namespace
}  // namespace grove::ml
