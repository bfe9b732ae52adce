#include <CLI/CLI.hpp>

#include <iostream>

#include "app/access_keys.h"
#include "api/auth/admin_key.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

struct KeyArgs {
  std::string role;
  std::string name;
  std::string id;
};

int Create(const GlobalOptions& global, const KeyArgs& args) {
  std::optional<app::Role> role = app::ParseRole(args.role);
  if (!role) {
    return ReportError(Status::InvalidArgument("--role '" + args.role + "': expected one of " + app::RoleNames()));
  }
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto key = app::CreateAccessKey(*(*home)->metadata(), *role, args.name);
  if (!key.ok()) return ReportError(key.status());
  std::string exposed = api::auth::SecretsExposureWarning((*home)->root());
  if (!exposed.empty()) std::cerr << exposed << "\n";
  if (global.json) {
    PrintJson(std::cout, app::NewKeyJson(*key));
    return kExitOk;
  }
  std::cout << "created access key " << key->id << " (role " << app::RoleName(key->role) << ", name " << key->name
            << ")\nsecret access key: " << key->secret
            << "\nThe secret is shown only now. For boto3 and the aws CLI:\n  export AWS_ACCESS_KEY_ID=" << key->id
            << " AWS_SECRET_ACCESS_KEY=" << key->secret << "\nFor Grove's API: Authorization: Bearer <secret>\n";
  return kExitOk;
}

int List(const GlobalOptions& global, const KeyArgs&) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto keys = app::ListAccessKeys(*(*home)->metadata());
  if (!keys.ok()) return ReportError(keys.status());
  if (global.json) {
    Json out = Json::array();
    for (const app::AccessKey& key : *keys) out.push_back(app::KeyJson(key));
    PrintJson(std::cout, {{"keys", out}});
    return kExitOk;
  }
  if (keys->empty()) {
    std::cout << "no access keys (a server creates an admin key on its first start; or grove key create)\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const app::AccessKey& key : *keys) {
    rows.push_back({key.id, key.name, app::RoleName(key.role), key.active() ? "Active" : "Revoked",
                    FormatTime(key.created_at)});
  }
  PrintTable(std::cout, {"ID", "NAME", "ROLE", "STATUS", "CREATED"}, rows);
  return kExitOk;
}

int Revoke(const GlobalOptions& global, const KeyArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto key = app::RevokeAccessKey(*(*home)->metadata(), args.id);
  if (!key.ok()) return ReportError(key.status());
  if (global.json) {
    PrintJson(std::cout, app::KeyJson(*key));
  } else {
    std::cout << "revoked access key " << key->id << " (" << key->name
              << "); running servers refuse it within a second\n";
  }
  return kExitOk;
}

}  // namespace

void AddKeyCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<KeyArgs>();
  CLI::App* cmd = app.add_subcommand("key", "Manage the access keys a server accepts (works on the data folder)");
  cmd->require_subcommand(1);
  auto bind = [&global, action, args](CLI::App* sub, int (*fn)(const GlobalOptions&, const KeyArgs&)) {
    Bind(sub, global, action, args, fn);
  };
  CLI::App* create = cmd->add_subcommand("create", "Create a key; its secret is printed only this once");
  create->add_option("--role", args->role, "viewer, operator, approver or admin")->required();
  create->add_option("--name", args->name, "Who holds it, recorded with what it does (default: the key id)");
  bind(create, Create);
  bind(cmd->add_subcommand("list", "List keys (without secrets), active and revoked"), List);
  CLI::App* revoke = cmd->add_subcommand("revoke", "Revoke a key: servers refuse it within a second");
  revoke->add_option("id", args->id, "The access key id (see grove key list)")->required();
  bind(revoke, Revoke);
}

}  // namespace grove::cli
