#include "pipeline/cache_key.h"

#include "common/sha256.h"

namespace grove::pipeline {

std::string ComputeCacheKey(const std::string& step_type, int type_version, const Json& resolved_arguments,
                            const std::map<std::string, Json>& input_digests) {
  Json keyed = resolved_arguments;
  for (const auto& [name, digests] : input_digests) keyed[name] = Json{{"sha256", digests}};
  Sha256 h;
  h.Update("grove-step-cache-v1\n");
  h.Update(step_type);
  h.Update("\n");
  h.Update(std::to_string(type_version));
  h.Update("\n");
  h.Update(CanonicalJson(keyed));
  return h.HexDigest();
}

}  // namespace grove::pipeline
