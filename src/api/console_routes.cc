#include "api/console_routes.h"

#include "common/ascii.h"
#include "web/console_assets.h"

namespace grove::api {
namespace {

bool AcceptsGzip(const HttpRequest& request) {
  auto accept = request.headers.Get("Accept-Encoding");
  return accept && AsciiLowercase(*accept).find("gzip") != std::string::npos;
}

HttpResponse ServeAsset(const HttpRequest& request, std::string_view path) {
  const web::Asset* asset = web::FindConsoleAsset(path);
  if (asset == nullptr) {
    return ErrorResponse(404, "NotFound", "the console has no file '" + std::string(path) + "'");
  }
  HttpResponse response;
  response.content_type = std::string(asset->content_type);
  if (asset->gzipped && AcceptsGzip(request)) {
    response.body = std::string(asset->data);
    response.headers.Set("Content-Encoding", "gzip");
  } else {
    auto plain = web::PlainBytes(*asset);
    if (!plain.ok()) return ErrorResponse(500, "Internal", plain.status().message());
    response.body = std::move(*plain);
  }
  response.headers.Set("Vary", "Accept-Encoding");
  response.headers.Set("Cache-Control", asset->immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.headers.Set("X-Content-Type-Options", "nosniff");
  if (!asset->immutable) {
    response.headers.Set("X-Frame-Options", "DENY");
    response.headers.Set("Referrer-Policy", "no-referrer");
    // Scripts and styles from this server only; the page talks to this server only.
    response.headers.Set("Content-Security-Policy",
                         "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                         "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'");
  }
  return response;
}

}  // namespace

bool IsConsolePageRequest(const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return false;
  if (request.path != "/" || request.headers.Has("Authorization")) return false;
  auto accept = request.headers.Get("Accept");
  return accept && AsciiLowercase(*accept).find("text/html") != std::string::npos;
}

bool IsConsoleRequest(const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") return false;
  return IsConsolePageRequest(request) || request.path == "/ui" || request.path.starts_with("/ui/");
}

Status AddConsoleRoutes(Router* router) {
  auto page = [](const HttpRequest& request) { return ServeAsset(request, "index.html"); };
  router->AddForRequest(IsConsolePageRequest, std::make_shared<FunctionHandler>(page));
  router->Reserve("ui");
  RETURN_IF_ERROR(router->Add("GET", "/ui", page));
  RETURN_IF_ERROR(router->Add("GET", "/ui/index.html", page));
  return router->Add("GET", "/ui/assets/{file...}", [](const HttpRequest& request) {
    return ServeAsset(request, "assets/" + request.path_params.at("file"));
  });
}

}  // namespace grove::api
