#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"

namespace grove::data {

struct FleetOptions {
  int dims = 3;
  int rows = 5000;           // Training rows per dimension (at most the churn data's).
  int inference_rows = 10;   // Rows of each dimension's inference file.
  uint64_t seed = 1729;
};

// Derives a fleet of `dims` dimensions from the synthetic churn data
// (`churn_csv`, datasets/customer-churn-synthetic/churn.txt), in the layout
// of datasets/churn-100x-dimensions (seed 004), under `out`:
//   training-dataset/DummyDim<i>/churn_dummy_dim<i>.csv   Dimension + the churn columns;
//   inference-dataset/DummyDim<i>/dim_<i>_test.csv        preprocessed rows: Churn?_True., the 11
//       numeric features, Dimension (1.0), then the one-hot State, Area Code, Int'l Plan and VMail
//       Plan columns (categories sorted, as seen in that dimension's training rows), 100 features
//       when every category is present, as the fleet pipeline's preparation writes them;
//   fleet.csv                                              every dimension's training rows in one file.
// Dimension i holds a seeded shuffle of `rows` churn rows with its minutes
// scaled by 1 + 0.02 * ((i - 1) % 10), so the models differ. The same
// arguments write the same bytes.
Status MakeFleet(const std::filesystem::path& churn_csv, const FleetOptions& options,
                 const std::filesystem::path& out);

}  // namespace grove::data
