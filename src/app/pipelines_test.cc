#include "app/pipelines.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/app_test_fixture.h"

namespace grove::app {
namespace {

using ::testing::HasSubstr;
using testing::kScriptPipeline;

class PipelinesTest : public testing::AppTest {};

TEST_F(PipelinesTest, RegisterStoresANewVersionOnlyWhenTheTextChanges) {
  Pipelines pipelines(*home_);
  auto first = pipelines.Register(Write("p.yaml", kScriptPipeline));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->version, 1);
  EXPECT_TRUE(first->new_version);
  auto again = pipelines.Register(Write("p.yaml", kScriptPipeline));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, 1);
  EXPECT_FALSE(again->new_version);
  auto changed = pipelines.Register(Write("p.yaml", std::string(kScriptPipeline) + "# a comment\n"));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->version, 2);

  auto list = pipelines.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].latest_version, 2);
  auto v1 = pipelines.Describe("hello", 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->definition.body, kScriptPipeline);
  EXPECT_EQ(v1->pipeline.description, "writes two files");
  EXPECT_EQ(pipelines.Describe("nope", 0).status().code(), StatusCode::kNotFound);
}

TEST_F(PipelinesTest, ReadTextChecksTheNameAndVersionsListNewestFirst) {
  auto def = Pipelines::ReadText(kScriptPipeline, "", "POST /api/v1/pipelines");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->name, "hello");
  EXPECT_EQ(def->source_path, "POST /api/v1/pipelines");
  auto other = Pipelines::ReadText(kScriptPipeline, "goodbye", "body");
  EXPECT_EQ(other.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(other.status().message(), HasSubstr("names pipeline 'hello', not 'goodbye'"));
  auto bad = Pipelines::ReadText("pipeline: x\nsteps: [{name: A, type: Nope}]\n", "", "body");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("body"));
  auto sagemaker = Pipelines::ReadText(R"({"Version": "2020-12-01", "Steps": []})", "", "body");
  EXPECT_THAT(sagemaker.status().message(), HasSubstr("carries no name"));

  Pipelines pipelines(*home_);
  ASSERT_TRUE(pipelines.Store(*def).ok());
  ASSERT_TRUE(pipelines.Register(Write("p.yaml", std::string(kScriptPipeline) + "# two\n")).ok());
  auto versions = pipelines.Versions("hello");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 2);
  EXPECT_EQ((*versions)[1].version, 1);
  EXPECT_EQ(pipelines.Versions("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(PipelinesTest, AnInvalidDefinitionIsNotStored) {
  Pipelines pipelines(*home_);
  auto bad = pipelines.Register(Write("bad.yaml", "pipeline: x\nsteps:\n  - {name: A, type: Trainng}\n"));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("bad.yaml:3"));
  EXPECT_TRUE(pipelines.List()->empty());
}

// Regression: `grove run <directory>` said "the definition is empty".
TEST_F(PipelinesTest, RunGivenADirectorySaysItIsADirectory) {
  ASSERT_TRUE(MakeDirs(dir_.path() / "defs").ok());
  Write("defs/a.yaml", kScriptPipeline);
  auto read = Pipelines::Read(dir_.path() / "defs");
  EXPECT_EQ(read.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("is a directory, not a definition file"));
  EXPECT_THAT(read.status().message(), HasSubstr("a.yaml"));
  EXPECT_THAT(read.status().message(), ::testing::Not(HasSubstr("empty")));
}

}  // namespace
}  // namespace grove::app
