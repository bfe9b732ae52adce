#include "cli/server_auth.h"

#include <iostream>

#include "api/auth/admin_key.h"
#include "pipeline/slurm_script.h"
#include "pipeline/steps/sagemaker_job.h"

namespace grove::cli {

Status CheckServerAuth(const std::string& mode, const std::string& host) {
  if (mode == "off") {
    if (!api::IsLoopbackHost(host)) {
      return Status::InvalidArgument("--auth off is allowed only on a loopback address (127.0.0.1, ::1 or "
                                     "localhost), not '" + host + "': anyone who can reach it could run pipelines "
                                     "and read every artifact. Listen on 127.0.0.1, or keep --auth on and give "
                                     "clients keys (grove key create)");
    }
    return Status::OK();
  }
  if (mode != "on") return Status::InvalidArgument("--auth '" + mode + "': expected on or off");
  return Status::OK();
}

Result<ServerAuth> SetUpServerAuth(const std::string& mode, app::Home& home) {
  ServerAuth out;
  if (mode == "off") return out;
  ASSIGN_OR_RETURN(out.created_admin_key, api::auth::EnsureAdminKey(*home.metadata(), home.root()));
  out.keys = std::make_unique<api::auth::StoreKeySource>(home.metadata(), home.clock());
  out.authenticator = std::make_unique<api::auth::KeyAuthenticator>(out.keys.get(), home.clock());
  ASSIGN_OR_RETURN(out.step_key, app::EnsureAccessKey(*home.metadata(), app::Role::kOperator,
                                                            app::kStepKeyName));
  return out;
}

void ShareStepS3Access(const ServerAuth& auth, const std::string& host, uint16_t port, const std::string& region) {
  // Steps run on this machine: a wildcard address is reached on loopback.
  const std::string reach = host == "0.0.0.0" ? "127.0.0.1" : host == "::" ? "::1" : host;
  const std::string bracketed = reach.find(':') != std::string::npos ? "[" + reach + "]" : reach;
  pipeline::SetStepS3Access("http://" + bracketed + ":" + std::to_string(port), region,
                            auth.step_key ? auth.step_key->id : "grove",
                            auth.step_key ? auth.step_key->secret : "grove");
}

void PrintServerAuth(const ServerAuth& auth, const app::Home& home, const std::string& host, uint16_t port) {
  if (!auth.authenticator) {
    std::cerr << "warning: access control is off (--auth off): every local user and process can use this server "
                 "as admin\n";
    return;
  }
  std::string exposed = api::auth::SecretsExposureWarning(home.root());
  if (!exposed.empty()) std::cerr << exposed << "\n";
  if (!auth.created_admin_key) return;
  const app::AccessKey& key = *auth.created_admin_key;
  std::string client_host = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host;
  if (client_host.find(':') != std::string::npos) client_host = "[" + client_host + "]";
  // The secret stays in the file: what a server prints ends up in logs (journald, CI output).
  const std::string path = api::auth::AdminKeyPath(home.root()).string();
  std::cout << "created the first admin access key " << key.id << ", saved to " << path
            << " (readable only by you; its secret is not printed). To use it:\n"
            << "  export AWS_ACCESS_KEY_ID=" << key.id << " AWS_SECRET_ACCESS_KEY=\"$(sed -n "
            << "'s/.*\"secret_access_key\": \"\\(.*\\)\".*/\\1/p' " << pipeline::ShellQuote(path) << ")\""
            << " AWS_ENDPOINT_URL=http://" << client_host << ":" << port << "\n"
            << "Create keys for others with: grove key create --role viewer|operator|approver|admin" << std::endl;
}

}  // namespace grove::cli
