#pragma once

#include <string>

#include "common/status.h"
#include "serving/payload.h"

namespace grove::cli {

// Where an invocation's rows come from on the command line.
struct RequestInput {
  std::string data;    // --data: the body itself.
  std::string file;    // --file: a file holding it ("-" for stdin).
  std::string input;   // --input: "features" (default) or "raw", for CSV.
  std::string output;  // --output: "probability" or "label"; empty keeps the body's.
};

// Decodes the body: JSON when it starts with '{' (either JSON shape of
// serving/payload.h), else headerless CSV rows of the --input kind. Errors
// name the file: "sample.csv: row 2, column 3: ...".
Result<serving::PredictRequest> ReadRequest(const RequestInput& in);

}  // namespace grove::cli
