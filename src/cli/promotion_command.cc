// `grove promotion list|show|approve|reject|flows|flow create|flow delete`:
// promotion flows (app/promotion_flow.h) and their runs
// (app/promotion_runner.h), on the data folder.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/promotion_actions.h"
#include "app/promotion_flow.h"
#include "app/promotion_runner.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "common/file_util.h"

namespace grove::cli {

namespace {

struct PromotionArgs {
  std::string flow;
  std::string id;
  std::string comment;
  std::string by;
  std::vector<std::string> groups;
  std::string staging;
  std::string production;
  std::string sample_file;
  std::string input = "features";
  bool quality_check = false;
  std::vector<std::string> approvers;
};

std::string Who(const PromotionArgs& args) { return args.by.empty() ? CurrentUser() : args.by; }

void PrintRuns(const std::vector<app::PromotionRun>& runs) {
  std::vector<std::vector<std::string>> rows;
  for (const app::PromotionRun& r : runs) {
    const app::PromotionStage* last = r.stages.empty() ? nullptr : &r.stages.back();
    rows.push_back({r.flow, std::to_string(r.id), store::VersionRef(r.group, r.version), r.status,
                    FormatTime(r.started_at), last ? last->stage + " by " + last->by : ""});
  }
  PrintTable(std::cout, {"FLOW", "ID", "VERSION", "STATUS", "STARTED", "LAST STAGE"}, rows);
}

int PrintRun(const GlobalOptions& global, const Result<app::PromotionRun>& run) {
  if (!run.ok()) return ReportError(run.status());
  if (global.json) {
    PrintJson(std::cout, app::PromotionRunView(*run));
    return kExitOk;
  }
  std::cout << "run " << run->id << " of flow " << run->flow << ": " << store::VersionRef(run->group, run->version)
            << ", " << run->staging << " -> " << run->production << ", " << run->status << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const app::PromotionStage& s : run->stages) rows.push_back({s.stage, s.status, s.by, FormatTime(s.at), s.detail});
  PrintTable(std::cout, {"STAGE", "STATUS", "BY", "AT", "DETAIL"}, rows);
  return kExitOk;
}

int List(const GlobalOptions& global, const PromotionArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto runs = store::ReadValue(*(*home)->metadata(), [&](store::StoreReader& rows) {
    return app::ListPromotionRuns(rows, args.flow);
  });
  if (!runs.ok()) return ReportError(runs.status());
  if (global.json) {
    Json out = Json::array();
    for (const app::PromotionRun& r : *runs) out.push_back(app::PromotionRunView(r));
    PrintJson(std::cout, out);
  } else {
    PrintRuns(*runs);
  }
  return kExitOk;
}

int Show(const GlobalOptions& global, const PromotionArgs& args) {
  auto id = app::ParsePromotionRunId(args.id);
  if (!id.ok()) return ReportError(id.status());
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  return PrintRun(global, store::ReadValue(*(*home)->metadata(), [&](store::StoreReader& rows) {
                    return app::GetPromotionRun(rows, args.flow, *id);
                  }));
}

// Approves or rejects in the caller's name; an approval deploys to production from here.
int Decide(const GlobalOptions& global, const PromotionArgs& args, bool approve) {
  auto id = app::ParsePromotionRunId(args.id);
  if (!id.ok()) return ReportError(id.status());
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto service = (*home)->Endpoints();
  if (!service.ok()) return ReportError(service.status());
  app::EndpointPromotionActions actions(**home, **service);
  app::PromotionRunner runner((*home)->metadata(), &actions, (*home)->clock());
  auto run = approve ? runner.Approve(args.flow, *id, Who(args), args.comment)
                     : runner.Reject(args.flow, *id, Who(args), args.comment);
  int code = PrintRun(global, run);
  return code == kExitOk && run->status == app::kRunFailed ? kExitFailed : code;
}

int Approve(const GlobalOptions& global, const PromotionArgs& args) { return Decide(global, args, true); }
int Reject(const GlobalOptions& global, const PromotionArgs& args) { return Decide(global, args, false); }

int Flows(const GlobalOptions& global, const PromotionArgs&) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto flows = store::ReadValue(*(*home)->metadata(), [](store::StoreReader& rows) {
    return app::ListPromotionFlows(rows);
  });
  if (!flows.ok()) return ReportError(flows.status());
  if (global.json) {
    Json out = Json::object();
    for (const app::PromotionFlowSpec& f : *flows) out[f.name] = app::ToJson(f);
    PrintJson(std::cout, out);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  auto joined = [](const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
  };
  for (const app::PromotionFlowSpec& f : *flows) {
    rows.push_back({f.name, joined(f.groups), f.staging, f.production, f.gate.quality_check ? "sample+quality" : "sample",
                    f.approvers.empty() ? "(approver role)" : joined(f.approvers)});
  }
  PrintTable(std::cout, {"FLOW", "GROUPS", "STAGING", "PRODUCTION", "GATE", "APPROVERS"}, rows);
  return kExitOk;
}

int CreateFlow(const GlobalOptions& global, const PromotionArgs& args) {
  auto sample = ReadFile(args.sample_file);
  if (!sample.ok()) return ReportError(sample.status().WithContext("--sample-file"));
  Json body = {{"groups", args.groups},
               {"staging", args.staging},
               {"production", args.production},
               {"gate", {{"sample", *sample}, {"input", args.input}, {"quality_check", args.quality_check}}},
               {"approvers", args.approvers}};
  auto spec = app::PromotionFlowFromJson(args.flow, body, nullptr);
  if (!spec.ok()) return ReportError(spec.status());
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  Status put = (*home)->metadata()->Transact([&](store::StoreTransaction& txn) {
    return app::PutPromotionFlow(txn, *spec, (*home)->clock()->Now());
  });
  if (!put.ok()) return ReportError(put);
  if (global.json) PrintJson(std::cout, {{args.flow, app::ToJson(*spec)}});
  else std::cout << "promotion flow " << args.flow << " declared: approvals of " << body["groups"].dump()
                 << " go to " << args.staging << ", then wait for approval before " << args.production << "\n";
  return kExitOk;
}

int DeleteFlow(const GlobalOptions& global, const PromotionArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  bool deleted = false;
  Status s = (*home)->metadata()->Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(deleted, app::DeletePromotionFlow(txn, args.flow));
    return Status::OK();
  });
  if (!s.ok()) return ReportError(s);
  if (!deleted) return ReportError(Status::NotFound("no promotion flow '" + args.flow + "'"));
  std::cout << "promotion flow " << args.flow << " deleted (its runs stay)\n";
  return kExitOk;
}

void AddDecision(CLI::App* cmd, const char* name, const char* help, GlobalOptions& global, Action* action,
                 const std::shared_ptr<PromotionArgs>& args, int (*fn)(const GlobalOptions&, const PromotionArgs&),
                 bool comment_required) {
  CLI::App* sub = cmd->add_subcommand(name, help);
  sub->add_option("flow", args->flow, "Promotion flow")->required();
  sub->add_option("id", args->id, "Run id (e.g. 3 or 000003)")->required();
  auto* comment = sub->add_option("--comment", args->comment, "Why");
  if (comment_required) comment->required();
  sub->add_option("--by", args->by, "Who decides (default $USER)");
  Bind(sub, global, action, args, fn);
}

}  // namespace

void AddPromotionCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<PromotionArgs>();
  CLI::App* cmd = app.add_subcommand("promotion", "Promotion flows: staging, a gate, manual approval, production");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "Runs in progress and ended, newest first");
  list->add_option("--flow", args->flow, "Only this flow's runs");
  Bind(list, global, action, args, List);
  CLI::App* show = cmd->add_subcommand("show", "One run with every stage");
  show->add_option("flow", args->flow, "Promotion flow")->required();
  show->add_option("id", args->id, "Run id")->required();
  Bind(show, global, action, args, Show);
  AddDecision(cmd, "approve", "Approve a waiting run: its version goes to production", global, action, args, Approve,
              false);
  AddDecision(cmd, "reject", "Reject a waiting run: production stays as it is", global, action, args, Reject, true);
  Bind(cmd->add_subcommand("flows", "The declared promotion flows"), global, action, args, Flows);
  CLI::App* flow = cmd->add_subcommand("flow", "Declare or delete a flow without a grove.yaml");
  flow->require_subcommand(1);
  CLI::App* create = flow->add_subcommand("create", "Create or replace a flow");
  create->add_option("name", args->flow, "Flow name")->required();
  create->add_option("--groups", args->groups, "Model group names or globs (repeatable)")->required();
  create->add_option("--staging", args->staging, "Staging endpoint")->required();
  create->add_option("--production", args->production, "Production endpoint")->required();
  create->add_option("--sample-file", args->sample_file, "CSV rows for the gate's test invocation")->required();
  create->add_option("--input", args->input, "What the sample's rows are: features (default) or raw")
      ->check(CLI::IsMember({"features", "raw"}));
  create->add_flag("--quality-check", args->quality_check, "Also check staging's captured data quality");
  create->add_option("--approver", args->approvers, "Who may approve (repeatable; default: the approver role)");
  Bind(create, global, action, args, CreateFlow);
  CLI::App* remove = flow->add_subcommand("delete", "Delete a flow (its runs stay)");
  remove->add_option("name", args->flow, "Flow name")->required();
  Bind(remove, global, action, args, DeleteFlow);
}

}  // namespace grove::cli
