// End-to-end: a QualityCheck baseline registered the first time a group is
// seen, listed by `registry show --baselines`, failing drifted data once
// approved, and `monitor run` over an endpoint's captured requests.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/file_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;


// 40 label-first rows; `shift` moves the first feature. `label` false leaves the label out.
std::string Rows(double shift, bool label = true) {
  std::string csv;
  for (int i = 0; i < 40; ++i) {
    csv += (label ? std::to_string(i % 2) + "," : "") + std::to_string(i * 0.25 + shift) + "," +
           std::to_string(i % 3) + "\n";
  }
  return csv;
}

// One capture line per row, in the layout serving/data_capture.h writes.
std::string CaptureLines(const std::string& rows, const std::string& model) {
  std::string out;
  size_t start = 0;
  int i = 0;
  while (start < rows.size()) {
    size_t end = rows.find('\n', start);
    Json line = {{"captureData",
                  {{"endpointInput",
                    {{"observedContentType", "text/csv"}, {"mode", "INPUT"}, {"data", rows.substr(start, end - start)},
                     {"encoding", "CSV"}}}}},
                 {"eventMetadata",
                  {{"eventId", std::to_string(i)},
                   {"inferenceTime", "2026-05-01T12:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00Z"},
                   {"targetModel", model}}},
                 {"eventVersion", "0"}};
    out += line.dump() + "\n";
    start = end + 1;
    ++i;
  }
  return out;
}

class QualityE2ETest : public ::testing::Test {
 protected:
  CommandResult Expect(const std::vector<std::string>& args, int exit_code = 0) {
    CommandResult r = RunGrove(home_.path(), args);
    EXPECT_EQ(r.exit_code, exit_code) << args[0] << ": " << r.out << r.err;
    return r;
  }
  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = home_.path() / name;
    EXPECT_TRUE(MakeDirs(p.parent_path()).ok());
    EXPECT_TRUE(WriteFileAtomic(p, text).ok());
    return p.string();
  }
  TempDir home_;
};

TEST_F(QualityE2ETest, BaselineLifecycleAndMonitorRun) {
  const std::string yaml = (SourceDir() / "src/pipeline/testdata/quality_baselines.yaml").string();
  const std::string base = Write("base.csv", Rows(0));
  const std::string drifted = Write("drifted.csv", Rows(5));
  const std::string model = Write("model.json", "{}");
  const std::string group = "DummyDim1-model-registry";

  Expect({"run", yaml, "-p", "Data=" + base, "-p", "Model=" + model});
  Expect({"registry", "approve", group + "/1", "--comment", "baseline"});
  Json shown = Expect({"registry", "show", group + "/1", "--baselines", "--json"}).json();
  ASSERT_EQ(shown["baselines"].size(), 2u) << shown.dump(2);
  EXPECT_EQ(shown["baselines"][0]["name"], "data_statistics");
  EXPECT_EQ(shown["baselines"][0]["item_count"], 40);
  EXPECT_EQ(shown["baselines"][0]["features"], 2);
  EXPECT_EQ(shown["baselines"][1]["name"], "data_constraints");
  EXPECT_EQ(shown["baselines"][1]["constraints"], 6);
  EXPECT_THAT(Expect({"registry", "show", group + "/1", "--baselines"}).out, HasSubstr("data_constraints"));

  CommandResult failed = Expect({"run", yaml, "-p", "Data=" + drifted, "-p", "Model=" + model}, 1);
  EXPECT_THAT(failed.out + failed.err, HasSubstr("_c0 (baseline_drift_check)"));

  Write("capture/churn/2026/05/01/12.jsonl", CaptureLines(Rows(5, false), group + "/1"));
  CommandResult monitor = Expect({"monitor", "run", "churn", "--output", (home_.path() / "cv.json").string()}, 1);
  EXPECT_THAT(monitor.out, HasSubstr("baseline_drift_check"));
  Json report = Json::parse(ReadFile(home_.path() / "cv.json").value());
  ASSERT_EQ(report["violations"].size(), 1u) << report.dump(2);
  EXPECT_EQ(report["violations"][0]["feature_name"], "_c0");

  Write("capture/quiet/2026/05/01/12.jsonl", CaptureLines(Rows(0, false), group + "/1"));
  Expect({"monitor", "run", "quiet", "--output", (home_.path() / "cv2.json").string()}, 0);
  // Only the last 10 minutes of the drifted endpoint: still drifted.
  Expect({"monitor", "run", "churn", "--since", "2026-05-01T12:30", "--output",
          (home_.path() / "cv3.json").string()},
         1);
}

}  // namespace
}  // namespace grove::testing
