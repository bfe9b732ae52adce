#pragma once

// Checks of a request's framing that Boost.Beast's parser is lenient about.
// Beast accepts a bare LF as a line end and unfolds obs-fold, and reads a
// Transfer-Encoding without "chunked" last as no body at all; a proxy in
// front of Grove may frame the same bytes differently, which is how a second
// request is smuggled inside the first (RFC 9112 §2.2, §5.2, §6.1, §11.2).
// These run on the raw bytes and fields first, so such a request gets 400.
#include <cstddef>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace grove::api {

// Where the header block at the start of `bytes` ends (just past its blank
// line), or 0 while it has not all arrived. InvalidArgument, naming the byte,
// for a bare LF, a CR without LF, or a folded line (obs-fold). `from` skips
// bytes a call on a shorter prefix already scanned (minus the 3 that may end
// a line), so reading a header a byte at a time stays linear.
Result<size_t> HeaderBlockEnd(std::string_view bytes, size_t from = 0);

// The Transfer-Encoding field values of a request of HTTP/1.`minor_version`
// (none: OK). InvalidArgument unless they name exactly one coding, chunked,
// on HTTP/1.1: another coding leaves the body's length unknown, and on
// HTTP/1.0 the framing is faulty.
Status CheckTransferEncoding(const std::vector<std::string_view>& values, unsigned version);

}  // namespace grove::api
