#include "api/sagemaker/arn.h"

#include <cctype>
#include <charconv>

namespace grove::api::sagemaker {

namespace {

constexpr std::string_view kPrefix = "arn:aws:sagemaker:";

}  // namespace

std::string Arns::Resource(std::string_view kind, const std::string& name) const {
  return std::string(kPrefix) + region_ + ":" + std::string(kAccount) + ":" + std::string(kind) + "/" + name;
}

std::string Arns::Pipeline(const std::string& name) const { return Resource("pipeline", AsciiLowercase(name)); }

std::string Arns::Execution(const std::string& pipeline, const std::string& id) const {
  return Pipeline(pipeline) + "/execution/" + id;
}

std::string Arns::ModelPackageGroup(const std::string& group) const { return Resource("model-package-group", group); }

std::string Arns::ModelPackage(const std::string& group, int version) const {
  return Resource("model-package", AsciiLowercase(group) + "/" + std::to_string(version));
}

std::optional<ArnParts> ParseArn(std::string_view text) {
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  // {region}:{account}:{kind}/{path}
  size_t region_end = text.find(':');
  if (region_end == std::string_view::npos) return std::nullopt;
  size_t account_end = text.find(':', region_end + 1);
  if (account_end == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(account_end + 1);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) return std::nullopt;
  return ArnParts{std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1))};
}

std::optional<std::string> NameOrArn(std::string_view text, std::string_view kind) {
  if (text.substr(0, 4) != "arn:") return std::string(text);
  std::optional<ArnParts> arn = ParseArn(text);
  if (!arn || arn->kind != kind || arn->path.find('/') != std::string::npos) return std::nullopt;
  return arn->path;
}

std::optional<std::string> ExecutionIdOf(std::string_view text) {
  if (text.substr(0, 4) != "arn:") return text.empty() ? std::nullopt : std::optional<std::string>(text);
  std::optional<ArnParts> arn = ParseArn(text);
  if (!arn || arn->kind != "pipeline") return std::nullopt;
  size_t at = arn->path.find("/execution/");
  if (at == std::string::npos) return std::nullopt;
  std::string id = arn->path.substr(at + 11);
  if (id.empty() || id.find('/') != std::string::npos) return std::nullopt;
  return id;
}

std::optional<std::pair<std::string, int>> ModelPackageOf(std::string_view text) {
  std::string path(text);
  if (text.substr(0, 4) == "arn:") {
    std::optional<ArnParts> arn = ParseArn(text);
    if (!arn || arn->kind != "model-package") return std::nullopt;
    path = arn->path;
  }
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return std::nullopt;
  int version = 0;
  const char* begin = path.data() + slash + 1;
  const char* end = path.data() + path.size();
  auto [ptr, ec] = std::from_chars(begin, end, version);
  if (ec != std::errc() || ptr != end || begin == end || version < 1) return std::nullopt;
  return std::make_pair(path.substr(0, slash), version);
}

}  // namespace grove::api::sagemaker
