#include "app/config_document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/file_util.h"

namespace grove::app {
namespace {

// A byte that is not UTF-8 would become a JSON string that throws when dumped (found by fuzzing the YAML
// definition reader, fuzz/yaml_definition_fuzz.cc): refused where it is, before YAML is parsed.
TEST(ConfigDocumentTest, InvalidUtf8IsRefusedWithItsPosition) {
  const std::string text = "keys:\n  ci: {role: operator}\n  caf\xe9: {role: viewer}\n";
  Result<ConfigDocument> doc = ParseConfigText(text, "grove.yaml", ".");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().message(), "grove.yaml:3:6: not valid UTF-8 (byte 0xE9); a configuration file must be UTF-8 text");

  std::string valid = text;
  valid.replace(valid.find('\xe9'), 1, "e");
  Result<ConfigDocument> fixed = ParseConfigText(valid, "grove.yaml", ".");
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_EQ(fixed->sections.at("keys").size(), 2u);
}

// A document sent as JSON (what a server's /api/v1/config routes read) carries its files' contents: a path in it
// is refused, not read from the server's disk, where the client could not see it but could learn what it holds.
TEST(ConfigDocumentTest, ADocumentSentAsJsonReadsNoFiles) {
  TempDir dir;
  const auto pipeline = dir.path() / "secret.yaml";
  ASSERT_TRUE(WriteFileAtomic(pipeline, "pipeline: p\nsteps:\n  - {name: A, type: Fail}\n").ok());
  ASSERT_TRUE(WriteFileAtomic(dir.path() / "sample.csv", "1,2,3\n").ok());
  const std::string yaml = "pipelines:\n  p: secret.yaml\n";
  ASSERT_TRUE(ParseConfigText(yaml, "grove.yaml", dir.path()).ok()) << "a file read as grove.yaml names it";

  Result<ConfigDocument> by_path = ConfigDocumentFromJson(Json{{"pipelines", {{"p", {{"file", pipeline.string()}}}}}});
  ASSERT_FALSE(by_path.ok());
  EXPECT_THAT(by_path.status().message(), ::testing::HasSubstr("carries the contents of its files, not their paths"));
  Result<ConfigDocument> sample = ConfigDocumentFromJson(
      Json{{"promotions",
            {{"f", {{"groups", {"G"}}, {"staging", "s"}, {"production", "p"},
                    {"gate", {{"sample_file", (dir.path() / "sample.csv").string()}}}}}}}});
  ASSERT_FALSE(sample.ok());
  EXPECT_THAT(sample.status().message(), ::testing::HasSubstr("carries the contents of its files"));
}

}  // namespace
}  // namespace grove::app
