#pragma once

// `grove server --auth on|off`: the server's access control, set up apart
// from server_command.cc so the server's wiring stays short.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "api/access_control.h"
#include "app/home.h"
#include "app/access_keys.h"
#include "api/auth/authenticator.h"
#include "common/status.h"

namespace grove::cli {

struct ServerAuth {
  std::unique_ptr<api::auth::StoreKeySource> keys;
  std::unique_ptr<api::auth::KeyAuthenticator> authenticator;  // Null with --auth off.
  std::optional<app::AccessKey> created_admin_key;       // Made on this (first) start.
  // The key of this data folder's pipeline steps, for their own S3 calls (a
  // Processing script's boto3): the operator key named "pipeline-steps",
  // made once. None with --auth off.
  std::optional<app::AccessKey> step_key;
};

// Checks --auth `mode` ("on" or "off") against the listen address, before
// anything is opened: InvalidArgument for "off" on an address other than loopback.
Status CheckServerAuth(const std::string& mode, const std::string& host);

// With "on", creates the first admin key when the data folder has no active
// key (auth/admin_key.h) and the authenticator over the folder's keys.
// REQUIRES: CheckServerAuth(mode, ...) is OK.
Result<ServerAuth> SetUpServerAuth(const std::string& mode, app::Home& home);

// After the server listens on `host`:`port`: tells pipeline steps where
// Grove's S3 is and which key to use (pipeline::SetStepS3Access).
void ShareStepS3Access(const ServerAuth& auth, const std::string& host, uint16_t port, const std::string& region);

// After the server listens: with --auth off a warning on stderr; with a newly
// created admin key, how to use it.
void PrintServerAuth(const ServerAuth& auth, const app::Home& home, const std::string& host, uint16_t port);

}  // namespace grove::cli
