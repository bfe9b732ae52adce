// The S3 request router (api/s3/s3_routes.h, with s3_wire.h and s3_xml.h):
// raw HTTP requests (framed as the server frames them, fuzz/http_input.h)
// routed to the S3 routes behind a Grove route, over a fresh data folder with
// one bucket, as `grove server` wires them. A handler that throws is a bug
// here (the server would answer 500 to what should be a 4xx), so nothing is
// caught.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "api/router.h"
#include "api/s3/s3_routes.h"
#include "app/home.h"
#include "app/object_store.h"
#include "common/file_util.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/http_input.h"

namespace {

struct S3Server {
  S3Server() {
    auto opened = grove::app::Home::Open(dir.path() / "home");
    FUZZ_CHECK(opened.ok());
    home = std::move(opened).value();
    objects = std::make_unique<grove::app::ObjectStore>(*home);
    auto ping = [](const grove::api::HttpRequest&) { return grove::api::TextResponse(200, "pong"); };
    FUZZ_CHECK(router.Add("GET", "/ping", ping).ok());
    FUZZ_CHECK(grove::api::s3::AddS3Routes(&router, objects.get()).ok());
    FUZZ_CHECK(objects->CreateBucket("data").ok());
  }
  grove::TempDir dir;  // Removed when the fuzzer exits normally.
  std::unique_ptr<grove::app::Home> home;
  std::unique_ptr<grove::app::ObjectStore> objects;
  grove::api::Router router;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static S3Server server;
  grove::fuzz::ForEachHttpRequest(data, size, [](grove::api::HttpRequest& request, const grove::Status& target) {
    if (!target.ok()) return;
    grove::api::HttpResponse response = server.router.Route(&request);
    FUZZ_CHECK(response.status >= 200 && response.status < 600);
  });
  return 0;
}
