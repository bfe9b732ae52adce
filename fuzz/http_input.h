#pragma once

// Raw bytes as the HTTP server reads them: the framing checks of
// api/request_framing.h, then Boost.Beast's request parser with the
// server's default limits (api/http_server.h), each complete request (several
// when pipelined) turned into Grove's HttpRequest by the server's own
// TakeBeastRequest. Shared by the fuzz targets that take HTTP requests.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include "api/beast_request.h"
#include "api/http_server.h"
#include "api/request_framing.h"

namespace grove::fuzz {

// Calls `visit(HttpRequest&, const Status& target)` for each request the bytes
// frame, until they end or the parser refuses them (as the server would).
template <typename Visit>
void ForEachHttpRequest(const uint8_t* data, size_t size, Visit visit) {
  namespace http = boost::beast::http;
  const api::HttpServerOptions defaults;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  while (!bytes.empty()) {
    if (!api::HeaderBlockEnd(bytes).ok()) return;  // Bare LF or obs-fold: answered 400 by the server.
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<uint32_t>(defaults.header_limit));
    parser.body_limit(defaults.body_limit);
    parser.eager(true);
    boost::system::error_code ec;
    while (!parser.is_done() && !bytes.empty()) {
      size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
      bytes.remove_prefix(used);
      if (ec == http::error::need_more) {
        if (!bytes.empty() && used > 0) continue;
        ec = {};
        break;
      }
      if (ec) return;  // Answered 400, 413 or 431 by the server.
      if (used == 0) break;
    }
    if (!parser.is_done()) {
      parser.put_eof(ec);  // The client closed: a body that ends with the connection.
      if (ec || !parser.is_done()) return;
    }
    std::vector<std::string_view> codings;
    auto [first, last] = parser.get().equal_range(http::field::transfer_encoding);
    for (auto it = first; it != last; ++it) codings.push_back({it->value().data(), it->value().size()});
    if (!api::CheckTransferEncoding(codings, parser.get().version()).ok()) return;  // Answered 400.
    api::BeastRequest message = parser.release();
    api::HttpRequest request;
    Status target = api::TakeBeastRequest(message, &request);
    visit(request, target);
  }
}

}  // namespace grove::fuzz
