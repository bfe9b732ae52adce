#include "common/tar_gz.h"

#include <zlib.h>

#include <cstdio>

#include <gtest/gtest.h>

namespace grove {
namespace {

// A tar entry: a 512-byte header (name, octal size, type) and the body padded to 512 bytes.
std::string TarEntry(const std::string& name, const std::string& body, char type = '0') {
  std::string header(512, '\0');
  header.replace(0, name.size(), name);
  char size[12];
  std::snprintf(size, sizeof(size), "%011o", static_cast<unsigned>(body.size()));
  header.replace(124, 11, size);
  header[156] = type;
  header.replace(257, 5, "ustar");
  std::string padded = body + std::string((512 - body.size() % 512) % 512, '\0');
  return header + padded;
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Archive() {
  return Gzip(TarEntry("./", "", '5') + TarEntry("./notes.txt", "hello") +
              TarEntry("./xgboost-model", std::string(700, 'x')) + std::string(1024, '\0'));
}

TEST(TarGzTest, ReadsANamedFileWithOrWithoutTheDotPrefix) {
  const std::string archive = Archive();
  EXPECT_TRUE(IsGzip(archive));
  auto model = ReadTarGzMember(archive, "xgboost-model");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(*model, std::string(700, 'x'));
  EXPECT_EQ(*ReadTarGzMember(archive, "notes.txt"), "hello");
}

TEST(TarGzTest, AMissingFileNamesWhatTheArchiveHolds) {
  auto missing = ReadTarGzMember(Archive(), "model.json");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("notes.txt, xgboost-model"), std::string::npos)
      << missing.status().message();
}

TEST(TarGzTest, RefusesWhatIsNotAGzippedTarOrTooBig) {
  EXPECT_FALSE(IsGzip("{\"learner\": {}}"));
  EXPECT_EQ(ReadTarGzMember("plain text", "x").status().code(), StatusCode::kInvalidArgument);
  std::string archive = Archive();
  EXPECT_EQ(ReadTarGzMember(archive.substr(0, archive.size() / 2), "xgboost-model").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadTarGzMember(Gzip("not a tar header at all"), "xgboost-model").status().code(),
            StatusCode::kNotFound);  // Shorter than one block: an empty archive.
  EXPECT_EQ(ReadTarGzMember(archive, "xgboost-model", 1000).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace grove
