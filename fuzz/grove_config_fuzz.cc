// The grove.yaml reader (app/config_document.h): text as `grove plan` and
// `grove apply` read it, with relative paths resolved in examples/ (so the
// seeds' pipeline files and samples are found), and JSON as a server reads
// the document a client sends (ConfigDocumentFromJson). What the reader
// accepts is canonical: sent on as JSON it is accepted again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/config_document.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto doc = grove::app::ParseConfigText(text, "grove.yaml", GROVE_SOURCE_DIR "/examples");
  if (doc.ok()) {
    auto again = grove::app::ConfigDocumentFromJson(grove::app::ToJson(*doc));
    if (!again.ok()) std::fprintf(stderr, "%s\n", again.status().ToString().c_str());
    FUZZ_CHECK(again.ok());
    (void)doc->Located(grove::Status::InvalidArgument("pipelines/x: fuzz"));
  }
  const grove::Json json = grove::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded()) (void)grove::app::ConfigDocumentFromJson(json);
  return 0;
}
