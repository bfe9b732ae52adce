#include "cli/request_input.h"

#include <iostream>
#include <iterator>

#include "common/file_util.h"

namespace grove::cli {

Result<serving::PredictRequest> ReadRequest(const RequestInput& in) {
  if (in.data.empty() == in.file.empty()) {
    return Status::InvalidArgument("give the rows with exactly one of --data and --file");
  }
  std::string body = in.data;
  std::string where = "--data";
  if (!in.file.empty()) {
    where = in.file;
    if (in.file == "-") {
      body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      ASSIGN_OR_RETURN(body, ReadFile(in.file));
    }
  }
  serving::InputKind kind = serving::InputKind::kFeatures;
  if (!in.input.empty()) {
    ASSIGN_OR_RETURN(kind, serving::ParseInputKind(in.input));
  }
  size_t start = body.find_first_not_of(" \t\r\n");
  bool json = start != std::string::npos && body[start] == '{';
  Result<serving::PredictRequest> request =
      json ? serving::ParseJsonRequest(body) : serving::ParseCsvRequest(body, kind);
  if (!request.ok()) return request.status().WithContext(where);
  if (!in.output.empty()) {
    ASSIGN_OR_RETURN(request->output, serving::ParseOutputRequest(in.output));
  }
  return request;
}

}  // namespace grove::cli
