#include "data/data_quality.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "common/file_util.h"
#include "data/csv_reader.h"
#include "data/data_test_util.h"

namespace grove::data {
namespace {

using ::testing::HasSubstr;

Table ReadQualityText(const std::string& text, bool header = true) {
  TempDir dir;
  std::filesystem::path path = dir.path() / "data.csv";
  EXPECT_TRUE(WriteFile(path, text).ok());
  QualityDatasetOptions options;
  options.header = header;
  auto table = ReadQualityDataset(path, options);
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? std::move(*table) : Table();
}

Json ReadQualityTestdata(const std::string& name) {
  return Json::parse(ReadFile(testing::SourceDir() / "src/data/testdata" / name).value());
}

// Every key path of a document: objects by key, arrays by their first element ("features[].name").
void QualityKeyPaths(const Json& j, const std::string& prefix, std::set<std::string>* out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      std::string path = prefix.empty() ? key : prefix + "." + key;
      out->insert(path);
      QualityKeyPaths(value, path, out);
    }
  } else if (j.is_array() && !j.empty() && !j[0].is_array()) {
    QualityKeyPaths(j[0], prefix + "[]", out);
  }
}

std::set<std::string> QualityKeyPaths(const Json& j) {
  std::set<std::string> out;
  QualityKeyPaths(j, "", &out);
  return out;
}

// The violations of one check type.
std::vector<Json> ViolationsOfType(const Json& report, const std::string& type) {
  std::vector<Json> out;
  for (const Json& v : report["violations"]) {
    if (v["constraint_check_type"] == type) out.push_back(v);
  }
  return out;
}

const char* kBaseline =
    "a,b,c\n"
    "1,0.5,x\n"
    "2,1.5,y\n"
    "3,,x\n"
    "4,2.5,x\n";

TEST(DataQualityTest, StatisticsOfASmallTableAreExact) {
  Json stats = ComputeStatistics(ReadQualityText(kBaseline));
  EXPECT_EQ(stats["dataset"]["item_count"], 4);
  ASSERT_EQ(stats["features"].size(), 3u);
  const Json& a = stats["features"][0];
  EXPECT_EQ(a["name"], "a");
  EXPECT_EQ(a["inferred_type"], "Integral");
  const Json& an = a["numerical_statistics"];
  EXPECT_EQ(an["common"]["num_present"], 4);
  EXPECT_EQ(an["common"]["num_missing"], 0);
  EXPECT_DOUBLE_EQ(an["mean"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(an["sum"].get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(an["std_dev"].get<double>(), std::sqrt(1.25));
  EXPECT_DOUBLE_EQ(an["min"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(an["max"].get<double>(), 4.0);
  const Json& buckets = an["distribution"]["kll"]["buckets"];
  ASSERT_EQ(buckets.size(), 10u);
  std::vector<double> counts;
  for (const Json& b : buckets) counts.push_back(b["count"].get<double>());
  EXPECT_EQ(counts, (std::vector<double>{1, 0, 0, 1, 0, 0, 1, 0, 0, 1}));
  EXPECT_DOUBLE_EQ(buckets[0]["lower_bound"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(buckets[3]["lower_bound"].get<double>(), 1.9);
  EXPECT_DOUBLE_EQ(buckets[9]["upper_bound"].get<double>(), 4.0);
  EXPECT_EQ(an["distribution"]["kll"]["sketch"]["data"], Json::parse("[[1.0, 2.0, 3.0, 4.0]]"));

  const Json& b = stats["features"][1];
  EXPECT_EQ(b["inferred_type"], "Fractional");
  EXPECT_EQ(b["numerical_statistics"]["common"]["num_missing"], 1);
  EXPECT_DOUBLE_EQ(b["numerical_statistics"]["mean"].get<double>(), 1.5);

  const Json& c = stats["features"][2];
  EXPECT_EQ(c["inferred_type"], "String");
  EXPECT_EQ(c["string_statistics"]["distinct_count"], 2);
  EXPECT_EQ(c["string_statistics"]["distribution"]["categorical"]["buckets"],
            Json::parse(R"([{"value": "x", "count": 3}, {"value": "y", "count": 1}])"));

  Json constraints = SuggestConstraints(stats);
  const Json& features = constraints["features"];
  EXPECT_DOUBLE_EQ(features[0]["completeness"].get<double>(), 1.0);
  EXPECT_EQ(features[0]["num_constraints"]["is_non_negative"], true);
  EXPECT_DOUBLE_EQ(features[1]["completeness"].get<double>(), 0.75);
  EXPECT_EQ(features[2]["string_constraints"]["domains"], Json::parse(R"(["x", "y"])"));
  EXPECT_FALSE(features[2].contains("num_constraints"));
  EXPECT_EQ(constraints["monitoring_config"]["distribution_constraints"]["comparison_threshold"], 0.1);
}

TEST(DataQualityTest, HeaderlessFilesGetModelMonitorNamesAndTheLabelCanBeLeftOut) {
  Table all = ReadQualityText("1,0.5,3\n0,1.5,4\n", false);
  ASSERT_EQ(all.num_columns(), 3u);
  EXPECT_EQ(all.column(0).name, "_c0");
  EXPECT_EQ(all.column(2).name, "_c2");

  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.path() / "train.csv", "1,0.5,3\n0,1.5,4\n").ok());
  QualityDatasetOptions options;
  options.header = false;
  options.exclude_label = true;
  Table features = ReadQualityDataset(dir.path() / "train.csv", options).value();
  ASSERT_EQ(features.num_columns(), 2u);
  EXPECT_EQ(features.column(0).name, "_c0");
  EXPECT_EQ(features.column(0).numbers, (std::vector<double>{0.5, 1.5}));
}

// The reference statistics keep every value in their sketches: the same
// values must give the same figures, and our documents the same keys.
TEST(DataQualityTest, ReproducesTheReferenceStatisticsAndItsKeyLayout) {
  Json reference = ReadQualityTestdata("data_quality_statistics.json");
  const Json& ref_features = reference["features"];
  std::string csv;
  size_t rows = ref_features[0]["numerical_statistics"]["distribution"]["kll"]["sketch"]["data"][0].size();
  for (size_t r = 0; r < rows; ++r) {
    for (size_t f = 0; f < ref_features.size(); ++f) {
      const Json& data = ref_features[f]["numerical_statistics"]["distribution"]["kll"]["sketch"]["data"][0];
      csv += (f == 0 ? "" : ",") + FormatNumber(data[r].get<double>());
    }
    csv += "\n";
  }
  Json stats = ComputeStatistics(ReadQualityText(csv, false));
  EXPECT_EQ(QualityKeyPaths(stats), QualityKeyPaths(reference));
  ASSERT_EQ(stats["features"].size(), ref_features.size());
  for (size_t f = 0; f < ref_features.size(); ++f) {
    const Json& ours = stats["features"][f]["numerical_statistics"];
    const Json& theirs = ref_features[f]["numerical_statistics"];
    EXPECT_EQ(stats["features"][f]["name"], ref_features[f]["name"]);
    EXPECT_EQ(ours["common"], theirs["common"]);
    for (const char* key : {"mean", "sum", "std_dev", "min", "max"}) {
      EXPECT_NEAR(ours[key].get<double>(), theirs[key].get<double>(), 1e-9) << "feature " << f << " " << key;
    }
    for (size_t b = 0; b < 10; ++b) {
      const Json& ob = ours["distribution"]["kll"]["buckets"][b];
      const Json& tb = theirs["distribution"]["kll"]["buckets"][b];
      EXPECT_EQ(ob["count"], tb["count"]) << "feature " << f << " bucket " << b;
      EXPECT_NEAR(ob["lower_bound"].get<double>(), tb["lower_bound"].get<double>(), 1e-9);
      EXPECT_NEAR(ob["upper_bound"].get<double>(), tb["upper_bound"].get<double>(), 1e-9);
    }
  }
  Json constraints = SuggestConstraints(stats);
  EXPECT_EQ(QualityKeyPaths(constraints), QualityKeyPaths(ReadQualityTestdata("data_quality_good_cases_constraints.json")));
  // The reference's own baseline accepts its own data.
  Json none = CheckDataQuality(ReadQualityText(csv, false), reference,
                               ReadQualityTestdata("data_quality_good_cases_constraints.json"))
                  .value();
  EXPECT_EQ(none["violations"].size(), 0u) << none.dump(2);
}

TEST(DataQualityTest, ViolationsFollowTheReferenceLayout) {
  Json stats = ComputeStatistics(ReadQualityText(kBaseline));
  Json report = CheckDataQuality(ReadQualityText("a,b,c,d\n1.5,0.5,x,1\n2,1.5,y,2\n"), stats, SuggestConstraints(stats)).value();
  ASSERT_FALSE(report["violations"].empty());
  EXPECT_EQ(QualityKeyPaths(report), QualityKeyPaths(ReadQualityTestdata("constraint_violations_2019.json")));
}

class DataQualityCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stats_ = ComputeStatistics(ReadQualityText(kBaseline));
    constraints_ = SuggestConstraints(stats_);
  }
  Json Check(const std::string& csv) {
    auto report = CheckDataQuality(ReadQualityText(csv), stats_, constraints_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : Json{{"violations", Json::array()}};
  }
  Json stats_;
  Json constraints_;
};

TEST_F(DataQualityCheckTest, TheBaselineDataHasNoViolations) {
  EXPECT_EQ(Check(kBaseline)["violations"], Json::array());
}

TEST_F(DataQualityCheckTest, WrongTypeIsADataTypeViolation) {
  auto v = ViolationsOfType(Check("a,b,c\n1,0.5,x\n2.5,1.5,y\n3,,x\n4,2.5,x\n"), "data_type_check");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["feature_name"], "a");
  EXPECT_EQ(v[0]["description"],
            "Data type match requirement is not met. Expected data type: Integral, Expected match: 100.0%. "
            "Observed: Only 75.0% of data is Integral.");
}

TEST_F(DataQualityCheckTest, MissingValuesAreACompletenessViolation) {
  auto v = ViolationsOfType(Check("a,b,c\n1,0.5,x\n2,,y\n3,,x\n4,2.5,x\n"), "completeness_check");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["feature_name"], "b");
  EXPECT_EQ(v[0]["description"], "Data completeness requirement is not met. Expected: 75.0%. Observed: Only 50.0%.");
}

TEST_F(DataQualityCheckTest, ADriftedDistributionIsADriftViolation) {
  auto v = ViolationsOfType(Check("a,b,c\n11,0.5,x\n12,1.5,y\n13,,x\n14,2.5,x\n"), "baseline_drift_check");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["feature_name"], "a");
  EXPECT_EQ(v[0]["description"], "Baseline drift distance: 1 exceeds threshold: 0.1");
  // A small shift stays under the threshold only when the CDFs stay close: one of four values moved is 0.25.
  auto one = ViolationsOfType(Check("a,b,c\n1,0.5,x\n2,1.5,y\n3,,x\n40,2.5,x\n"), "baseline_drift_check");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_THAT(one[0]["description"].get<std::string>(), HasSubstr("distance: 0.25 exceeds"));
}

TEST_F(DataQualityCheckTest, ABucketOnlyBaselineIsComparedAtItsBucketEdges) {
  for (Json& f : stats_["features"]) {
    if (f.contains("numerical_statistics")) f["numerical_statistics"]["distribution"]["kll"].erase("sketch");
  }
  EXPECT_TRUE(ViolationsOfType(Check(kBaseline), "baseline_drift_check").empty());
  EXPECT_EQ(ViolationsOfType(Check("a,b,c\n11,0.5,x\n12,1.5,y\n13,,x\n14,2.5,x\n"), "baseline_drift_check").size(), 1u);
}

TEST_F(DataQualityCheckTest, MissingAndExtraColumns) {
  Json report = Check("a,c,d\n1,x,7\n2,y,8\n3,x,9\n4,x,1\n");
  auto missing = ViolationsOfType(report, "missing_column_check");
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0]["feature_name"], "b");
  EXPECT_THAT(missing[0]["description"].get<std::string>(), HasSubstr("missing columns"));
  auto extra = ViolationsOfType(report, "extra_column_check");
  ASSERT_EQ(extra.size(), 1u);
  EXPECT_EQ(extra[0]["feature_name"], "d");
}

TEST_F(DataQualityCheckTest, ANewCategoryIsACategoricalViolation) {
  auto v = ViolationsOfType(Check("a,b,c\n1,0.5,x\n2,1.5,y\n3,,z\n4,2.5,x\n"), "categorical_values_check");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["feature_name"], "c");
  EXPECT_THAT(v[0]["description"].get<std::string>(), HasSubstr("Only 75.0% of data is within the baseline domain"));
  EXPECT_THAT(v[0]["description"].get<std::string>(), HasSubstr("z"));
}

TEST_F(DataQualityCheckTest, DisabledEvaluationAndComparisonAreHonoured) {
  constraints_["monitoring_config"]["distribution_constraints"]["perform_comparison"] = "Disabled";
  EXPECT_TRUE(ViolationsOfType(Check("a,b,c\n11,0.5,x\n12,1.5,y\n13,,x\n14,2.5,x\n"), "baseline_drift_check").empty());
  constraints_["monitoring_config"]["evaluate_constraints"] = "Disabled";
  EXPECT_EQ(Check("a\nx\n")["violations"], Json::array());
}

TEST_F(DataQualityCheckTest, AMalformedBaselineIsAnErrorNamingTheField) {
  auto report = CheckDataQuality(ReadQualityText(kBaseline), stats_, Json::parse(R"({"features": [{"nam": "a"}]})"));
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("features[0]"));
}

TEST(DataQualityTest, LargeColumnsKeepASketchOf2048OrderStatisticsThatStillComparesClosely) {
  std::string csv = "x\n";
  for (int i = 0; i < 5000; ++i) csv += std::to_string((i * 7919) % 5000) + "\n";
  Json stats = ComputeStatistics(ReadQualityText(csv));
  const Json& sketch = stats["features"][0]["numerical_statistics"]["distribution"]["kll"]["sketch"]["data"][0];
  ASSERT_EQ(sketch.size(), 2048u);
  EXPECT_TRUE(std::is_sorted(sketch.begin(), sketch.end()));
  EXPECT_EQ(stats["features"][0]["numerical_statistics"]["common"]["num_present"], 5000);
  Json same = CheckDataQuality(ReadQualityText(csv), stats, SuggestConstraints(stats)).value();
  EXPECT_EQ(same["violations"], Json::array()) << "the sketch is within 1/2048 of the data's CDF";
}

TEST(DataQualityCountTest, CountsFeatureAndModelConstraints) {
  Json stats = ComputeStatistics(ReadQualityText(kBaseline));
  EXPECT_EQ(CountConstraints(SuggestConstraints(stats)), 3 + 3 + 3);
  EXPECT_EQ(CountConstraints(ReadQualityTestdata("model_quality_good_cases_constraints.json")), 4);
}

}  // namespace
}  // namespace grove::data
