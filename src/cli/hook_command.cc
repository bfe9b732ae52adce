// `grove hook create|list|show|delete|deliveries|replay`: hooks that deliver
// matching events (docs/events.md) to a webhook, a command, email or a
// pipeline start; a running `grove server` delivers them. On the data folder.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "events/hook_records.h"
#include "events/trigger_spec.h"
#include "store/metadata_store.h"

namespace grove::cli {

namespace {

struct HookArgs {
  std::string name;
  std::string on;
  std::vector<std::string> where;
  std::string webhook;
  std::string secret_env;
  std::string command;
  std::vector<std::string> email;
  std::string start;
  std::vector<std::string> parameters;
  int max_attempts = 5;
  bool show_secret = false;
  bool dead = false;
  bool all_dead = false;
  int64_t seq = 0;
};

// Splits "Key=Value" items into an object; `flag` and `example` name them in errors.
Result<Json> Pairs(const std::vector<std::string>& items, const std::string& flag, const std::string& example) {
  Json out = Json::object();
  for (const std::string& item : items) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument(flag + " '" + item + "': expected " + example);
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

// The hook's JSON form (as in grove.yaml) from the flags; HookSpecFromJson checks it.
Result<Json> BodyOf(const HookArgs& args) {
  Json body = {{"on", args.on}};
  ASSIGN_OR_RETURN(Json where, Pairs(args.where, "--where", "FIELD=GLOB, e.g. --where 'group=*-model-registry'"));
  if (!where.empty()) body["where"] = where;
  if (!args.webhook.empty()) body["webhook"] = args.webhook;
  if (!args.secret_env.empty()) body["secret_env"] = args.secret_env;
  if (!args.command.empty()) body["command"] = args.command;
  if (args.email.size() == 1) body["email"] = args.email.front();
  if (args.email.size() > 1) body["email"] = args.email;
  if (!args.start.empty()) {
    // A file is kept absolute, so the server finds it whatever its working folder.
    body["start"] = {{"pipeline", events::IsPipelineFile(args.start)
                                      ? std::filesystem::absolute(args.start).lexically_normal().string()
                                      : args.start}};
    ASSIGN_OR_RETURN(Json parameters, Pairs(args.parameters, "-p", "Name=Template, e.g. -p Note={group}/{version}"));
    if (!parameters.empty()) body["start"]["parameters"] = parameters;
  } else if (!args.parameters.empty()) {
    return Status::InvalidArgument("-p goes with --start");
  }
  if (args.max_attempts != 5) body["max_attempts"] = args.max_attempts;
  return body;
}

std::string Counts(const Json& hook) {
  const Json& d = hook["deliveries"];
  return std::to_string(d.value("pending", 0)) + "/" + std::to_string(d.value("delivered", 0)) + "/" +
         std::to_string(d.value("dead", 0));
}

std::string WhereText(const Json& hook) {
  std::string out;
  const Json where = hook.value("where", Json::object());
  for (const auto& [field, glob] : where.items()) {
    out += (out.empty() ? "" : " ") + field + "=" + glob.get<std::string>();
  }
  return out.empty() ? "-" : out;
}

int Create(const GlobalOptions& global, const HookArgs& args) {
  Result<Json> body = BodyOf(args);
  if (!body.ok()) return ReportError(body.status());
  std::string field;
  Result<events::HookSpec> spec = events::HookSpecFromJson(args.name, *body, &field);
  if (!spec.ok()) return ReportError(spec.status());
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  Result<events::HookRecord> made = events::CreateHook(*(*home)->metadata(), *spec);
  if (!made.ok()) return ReportError(made.status());
  if (global.json) {
    Json out = {{"name", spec->name}};
    for (const auto& [k, v] : body->items()) out[k] = v;
    if (!made->secret.empty()) out["secret"] = made->secret;
    PrintJson(std::cout, out);
    return kExitOk;
  }
  std::cout << "created hook " << spec->name << ": on " << spec->on << " -> " << events::TargetText(*spec)
            << " (from event " << made->cursor + 1 << " on; a running server delivers within a second)\n";
  if (!made->secret.empty()) {
    std::cout << "signing secret: " << made->secret
              << "\nEach request carries X-Grove-Signature: sha256=<hex HMAC-SHA256 of the body under this secret>;"
                 " grove hook show " << spec->name << " --show-secret prints it again.\n";
  }
  return kExitOk;
}

int List(const GlobalOptions& global, const HookArgs&) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto specs = store::ReadValue(*(*home)->metadata(), [](store::StoreReader& rows) { return events::ListHooks(rows); });
  if (!specs.ok()) return ReportError(specs.status());
  Json hooks = Json::array();
  for (const events::HookSpec& spec : *specs) {
    auto view = events::HookView(*(*home)->metadata(), spec.name, false);
    if (!view.ok()) return ReportError(view.status());
    hooks.push_back(*view);
  }
  if (global.json) {
    PrintJson(std::cout, {{"hooks", hooks}});
    return kExitOk;
  }
  if (hooks.empty()) {
    std::cout << "no hooks (grove hook create NAME --on EVENT --webhook URL, ...)\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < hooks.size(); ++i) {
    rows.push_back({(*specs)[i].name, (*specs)[i].on, WhereText(hooks[i]), events::TargetText((*specs)[i]),
                    Counts(hooks[i])});
  }
  PrintTable(std::cout, {"NAME", "ON", "WHERE", "TARGET", "PENDING/DELIVERED/DEAD"}, rows);
  return kExitOk;
}

int Show(const GlobalOptions& global, const HookArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto view = events::HookView(*(*home)->metadata(), args.name, args.show_secret);
  if (!view.ok()) return ReportError(view.status());
  if (global.json) {
    PrintJson(std::cout, *view);
    return kExitOk;
  }
  auto record = events::GetHook(*(*home)->metadata(), args.name);
  if (!record.ok()) return ReportError(record.status());
  const Json& v = *view;
  std::cout << "hook " << args.name << "\n  on " << v.value("on", "") << "\n  where " << WhereText(v) << "\n  "
            << events::TargetText(record->spec) << "\n";
  if (record->spec.start && !record->spec.start->parameters.empty()) {
    std::cout << "  parameters " << v["start"]["parameters"].dump() << "\n";
  }
  if (!record->spec.secret_env.empty()) std::cout << "  signed with $" << record->spec.secret_env << "\n";
  if (v.contains("secret")) std::cout << "  secret " << v["secret"].get<std::string>() << "\n";
  std::cout << "  max attempts " << record->spec.max_attempts << "\n  events after " << record->cursor
            << " looked at\n  deliveries pending/delivered/dead " << Counts(v) << "\n  created "
            << FormatTime(v["created_at"]) << ", updated " << FormatTime(v["updated_at"]) << "\n";
  return kExitOk;
}

int Delete(const GlobalOptions& global, const HookArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  if (Status s = events::RemoveHook(*(*home)->metadata(), args.name); !s.ok()) return ReportError(s);
  if (global.json) {
    PrintJson(std::cout, {{"deleted", args.name}});
  } else {
    std::cout << "deleted hook " << args.name << " and its deliveries\n";
  }
  return kExitOk;
}

int Deliveries(const GlobalOptions& global, const HookArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  const std::string status = args.dead ? events::kDeliveryDead : "";
  auto deliveries = store::ReadValue(*(*home)->metadata(), [&](store::StoreReader& rows) -> Result<Json> {
    std::vector<std::string> names = {args.name};
    if (args.name.empty()) {
      names.clear();
      ASSIGN_OR_RETURN(std::vector<events::HookSpec> specs, events::ListHooks(rows));
      for (const events::HookSpec& s : specs) names.push_back(s.name);
    } else {
      ASSIGN_OR_RETURN(auto hook, events::FindHookRecord(rows, args.name));
      if (!hook) return events::NoSuchHook(rows, args.name);
    }
    Json out = Json::array();
    for (const std::string& name : names) {
      ASSIGN_OR_RETURN(std::vector<events::HookDelivery> list, events::ListDeliveries(rows, name, status));
      for (const events::HookDelivery& d : list) out.push_back(events::ToJson(d));
    }
    return out;
  });
  if (!deliveries.ok()) return ReportError(deliveries.status());
  if (global.json) {
    PrintJson(std::cout, {{"deliveries", *deliveries}});
    return kExitOk;
  }
  if (deliveries->empty()) {
    std::cout << (args.dead ? "no dead deliveries\n" : "no deliveries yet\n");
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json& d : *deliveries) {
    const Json& history = d["history"];
    std::string last = history.empty() ? "-" : history.back().value("outcome", "");
    if (!history.empty() && history.back().contains("detail")) {
      std::string detail = history.back()["detail"].get<std::string>().substr(0, 60);
      for (char& c : detail) c = (c == '\n' || c == '\r') ? ' ' : c;
      last += ": " + detail;
    }
    rows.push_back({d.value("hook", ""), std::to_string(d.value("seq", int64_t{0})), d.value("type", ""),
                    d.value("subject", ""), d.value("status", ""), std::to_string(d.value("attempts", 0)), last});
  }
  PrintTable(std::cout, {"HOOK", "SEQ", "TYPE", "SUBJECT", "STATUS", "ATTEMPTS", "LAST OUTCOME"}, rows);
  return kExitOk;
}

int Replay(const GlobalOptions& global, const HookArgs& args) {
  if ((args.seq > 0) == args.all_dead) {
    return ReportError(Status::InvalidArgument("grove hook replay " + args.name +
                                               ": give an event's SEQ or --all-dead (see grove hook deliveries)"));
  }
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  Result<int> replayed = events::ReplayDeliveries(*(*home)->metadata(), args.name, args.seq);
  if (!replayed.ok()) return ReportError(replayed.status());
  if (global.json) {
    PrintJson(std::cout, {{"hook", args.name}, {"replayed", *replayed}});
  } else {
    std::cout << "replaying " << *replayed << " deliver" << (*replayed == 1 ? "y" : "ies") << " of hook " << args.name
              << " (a running server delivers them within a second)\n";
  }
  return kExitOk;
}

}  // namespace

void AddHookCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<HookArgs>();
  CLI::App* cmd = app.add_subcommand("hook", "Deliver events to webhooks, commands, email or pipeline starts");
  cmd->require_subcommand(1);
  auto bind = [&global, action, args](CLI::App* sub, int (*fn)(const GlobalOptions&, const HookArgs&)) {
    Bind(sub, global, action, args, fn);
  };
  CLI::App* create = cmd->add_subcommand("create", "Create a hook (a running server delivers from now on)");
  create->add_option("name", args->name, "The hook's name")->required();
  create->add_option("--on", args->on, "An event type or glob, e.g. model.approved, model.* (docs/events.md)")
      ->required();
  create->add_option("--where", args->where, "FIELD=GLOB the event must match, e.g. 'group=*-model-registry' (repeatable)");
  auto* webhook = create->add_option("--webhook", args->webhook, "POST the event JSON to this http(s) URL, signed");
  auto* command = create->add_option("--command", args->command, "Run with /bin/sh -c, the event JSON on stdin");
  auto* email = create->add_option("--email", args->email, "Mail the event to this address (repeatable)");
  auto* start = create->add_option("--start", args->start, "Start this pipeline (registered name or definition file)");
  webhook->excludes(command, email, start);
  command->excludes(email, start);
  email->excludes(start);
  create->add_option("-p,--parameter", args->parameters, "With --start: Name=Template, e.g. -p Note={group}/{version}");
  create->add_option("--secret-env", args->secret_env,
                     "With --webhook: sign with this environment variable of the server instead of a generated secret");
  create->add_option("--max-attempts", args->max_attempts, "Attempts before a delivery is dead (default 5; 1-100)");
  bind(create, Create);
  bind(cmd->add_subcommand("list", "List hooks with their delivery counts"), List);
  CLI::App* show = cmd->add_subcommand("show", "Show a hook");
  show->add_option("name", args->name, "The hook's name")->required();
  show->add_flag("--show-secret", args->show_secret, "Print the webhook's signing secret");
  bind(show, Show);
  CLI::App* del = cmd->add_subcommand("delete", "Delete a hook and its deliveries");
  del->add_option("name", args->name, "The hook's name")->required();
  bind(del, Delete);
  CLI::App* deliveries = cmd->add_subcommand("deliveries", "List deliveries and their attempts");
  deliveries->add_option("name", args->name, "Only this hook's");
  deliveries->add_flag("--dead", args->dead, "Only dead ones (failed max-attempts times)");
  bind(deliveries, Deliveries);
  CLI::App* replay = cmd->add_subcommand("replay", "Deliver an event again, or every dead delivery");
  replay->add_option("name", args->name, "The hook's name")->required();
  replay->add_option("seq", args->seq, "The event's seq (grove hook deliveries)");
  replay->add_flag("--all-dead", args->all_dead, "Every dead delivery of the hook");
  bind(replay, Replay);
}

}  // namespace grove::cli
