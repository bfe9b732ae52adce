#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace grove::serving {

// The parts of an XGBoost model document (XGBoost 1.x JSON layout) that a
// tree walker needs, read before compiling. Two readers fill it: a fast
// scanner over JSON text, and one over a parsed Json (UBJSON models, callers
// holding a document).
struct XgboostModelSpec {
  struct Tree {
    std::vector<int64_t> left_children;
    std::vector<int64_t> right_children;
    std::vector<int64_t> split_indices;
    std::vector<float> split_conditions;
    std::vector<int64_t> default_left;
    std::vector<int64_t> split_type;              // Absent in old models: all numeric.
    std::map<std::string, std::string> tree_param;  // Values as text ("0").
  };

  std::map<std::string, std::string> learner_model_param;  // Values as text ("5E-1").
  std::string objective;
  std::string booster;                  // "gbtree", "dart", "gblinear", ...
  std::vector<int64_t> tree_info;
  std::vector<Tree> trees;
  std::vector<float> weight_drop;       // dart only.
  bool has_learner = false;
};

// Scans JSON text for the fields above, skipping everything else, without
// building a document (a 50-tree model in a fraction of a millisecond).
// kInvalidArgument on text it does not read (then parse it as Json instead).
Result<XgboostModelSpec> ScanXgboostModelJson(std::string_view text);

// Reads the same fields from a parsed document. kInvalidArgument on a wrong shape.
Result<XgboostModelSpec> ReadXgboostModelSpec(const Json& doc);

}  // namespace grove::serving
