#pragma once

// The web console (src/web) on the API's port:
//   GET /                 the console's page, for a browser: a GET or HEAD of "/" without an Authorization
//                         header that accepts text/html (S3's ListBuckets is also GET /, and is always signed
//                         by boto3 and the aws CLI, or asks for XML).
//   GET /ui/, /ui/index.html   the page again, at a path of its own.
//   GET /ui/assets/<file>  its scripts and styles; content-hashed names, cached for a year.
// Every file is compiled into the binary gzipped and sent as such to clients that accept gzip. None needs a
// key: the page asks for one and sends it with its API calls. The answers forbid framing and inline scripts.
#include "api/http_types.h"
#include "api/router.h"
#include "common/status.h"

namespace grove::api {

bool IsConsolePageRequest(const HttpRequest& request);

// Whether the request is for the console (its page or a file under /ui/); such requests need no key.
bool IsConsoleRequest(const HttpRequest& request);

Status AddConsoleRoutes(Router* router);

}  // namespace grove::api
