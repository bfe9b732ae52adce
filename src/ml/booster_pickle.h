#pragma once

// A Python pickle of an xgboost.core.Booster, as `pickle.dump(booster, f)`
// writes it: the Booster's state is {"handle": bytearray(<model bytes>)}, and
// `pickle.load` hands those bytes to XGBoost again. SageMaker's XGBoost image
// 1.0-1 saves its model this way, and the evaluation scripts written for it
// open the model with `pickle.load(open("xgboost-model", "rb"))`.

#include <string>
#include <string_view>

#include "common/status.h"

namespace grove::ml {

// A protocol-3 pickle of a Booster whose state holds `model` (what
// XGBoosterSerializeToBuffer gives, which the Python package's __setstate__
// reads back).
std::string PickleBooster(std::string_view model);

// The model bytes inside a pickled Booster: the largest bytes or bytearray
// value in the pickle. Reads the opcodes of protocols 2-5 that such pickles
// use; InvalidArgument naming the byte offset for anything else.
Result<std::string> UnpickleBoosterBytes(std::string_view pickle);

// Whether `bytes` starts like a pickle (the PROTO opcode).
bool LooksLikePickle(std::string_view bytes);

}  // namespace grove::ml
