#include "ml/sagemaker_model_archive.h"

#include <cstdlib>

#include "common/tar_gz.h"
#include "ml/booster_pickle.h"

namespace grove::ml {

XgboostModelForm ModelFormOfImage(std::string_view image) {
  const size_t colon = image.rfind(':');
  if (colon == std::string_view::npos || image.find('/', colon) != std::string_view::npos) {
    return XgboostModelForm::kNative;  // No tag: the latest image.
  }
  const std::string tag(image.substr(colon + 1));  // "1.0-1-cpu-py3", "1.7-1"
  char* end = nullptr;
  const long major = std::strtol(tag.c_str(), &end, 10);
  if (end == tag.c_str()) return XgboostModelForm::kNative;
  const long minor = *end == '.' ? std::strtol(end + 1, nullptr, 10) : 0;
  return major == 0 || (major == 1 && minor < 2) ? XgboostModelForm::kPickle : XgboostModelForm::kNative;
}

Status WriteXgboostModelArchive(const XgboostBooster& booster, XgboostModelForm form,
                                const std::filesystem::path& path) {
  std::string bytes;
  if (form == XgboostModelForm::kPickle) {
    ASSIGN_OR_RETURN(std::string serialised, booster.Serialize());
    bytes = PickleBooster(serialised);
  } else {
    ASSIGN_OR_RETURN(bytes, booster.Save(XgboostBooster::Format::kUbjson));
  }
  return WriteTarGz(path, {{std::string(kXgboostModelMember), std::move(bytes)}});
}

Result<XgboostBooster> ReadXgboostModelArchive(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(std::vector<TarMember> members, ReadTarGz(path));
  const TarMember* model = nullptr;
  for (const TarMember& m : members) {
    if (m.name == kXgboostModelMember) model = &m;
  }
  if (model == nullptr && members.size() == 1) model = &members[0];
  if (model == nullptr) {
    std::string names;
    for (const TarMember& m : members) names += (names.empty() ? "" : ", ") + m.name;
    return Status::InvalidArgument(path.string() + ": the archive holds no " + std::string(kXgboostModelMember) +
                                   " (it holds " + (names.empty() ? "nothing" : names) + ")");
  }
  if (!LooksLikePickle(model->bytes)) {
    Result<XgboostBooster> booster = XgboostBooster::LoadFromBuffer(model->bytes);
    if (!booster.ok()) return booster.status().WithContext(path.string() + ": " + model->name);
    return booster;
  }
  Result<std::string> bytes = UnpickleBoosterBytes(model->bytes);
  if (!bytes.ok()) return bytes.status().WithContext(path.string() + ": " + model->name);
  // Pickles of XGBoost 1.0 hold the model alone (save_raw); later ones model and configuration.
  Result<XgboostBooster> booster = XgboostBooster::Unserialize(*bytes);
  if (booster.ok()) return booster;
  booster = XgboostBooster::LoadFromBuffer(*bytes);
  if (!booster.ok()) return booster.status().WithContext(path.string() + ": " + model->name);
  return booster;
}

}  // namespace grove::ml
