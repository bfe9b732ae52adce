#include "store/store_copy.h"

#include <gtest/gtest.h>

#include <set>

#include "store/sql_connection.h"
#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

// Copies a SQLite store into each backend (the test's own store is the target).
template <typename Backend>
class StoreCopyTest : public StoreTest<Backend> {
 protected:
  // A source store with a little of everything, through the record-keeping API.
  std::unique_ptr<MetadataStore> FilledSource() {
    auto source = OpenSqliteMetadataStore((source_dir_.path() / "grove.db").string(), &this->clock_);
    EXPECT_TRUE(source.ok()) << source.status().ToString();
    MetadataStore& s = **source;
    DefinitionRecord def;
    def.pipeline = "p";
    def.body = "steps: []";
    EXPECT_TRUE(s.PutDefinition(def, "a pipeline").ok());
    ExecutionRecord e;
    e.id = "e1";
    e.pipeline = "p";
    e.version = 1;
    e.status = kSucceeded;
    e.parameters = Json{{"Threshold", 0.1}};
    EXPECT_TRUE(s.CreateExecution(e).ok());
    StepRunRecord run = this->MakeRun("e1", "train", kSucceeded);
    run.outputs = Json{{"model", FakeDigest("m")}};
    EXPECT_TRUE(s.PutStepRun(run, {FakeArtifact("m")}, {{"e1", "train", "output", "model", FakeDigest("m")}}).ok());
    TrialRecord trial;
    trial.execution_id = "e1";
    trial.step_name = "train";
    trial.number = 1;
    trial.family = "xgboost";
    trial.status = kTrialCompleted;
    trial.mean_score = 0.1 + 0.2;  // Not exact in decimal: must survive the copy bit for bit.
    EXPECT_TRUE(s.PutTrial(trial).ok());
    for (int i = 0; i < 3; ++i) EXPECT_GT(this->AddVersionRow(s, "G"), 0);
    return std::move(source).value();
  }

  TempDir source_dir_;
};
TYPED_TEST_SUITE(StoreCopyTest, StoreBackends, BackendNames);

TYPED_TEST(StoreCopyTest, EveryRowArrivesWithItsIdsAndNewIdsFollowThem) {
  std::unique_ptr<MetadataStore> source = this->FilledSource();
  auto stats = CopyMetadataStore(*source, *this->store_, [](const std::string& d, const std::string&) { return "s3://b/" + d; });
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->rows["model_versions"], 3);
  EXPECT_EQ(stats->rows["trials"], 1);

  auto events = source->ListEvents(0, 0);
  ASSERT_TRUE(events.ok());
  std::vector<EventRecord> copied = this->Events();
  ASSERT_EQ(copied.size(), events->size());
  for (size_t i = 0; i < copied.size(); ++i) {
    EXPECT_EQ(copied[i].seq, (*events)[i].seq);
    EXPECT_EQ(copied[i].kind, (*events)[i].kind);
    EXPECT_EQ(copied[i].payload, (*events)[i].payload);
  }
  auto execution = this->store_->GetExecution("e1");
  ASSERT_TRUE(execution.ok()) << execution.status().ToString();
  EXPECT_EQ(execution->parameters, (Json{{"Threshold", 0.1}}));
  auto trials = this->store_->ListTrials("e1", "train");
  ASSERT_TRUE(trials.ok() && trials->size() == 1u);
  EXPECT_EQ(trials->front().mean_score, 0.1 + 0.2);
  auto artifact = this->store_->GetArtifact(FakeDigest("m"));
  ASSERT_TRUE(artifact.ok());
  EXPECT_EQ(artifact->uri, "s3://b/" + FakeDigest("m"));
  auto links = this->store_->ListArtifactLinks(FakeDigest("m"));
  ASSERT_TRUE(links.ok());
  EXPECT_EQ(links->size(), 1u);

  // The copy goes on where the source left off.
  EXPECT_EQ(this->AddVersionRow("G"), 4);
  ExecutionRecord next;
  next.id = "e2";
  next.pipeline = "p";
  next.version = 1;
  next.status = kExecuting;
  ASSERT_TRUE(this->store_->CreateExecution(next).ok());
  EXPECT_EQ(this->Events().back().seq, copied.back().seq + 1);
}

TYPED_TEST(StoreCopyTest, ATargetWithRowsIsRefusedAndKeptAsItWas) {
  std::unique_ptr<MetadataStore> source = this->FilledSource();
  EXPECT_EQ(this->AddVersionRow("Other"), 1);
  auto stats = CopyMetadataStore(*source, *this->store_, [](const std::string&, const std::string& uri) { return uri; });
  ASSERT_EQ(stats.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(stats.status().message().find("is not empty (table model_groups has 1 rows)"), std::string::npos)
      << stats.status().message();
  auto groups = this->store_->ListModelGroups();
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ(groups->front().name, "Other");
}

// SchemaTables must name every table a migration creates, or a copy would drop one.
TEST(SchemaTablesTest, NamesEveryTableOfTheSchema) {
  TempDir dir;
  auto store = OpenSqliteMetadataStore((dir.path() / "grove.db").string());
  ASSERT_TRUE(store.ok());
  std::set<std::string> tables;
  ASSERT_TRUE((*store)
                  ->ReadSql([&](SqlConnection& db) -> Status {
                    ASSIGN_OR_RETURN(Statement select,
                                     db.Prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                                                "('schema_version', 'sqlite_sequence')"));
                    while (true) {
                      ASSIGN_OR_RETURN(bool row, select.Step());
                      if (!row) return Status::OK();
                      tables.insert(select.Text(0));
                    }
                  })
                  .ok());
  EXPECT_EQ(tables, std::set<std::string>(SchemaTables().begin(), SchemaTables().end()));
}

}  // namespace
}  // namespace grove::store
