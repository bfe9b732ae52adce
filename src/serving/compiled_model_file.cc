#include "serving/compiled_model_file.h"

#include <bit>
#include <cstring>
#include <type_traits>

namespace grove::serving {

static_assert(std::endian::native == std::endian::little, "compiled model files are little-endian");

namespace {

constexpr char kMagic[8] = {'G', 'R', 'O', 'V', 'E', 'T', 'R', 'E'};
constexpr size_t kChecksumEnd = 16;  // The checksum covers the bytes from here on.
constexpr size_t kDigestBytes = 64;

// The fixed header, written and read field by field at these offsets.
struct Header {
  uint64_t checksum = 0;
  uint32_t format_version = 0, compiler_version = 0, header_bytes = 0, transform = 0;
  uint64_t file_bytes = 0, num_features = 0;
  uint32_t num_groups = 0, num_trees = 0, num_nodes = 0, num_tree_weights = 0, objective_bytes = 0;
  char digest[kDigestBytes] = {};
};

template <typename T>
void Put(std::string& out, size_t offset, T value) {
  std::memcpy(out.data() + offset, &value, sizeof value);
}
template <typename T>
T Get(const char* in, size_t offset) {
  T value;
  std::memcpy(&value, in + offset, sizeof value);
  return value;
}

constexpr size_t Align8(uint64_t n) { return static_cast<size_t>((n + 7) & ~uint64_t{7}); }

// Where each section starts, from the counts; `end` is the file's size. The
// counts are 32-bit, so no sum overflows 64 bits.
struct Layout {
  uint64_t nodes, roots, groups, weights, margins, objective, end;
};

Layout LayoutOf(const Header& h, size_t node_bytes) {
  Layout l;
  l.nodes = CompiledModelFile::kHeaderBytes;
  l.roots = Align8(l.nodes + uint64_t{h.num_nodes} * node_bytes);
  l.groups = Align8(l.roots + uint64_t{h.num_trees} * 4);
  l.weights = Align8(l.groups + uint64_t{h.num_trees} * 4);
  l.margins = Align8(l.weights + uint64_t{h.num_tree_weights} * 4);
  l.objective = Align8(l.margins + uint64_t{h.num_groups} * 4);
  l.end = l.objective + h.objective_bytes;
  return l;
}

// Calls f(offset, field) for each numeric field of the header after the magic.
template <typename H, typename F>
void ForEachField(H& h, F&& f) {
  f(8, h.checksum);
  f(16, h.format_version);
  f(20, h.compiler_version);
  f(24, h.header_bytes);
  f(28, h.transform);
  f(32, h.file_bytes);
  f(40, h.num_features);
  f(48, h.num_groups);
  f(52, h.num_trees);
  f(56, h.num_nodes);
  f(60, h.num_tree_weights);
  f(64, h.objective_bytes);
}
constexpr size_t kDigestOffset = 72;

void WriteHeader(const Header& h, std::string& out) {
  std::memcpy(out.data(), kMagic, sizeof kMagic);
  ForEachField(h, [&](size_t offset, auto value) { Put(out, offset, value); });
  std::memcpy(out.data() + kDigestOffset, h.digest, kDigestBytes);
}

Header ReadHeader(const char* in) {
  Header h;
  ForEachField(h, [&](size_t offset, auto& value) {
    value = Get<std::remove_reference_t<decltype(value)>>(in, offset);
  });
  std::memcpy(h.digest, in + kDigestOffset, kDigestBytes);
  return h;
}

Status Corrupt(const std::string& why) { return Status::InvalidArgument("compiled model file is corrupt: " + why); }

}  // namespace

uint64_t Xxh64(std::string_view bytes) {
  constexpr uint64_t P1 = 11400714785074694791ULL, P2 = 14029467366897019727ULL, P3 = 1609587929392839161ULL,
                     P4 = 9650029242287828579ULL, P5 = 2870177450012600261ULL;
  auto round = [](uint64_t acc, uint64_t input) { return std::rotl(acc + input * P2, 31) * P1; };
  auto merge = [&](uint64_t acc, uint64_t value) { return (acc ^ round(0, value)) * P1 + P4; };
  const char* p = bytes.data();
  const char* end = p + bytes.size();
  uint64_t h;
  if (bytes.size() >= 32) {
    uint64_t v1 = P1 + P2, v2 = P2, v3 = 0, v4 = 0 - P1;
    for (; p + 32 <= end; p += 32) {
      v1 = round(v1, Get<uint64_t>(p, 0));
      v2 = round(v2, Get<uint64_t>(p, 8));
      v3 = round(v3, Get<uint64_t>(p, 16));
      v4 = round(v4, Get<uint64_t>(p, 24));
    }
    h = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = P5;
  }
  h += bytes.size();
  for (; p + 8 <= end; p += 8) h = std::rotl(h ^ round(0, Get<uint64_t>(p, 0)), 27) * P1 + P4;
  if (p + 4 <= end) {
    h = std::rotl(h ^ (uint64_t{Get<uint32_t>(p, 0)} * P1), 23) * P2 + P3;
    p += 4;
  }
  for (; p < end; ++p) h = std::rotl(h ^ (uint64_t{static_cast<unsigned char>(*p)} * P5), 11) * P1;
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

std::string CompiledModelFile::Serialize(const TreeEnsemble& e, std::string_view source_digest) {
  Header h;
  h.format_version = kFormatVersion;
  h.compiler_version = kCompilerVersion;
  h.header_bytes = kHeaderBytes;
  h.transform = static_cast<uint32_t>(e.transform_);
  h.num_features = e.num_features_;
  h.num_groups = static_cast<uint32_t>(e.num_groups_);
  h.num_trees = static_cast<uint32_t>(e.roots_.size());
  h.num_nodes = static_cast<uint32_t>(e.nodes_.size());
  h.num_tree_weights = static_cast<uint32_t>(e.tree_weights_.size());
  h.objective_bytes = static_cast<uint32_t>(e.objective_.size());
  std::memcpy(h.digest, source_digest.data(), std::min(source_digest.size(), kDigestBytes));
  Layout l = LayoutOf(h, sizeof(TreeEnsemble::Node));
  h.file_bytes = l.end;
  std::string out(l.end, '\0');
  auto copy = [&](uint64_t offset, const void* data, size_t bytes) {
    if (bytes > 0) std::memcpy(out.data() + offset, data, bytes);
  };
  copy(l.nodes, e.nodes_.data(), e.nodes_.size_bytes());
  copy(l.roots, e.roots_.data(), e.roots_.size_bytes());
  copy(l.groups, e.tree_groups_.data(), e.tree_groups_.size_bytes());
  copy(l.weights, e.tree_weights_.data(), e.tree_weights_.size_bytes());
  copy(l.margins, e.base_margins_.data(), e.base_margins_.size_bytes());
  copy(l.objective, e.objective_.data(), e.objective_.size());
  WriteHeader(h, out);
  h.checksum = Xxh64(std::string_view(out).substr(kChecksumEnd));
  Put(out, 8, h.checksum);
  return out;
}

Result<TreeEnsemble> CompiledModelFile::FromMapping(std::shared_ptr<const MappedFile> mapping,
                                                    std::string_view source_digest) {
  std::string_view bytes = mapping->bytes();
  if (bytes.size() < kHeaderBytes) return Corrupt(std::to_string(bytes.size()) + " bytes, shorter than its header");
  if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return Corrupt("no GROVETRE magic");
  Header h = ReadHeader(bytes.data());
  if (h.format_version != kFormatVersion || h.compiler_version != kCompilerVersion) {
    return Status::FailedPrecondition("compiled model file is stale: format " + std::to_string(h.format_version) +
                                      ", compiler " + std::to_string(h.compiler_version) + " (this binary: " +
                                      std::to_string(kFormatVersion) + ", " + std::to_string(kCompilerVersion) + ")");
  }
  if (h.header_bytes != kHeaderBytes) return Corrupt("header size " + std::to_string(h.header_bytes));
  Layout l = LayoutOf(h, sizeof(TreeEnsemble::Node));
  if (h.file_bytes != bytes.size() || l.end != bytes.size()) {
    return Corrupt("its sections need " + std::to_string(l.end) + " bytes, the header says " +
                   std::to_string(h.file_bytes) + ", the file has " + std::to_string(bytes.size()));
  }
  if (Xxh64(bytes.substr(kChecksumEnd)) != h.checksum) return Corrupt("checksum mismatch");
  if (std::string_view(h.digest, kDigestBytes) != source_digest) {
    return Status::FailedPrecondition("compiled model file is stale: compiled from " +
                                      std::string(h.digest, kDigestBytes) + ", not " + std::string(source_digest));
  }
  if (h.num_groups == 0 || h.num_groups > TreeEnsemble::kMaxClasses ||
      (h.num_tree_weights != 0 && h.num_tree_weights != h.num_trees) ||
      h.transform > static_cast<uint32_t>(OutputTransform::kArgmax) || (h.num_nodes == 0 && h.num_trees > 0)) {
    return Corrupt("counts out of range");
  }
  TreeEnsemble e;
  const char* base = bytes.data();
  e.nodes_ = {reinterpret_cast<const TreeEnsemble::Node*>(base + l.nodes), h.num_nodes};
  e.roots_ = {reinterpret_cast<const uint32_t*>(base + l.roots), h.num_trees};
  e.tree_groups_ = {reinterpret_cast<const uint32_t*>(base + l.groups), h.num_trees};
  e.tree_weights_ = {reinterpret_cast<const float*>(base + l.weights), h.num_tree_weights};
  e.base_margins_ = {reinterpret_cast<const float*>(base + l.margins), h.num_groups};
  e.objective_.assign(base + l.objective, h.objective_bytes);
  e.num_features_ = h.num_features;
  e.num_groups_ = h.num_groups;
  e.transform_ = static_cast<OutputTransform>(h.transform);
  // Walks only go forward (children after their parent) and stay in range.
  for (size_t i = 0; i < e.nodes_.size(); ++i) {
    const TreeEnsemble::Node& n = e.nodes_[i];
    if (n.feature == TreeEnsemble::kLeaf) continue;
    if (n.left <= i || uint64_t{n.left} + 1 >= e.nodes_.size() ||
        (n.feature & ~TreeEnsemble::kDefaultLeft) >= e.num_features_) {
      return Corrupt("node " + std::to_string(i) + " has a child or feature out of range");
    }
  }
  for (size_t t = 0; t < e.roots_.size(); ++t) {
    if (e.roots_[t] >= e.nodes_.size() || e.tree_groups_[t] >= e.num_groups_) {
      return Corrupt("tree " + std::to_string(t) + " has a root or group out of range");
    }
  }
  e.owned_bytes_ = bytes.size();
  e.owner_ = std::move(mapping);
  return e;
}

Result<TreeEnsemble> CompiledModelFile::Map(const std::filesystem::path& path, std::string_view source_digest) {
  ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> mapping, MappedFile::Open(path));
  Result<TreeEnsemble> e = FromMapping(std::move(mapping), source_digest);
  if (!e.ok()) return e.status().WithContext(path.string());
  return e;
}

std::filesystem::path CompiledModelPath(const std::filesystem::path& folder, std::string_view digest) {
  std::string versions = "trees-v" + std::to_string(CompiledModelFile::kFormatVersion) + "." +
                         std::to_string(CompiledModelFile::kCompilerVersion);
  return folder / versions / std::string(digest.substr(0, 2)) / std::string(digest);
}

}  // namespace grove::serving
