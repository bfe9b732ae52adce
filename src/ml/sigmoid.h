#pragma once

#include <cmath>

namespace grove::ml {

// The logistic function, computed without overflow for large |z|.
inline double Sigmoid(double z) { return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z)); }

}  // namespace grove::ml
