#include "serving/data_capture.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/file_util.h"
#include "common/json.h"

namespace grove::serving {
namespace {

std::vector<Json> Lines(const std::filesystem::path& file) {
  std::vector<Json> lines;
  std::string text = ReadFile(file).value();
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    lines.push_back(Json::parse(text.substr(pos, end - pos)));
    pos = end + 1;
  }
  return lines;
}

TEST(DataCaptureTest, AppendsSageMakerLayoutLinesPerEndpointAndHour) {
  TempDir dir;
  FakeClock clock(1700000000000);  // 2023-11-14T22:13:20Z
  DataCapture capture(dir.path(), &clock, 1);
  ASSERT_TRUE(capture.Append({"churn", "Churn/2", "text/csv", "1,2,3", "text/csv", "0.93"}).ok());
  ASSERT_TRUE(capture.Append({"churn", "Churn/2", "application/json", R"({"instances":[[1]]})", "application/json",
                              R"({"predictions":[0.1]})"})
                  .ok());
  ASSERT_TRUE(capture.Append({"churn", "Churn/2", "application/x-npy", std::string("\x01\x02\xff", 3),
                              "text/csv", "1"})
                  .ok());
  std::filesystem::path file = dir.path() / "churn/2023/11/14/22.jsonl";
  std::vector<Json> lines = Lines(file);
  ASSERT_EQ(lines.size(), 3u);
  const Json& first = lines[0];
  EXPECT_EQ(first["captureData"]["endpointInput"]["data"], "1,2,3");
  EXPECT_EQ(first["captureData"]["endpointInput"]["encoding"], "CSV");
  EXPECT_EQ(first["captureData"]["endpointInput"]["mode"], "INPUT");
  EXPECT_EQ(first["captureData"]["endpointOutput"]["data"], "0.93");
  EXPECT_EQ(first["captureData"]["endpointOutput"]["mode"], "OUTPUT");
  EXPECT_EQ(first["eventMetadata"]["inferenceTime"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(first["eventMetadata"]["targetModel"], "Churn/2");
  EXPECT_EQ(first["eventVersion"], "0");
  EXPECT_NE(lines[0]["eventMetadata"]["eventId"], lines[1]["eventMetadata"]["eventId"]);
  EXPECT_EQ(lines[1]["captureData"]["endpointInput"]["encoding"], "JSON");
  EXPECT_EQ(lines[2]["captureData"]["endpointInput"]["encoding"], "BASE64");
  EXPECT_EQ(lines[2]["captureData"]["endpointInput"]["data"], "AQL/");

  clock.Advance(3600 * 1000);
  ASSERT_TRUE(capture.Append({"churn", "Churn/2", "text/csv", "x", "text/csv", "y"}).ok());
  EXPECT_EQ(Lines(dir.path() / "churn/2023/11/14/23.jsonl").size(), 1u);
}

TEST(DataCaptureTest, SamplesAboutThePercentage) {
  TempDir dir;
  FakeClock clock;
  DataCapture capture(dir.path(), &clock, 42);
  int taken = 0;
  for (int i = 0; i < 10000; ++i) taken += capture.Sample(20) ? 1 : 0;
  EXPECT_NEAR(taken, 2000, 200);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(capture.Sample(0));
    EXPECT_TRUE(capture.Sample(100));
  }
}

TEST(DataCaptureTest, ConcurrentAppendsKeepWholeLines) {
  TempDir dir;
  FakeClock clock;
  DataCapture capture(dir.path(), &clock, 1);
  std::string body(5000, 'x');
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) EXPECT_TRUE(capture.Append({"e", "m/1", "text/csv", body, "text/csv", "1"}).ok());
    });
  }
  for (auto& t : threads) t.join();
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  ASSERT_EQ(files.size(), 1u);
  std::vector<Json> lines = Lines(files[0]);  // Each parses: no interleaving.
  EXPECT_EQ(lines.size(), 200u);
}

}  // namespace
}  // namespace grove::serving
