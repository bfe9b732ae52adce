#include "serving/compiled_model_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <thread>

#include "serving/compiled_predictor.h"
#include "serving/deployed_model.h"
#include "serving/serving_test_util.h"

namespace grove::serving {
namespace {

using ::testing::HasSubstr;

// One Abalone model trained for the whole file, stored in a fresh artifact store per test.
class CompiledModelFileTest : public testing::StoreFixture {
 protected:
  static void SetUpTestSuite() {
    data_ = new TempDir();
    data::PrepareSummary abalone = testing::Prepare(testing::AbaloneArgs(), data_->path() / "abalone");
    model_ = new std::string(testing::Train(abalone.splits["train"],
                                            {{"num_round", "20"}, {"max_depth", "5"}, {"seed", "42"}},
                                            data_->path() / "model.json"));
    test_ = new ml::LabeledMatrix(testing::FeaturesWithMissing(abalone.splits["test"]));
  }
  static void TearDownTestSuite() {
    delete test_;
    delete model_;
    delete data_;
  }

  void SetUp() override {
    StoreFixture::SetUp();
    digest_ = artifacts_->PutBytes(*model_)->digest;
    path_ = CompiledModelPath(artifacts_->DerivedFolder(), digest_);
  }

  // Loads through LoadModelPredictor, expecting `source`, and checks its
  // predictions against the JSON-compiled model's, bit for bit.
  void ExpectLoad(PredictorSource source) {
    Result<LoadedPredictor> loaded = LoadModelPredictor(*artifacts_, digest_);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ(loaded->source, source);
    TreeEnsemble reference = TreeEnsemble::FromBytes(*model_).value();
    std::vector<float> expected(test_->rows);
    for (size_t r = 0; r < test_->rows; ++r) {
      reference.PredictRow(std::span<const float>(test_->Row(r), test_->cols), std::span<float>(&expected[r], 1));
    }
    EXPECT_EQ(loaded->predictor->PredictRows(test_->features, test_->rows).value(), expected);
  }

  // The compiled file's bytes after a first load wrote it.
  std::string WrittenFile() {
    ExpectLoad(PredictorSource::kCompiled);
    return ReadFile(path_).value();
  }

  // Overwrites the compiled file with `bytes` (as a crash or a bad disk might leave it).
  void Plant(const std::string& bytes) { ASSERT_TRUE(WriteFileAtomic(path_, bytes).ok()); }

  // `bytes` with the checksum recomputed, as a forger would.
  static std::string Reseal(std::string bytes) {
    uint64_t sum = Xxh64(std::string_view(bytes).substr(16));
    std::memcpy(bytes.data() + 8, &sum, sizeof sum);
    return bytes;
  }

  static Status MapStatus(const std::string& bytes, const std::string& digest, TempDir& dir) {
    EXPECT_TRUE(WriteFile(dir.path() / "f", bytes).ok());
    return CompiledModelFile::Map(dir.path() / "f", digest).status();
  }

  static TempDir* data_;
  static std::string* model_;
  static ml::LabeledMatrix* test_;
  std::string digest_;
  std::filesystem::path path_;
};

TempDir* CompiledModelFileTest::data_ = nullptr;
std::string* CompiledModelFileTest::model_ = nullptr;
ml::LabeledMatrix* CompiledModelFileTest::test_ = nullptr;

TEST(Xxh64Test, MatchesTheReferenceImplementation) {
  EXPECT_EQ(Xxh64(""), 0xef46db3751d8e999ull);
  EXPECT_EQ(Xxh64("abc"), 0x44bc2cf5ad770999ull);
  std::string long_input;
  for (int i = 0; i < 3; ++i) {
    for (int c = 0; c < 256; ++c) long_input += static_cast<char>(c);
  }
  long_input += "12345";
  EXPECT_EQ(Xxh64(long_input), 0xae0a5bd1b9a11ab8ull);  // libxxhash's XXH64(…, 0).
}

TEST_F(CompiledModelFileTest, FirstLoadCompilesAndWritesThenLoadsMap) {
  EXPECT_FALSE(std::filesystem::exists(path_));
  ExpectLoad(PredictorSource::kCompiled);
  EXPECT_TRUE(std::filesystem::exists(path_));
  EXPECT_THAT(path_.string(), HasSubstr("/derived/trees-v1.1/" + digest_.substr(0, 2) + "/" + digest_));
  ExpectLoad(PredictorSource::kMapped);
  ExpectLoad(PredictorSource::kMapped);
}

TEST_F(CompiledModelFileTest, LibxgboostChoiceNeverWritesACompiledFile) {
  Result<LoadedPredictor> loaded = LoadModelPredictor(*artifacts_, digest_, PredictorChoice::kLibxgboost);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->source, PredictorSource::kOther);
  EXPECT_EQ(loaded->predictor->implementation(), "libxgboost");
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(CompiledModelFileTest, EveryCorruptByteIsDetectedAndRebuilt) {
  std::string good = WrittenFile();
  // Every part is covered: magic, checksum, header, padding, body.
  TempDir dir;
  for (size_t i = 0; i < good.size(); i += i < CompiledModelFile::kHeaderBytes ? 3 : 97) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    Status s = MapStatus(bad, digest_, dir);
    EXPECT_FALSE(s.ok()) << "byte " << i << " flipped went unnoticed";
  }
  std::string bad = good;
  bad[good.size() / 2] ^= 1;
  Plant(bad);
  ExpectLoad(PredictorSource::kCompiled);
  EXPECT_EQ(ReadFile(path_).value(), good);
  ExpectLoad(PredictorSource::kMapped);
}

TEST_F(CompiledModelFileTest, TruncatedAndEmptyFilesAreRebuilt) {
  std::string good = WrittenFile();
  for (size_t size : {size_t{0}, size_t{10}, CompiledModelFile::kHeaderBytes - 1, CompiledModelFile::kHeaderBytes,
                      good.size() / 2, good.size() - 1}) {
    TempDir dir;
    Status s = MapStatus(good.substr(0, size), digest_, dir);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << size << ": " << s.ToString();
    Plant(good.substr(0, size));
    ExpectLoad(PredictorSource::kCompiled);
    EXPECT_EQ(ReadFile(path_).value(), good);
  }
  // Bytes appended after a valid file are corruption too.
  Plant(good + "x");
  ExpectLoad(PredictorSource::kCompiled);
}

TEST_F(CompiledModelFileTest, OtherVersionsAndOtherSourcesAreStaleAndRebuilt) {
  std::string good = WrittenFile();
  for (size_t offset : {size_t{16}, size_t{20}}) {  // Format version, compiler version.
    std::string old = good;
    uint32_t version = 0;
    std::memcpy(old.data() + offset, &version, sizeof version);
    old = Reseal(old);
    TempDir dir;
    Status s = MapStatus(old, digest_, dir);
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
    EXPECT_THAT(s.message(), HasSubstr("stale"));
    Plant(old);
    ExpectLoad(PredictorSource::kCompiled);
  }
  // A valid file of another model at this model's path.
  std::string other_digest(64, 'e');
  TempDir dir;
  Status s = MapStatus(good, other_digest, dir);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("compiled from " + digest_));
  Plant(CompiledModelFile::Serialize(TreeEnsemble::FromBytes(*model_).value(), other_digest));
  ExpectLoad(PredictorSource::kCompiled);
  ExpectLoad(PredictorSource::kMapped);
}

TEST_F(CompiledModelFileTest, ForgedFilesWithValidChecksumsAreRejectedBeforeAnyWalk) {
  std::string good = WrittenFile();
  TempDir dir;
  auto forged = [&](size_t offset, uint32_t value) {
    std::string bad = good;
    std::memcpy(bad.data() + offset, &value, sizeof value);
    return MapStatus(Reseal(bad), digest_, dir);
  };
  // Absurd counts: num_groups, num_trees, num_nodes, num_tree_weights, objective length.
  for (size_t offset : {48, 52, 56, 60, 64}) {
    for (uint32_t value : {0xFFFFFFFFu, 0x7FFFFFFFu, 1000000u}) {
      Status s = forged(offset, value);
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << offset << "=" << value << ": " << s.ToString();
    }
  }
  EXPECT_FALSE(forged(28, 99).ok());  // Transform.
  EXPECT_FALSE(forged(32, 1).ok());   // File size.
  // A file size that is huge.
  std::string huge = good;
  uint64_t big = ~uint64_t{0};
  std::memcpy(huge.data() + 32, &big, sizeof big);
  EXPECT_FALSE(MapStatus(Reseal(huge), digest_, dir).ok());
  // The first node's left child pointing backwards (a loop), past the end, and a feature out of range.
  size_t node = CompiledModelFile::kHeaderBytes;
  Status back = forged(node + 8, 0);
  EXPECT_THAT(back.message(), HasSubstr("node 0"));
  EXPECT_FALSE(forged(node + 8, 0xFFFFFFF0u).ok());
  EXPECT_FALSE(forged(node + 4, 5000).ok());
  // Features in range but num_features lowered below them.
  std::string narrow = good;
  uint64_t one = 1;
  std::memcpy(narrow.data() + 40, &one, sizeof one);
  EXPECT_FALSE(MapStatus(Reseal(narrow), digest_, dir).ok());
}

TEST_F(CompiledModelFileTest, ConcurrentFirstLoadsAllSucceedAndLeaveOneValidFile) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      Result<LoadedPredictor> loaded = LoadModelPredictor(*artifacts_, digest_);
      if (loaded.ok() && loaded->predictor->num_features() == test_->cols) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  ExpectLoad(PredictorSource::kMapped);
  // No temporary files are left beside it.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(path_.parent_path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST_F(CompiledModelFileTest, AFileReplacedWhileMappedKeepsTheMappingIntact) {
  ExpectLoad(PredictorSource::kCompiled);
  Result<TreeEnsemble> mapped = CompiledModelFile::Map(path_, digest_);
  ASSERT_TRUE(mapped.ok());
  float before = 0, after = 0;
  mapped->PredictRow(std::span<const float>(test_->Row(0), test_->cols), std::span<float>(&before, 1));
  Plant("garbage");
  ExpectLoad(PredictorSource::kCompiled);  // Rebuilt by rename over the garbage.
  mapped->PredictRow(std::span<const float>(test_->Row(0), test_->cols), std::span<float>(&after, 1));
  EXPECT_EQ(before, after);
}

TEST_F(CompiledModelFileTest, MissingFileIsNotFound) {
  Result<TreeEnsemble> mapped = CompiledModelFile::Map(path_, digest_);
  EXPECT_EQ(mapped.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace grove::serving
