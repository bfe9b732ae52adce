#include "cli/local_s3.h"

#include "api/access_control.h"
#include "app/access_keys.h"
#include "api/auth/authenticator.h"
#include "api/http_server.h"
#include "api/router.h"
#include "api/s3/s3_routes.h"
#include "app/object_store.h"
#include "pipeline/steps/sagemaker_job.h"

namespace grove::cli {

struct LocalS3::Parts {
  explicit Parts(app::Home& home)
      : objects(home), keys(home.metadata(), home.clock()), authenticator(&keys, home.clock()) {}

  app::ObjectStore objects;
  api::Router router;
  api::auth::StoreKeySource keys;
  api::auth::KeyAuthenticator authenticator;
  std::unique_ptr<api::AccessControl> guarded;
  std::unique_ptr<api::HttpServer> server;
};

LocalS3::LocalS3(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

LocalS3::~LocalS3() {
  if (parts_ && parts_->server) parts_->server->Stop();
}

Result<std::unique_ptr<LocalS3>> LocalS3::Start(app::Home& home, const std::string& region) {
  ASSIGN_OR_RETURN(app::AccessKey key, app::EnsureAccessKey(*home.metadata(), app::Role::kOperator,
                                                                        app::kStepKeyName));
  auto parts = std::make_unique<Parts>(home);
  RETURN_IF_ERROR(api::s3::AddS3Routes(&parts->router, &parts->objects));
  parts->guarded = std::make_unique<api::AccessControl>(parts->router, &parts->authenticator);
  api::HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.io_threads = 1;
  parts->server = std::make_unique<api::HttpServer>(options, *parts->guarded);
  RETURN_IF_ERROR(parts->server->Start());
  pipeline::SetStepS3Access("http://127.0.0.1:" + std::to_string(parts->server->port()), region, key.id, key.secret);
  return std::unique_ptr<LocalS3>(new LocalS3(std::move(parts)));
}

}  // namespace grove::cli
