// The serving payload decoders (serving/payload.h, serving/json_request.h):
// the first line is the Content-Type (also read as an Accept header and as
// request fields), the rest the body. JSON bodies are read by both readers,
// which must agree: whatever the fast scanner accepts, the document reader
// reads to the same request (json_request.h's contract).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "serving/json_request.h"
#include "serving/payload.h"

namespace {

namespace serving = grove::serving;

bool SameRequest(const serving::PredictRequest& a, const serving::PredictRequest& b) {
  if (a.model != b.model || a.input != b.input || a.output != b.output || a.rows != b.rows || a.cols != b.cols ||
      a.cells != b.cells || a.features.size() != b.features.size()) {
    return false;
  }
  // Bit for bit: NaN (a missing value) equals NaN, -0 differs from 0.
  return a.features.empty() || std::memcmp(a.features.data(), b.features.data(), a.features.size() * sizeof(float)) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  std::string_view content_type = input.substr(0, newline);
  std::string_view body = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  (void)serving::ParseInputKind(content_type);
  (void)serving::ParseOutputRequest(content_type);
  (void)serving::ResponseFormatOf(content_type);
  const serving::InputKind csv_input = size % 2 == 0 ? serving::InputKind::kFeatures : serving::InputKind::kRaw;
  auto parsed = serving::ParseRequest(body, content_type, csv_input);
  if (parsed.ok()) {
    const serving::PredictRequest& request = *parsed;
    FUZZ_CHECK(request.features.size() + request.cells.size() == request.rows * request.cols);
  }
  (void)serving::ParseCsvRequest(body, csv_input);

  serving::PredictRequest scanned;
  if (serving::ScanJsonRequest(body, &scanned)) {
    auto document = serving::ReadJsonDocument(body);
    FUZZ_CHECK(document.ok());
    FUZZ_CHECK(SameRequest(scanned, *document));
  }
  return 0;
}
