#pragma once

// The model artifact of SageMaker's built-in XGBoost image: model.tar.gz
// holding one file, `xgboost-model`. Image versions before 1.2 (1.0-1, which
// the SageMaker Projects templates pin) write the Booster pickled; later ones
// write XGBoost's own model format. Evaluation scripts written for an image
// open the file its way, so Grove writes exactly that image's form.

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ml/xgboost_booster.h"

namespace grove::ml {

inline constexpr std::string_view kXgboostModelMember = "xgboost-model";

enum class XgboostModelForm { kPickle, kNative };

// The form image `image` (an ECR URI such as
// ".../sagemaker-xgboost:1.0-1-cpu-py3") writes: kPickle for tags before 1.2.
XgboostModelForm ModelFormOfImage(std::string_view image);

// Writes `booster` as model.tar.gz at `path`.
Status WriteXgboostModelArchive(const XgboostBooster& booster, XgboostModelForm form,
                                const std::filesystem::path& path);

// Reads the booster of a model.tar.gz (either form, or a plain XGBoost model
// file inside). InvalidArgument naming the archive and what is missing.
Result<XgboostBooster> ReadXgboostModelArchive(const std::filesystem::path& path);

}  // namespace grove::ml
