// Artifacts: stat (record, lineage, files) and download (streamed).
#include <istream>

#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "app/artifacts.h"
#include "app/record_json.h"

namespace grove::api::rest {

namespace {

constexpr size_t kPieceBytes = 64 * 1024;

// "<digest>" or, with ?path=, "<digest>/<path>" (a file of a directory artifact).
std::string Ref(const HttpRequest& request) {
  std::string ref(request.PathParam("digest"));
  if (auto path = request.QueryParam("path"); path && !path->empty()) ref += "/" + std::string(*path);
  return ref;
}

// A file artifact's bytes, 64 KiB a piece.
class FileStream final : public ResponseStream {
 public:
  explicit FileStream(std::unique_ptr<std::istream> in) : in_(std::move(in)) {}
  std::optional<std::string> Next() override {
    std::string piece(kPieceBytes, '\0');
    in_->read(piece.data(), static_cast<std::streamsize>(piece.size()));
    piece.resize(static_cast<size_t>(in_->gcount()));
    if (piece.empty()) return std::nullopt;
    return piece;
  }

 private:
  std::unique_ptr<std::istream> in_;
};

}  // namespace

Status AddArtifactRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  RETURN_IF_ERROR(
      AddJson(router, "GET", "/api/v1/artifacts/{digest}", [home](const HttpRequest& request) -> Result<Json> {
        return app::ViewOf(app::Artifacts(*home).Stat(Ref(request)));
      }));
  return router->Add("GET", "/api/v1/artifacts/{digest}/content", [home](const HttpRequest& request) {
    auto in = app::Artifacts(*home).Open(Ref(request));
    if (!in.ok()) return StatusResponse(in.status());
    HttpResponse response = TextResponse(200, "", "application/octet-stream");
    response.stream = std::make_shared<FileStream>(std::move(*in));
    return response;
  });
}

}  // namespace grove::api::rest
