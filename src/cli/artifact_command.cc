#include <CLI/CLI.hpp>

#include <iostream>

#include "app/artifacts.h"
#include "app/record_json.h"
#include "cli/bind.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

struct ArtifactArgs {
  std::string ref;   // A digest, digest/<file>, or an artifact URI.
  std::string dest;  // get: where to copy it.
};

void PrintInfo(const app::ArtifactInfo& info) {
  const store::ArtifactRecord& r = info.record;
  std::cout << "artifact  " << r.digest << (info.ref.inner.empty() ? "" : "/" + info.ref.inner) << "\nkind      "
            << (r.is_directory ? "directory" : "file") << "\n";
  if (!r.is_directory) std::cout << "bytes     " << r.size_bytes << "\n";
  std::cout << "uri       " << r.uri << "\ncreated   " << FormatTime(r.created_at) << "\n";
  if (!info.files.empty()) {
    std::cout << "\nfiles\n";
    std::vector<std::vector<std::string>> rows;
    for (const app::ArtifactFile& f : info.files) rows.push_back({"  " + f.path, std::to_string(f.size_bytes)});
    PrintTable(std::cout, {"  PATH", "BYTES"}, rows);
  }
  std::cout << "\nlineage\n";
  if (info.lineage.empty()) std::cout << "  none recorded\n";
  std::vector<std::vector<std::string>> rows;
  for (const store::ArtifactLink& l : info.lineage) {
    rows.push_back({"  " + std::string(l.role == "output" ? "produced by" : "consumed by"), l.execution_id,
                    l.step_name, l.name});
  }
  if (!rows.empty()) PrintTable(std::cout, {"  ROLE", "EXECUTION", "STEP", "AS"}, rows);
}

int Show(const GlobalOptions& global, const ArtifactArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto info = app::Artifacts(**home).Stat(args.ref);
  if (!info.ok()) return ReportError(info.status());
  if (global.json) {
    PrintJson(std::cout, app::ToJson(*info));
    return kExitOk;
  }
  PrintInfo(*info);
  return kExitOk;
}

int Cat(const GlobalOptions& global, const ArtifactArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto in = app::Artifacts(**home).Open(args.ref);
  if (!in.ok()) return ReportError(in.status());
  char buffer[1 << 16];
  std::istream& bytes = **in;
  while (bytes.read(buffer, sizeof buffer) || bytes.gcount() > 0) std::cout.write(buffer, bytes.gcount());
  std::cout.flush();
  if (!std::cout) return ReportError(Status::IOError("cannot write " + args.ref + " to stdout"));
  return kExitOk;
}

int Get(const GlobalOptions& global, const ArtifactArgs& args) {
  auto home = OpenHome(global);
  if (!home.ok()) return ReportError(home.status());
  auto copied = app::Artifacts(**home).CopyTo(args.ref, args.dest);
  if (!copied.ok()) return ReportError(copied.status());
  if (global.json) {
    PrintJson(std::cout, {{"path", copied->string()}});
  } else {
    std::cout << "copied to " << copied->string() << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddArtifactCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<ArtifactArgs>();
  CLI::App* cmd = app.add_subcommand("artifact", "See what a run produced: metadata, lineage and bytes of artifacts");
  cmd->require_subcommand(1);
  auto bind = [&global, action, args](CLI::App* sub, int (*fn)(const GlobalOptions&, const ArtifactArgs&)) {
    Bind(sub, global, action, args, fn);
  };
  const char* ref_help = "A digest (see `execution outputs`), DIGEST/<file> inside a directory, or an artifact URI";
  CLI::App* show = cmd->add_subcommand("show", "Show an artifact's kind, size, URI, files and lineage");
  show->add_option("artifact", args->ref, ref_help)->required();
  bind(show, Show);
  CLI::App* cat = cmd->add_subcommand("cat", "Write a file artifact's bytes to stdout");
  cat->add_option("artifact", args->ref, ref_help)->required();
  bind(cat, Cat);
  CLI::App* get = cmd->add_subcommand("get", "Copy an artifact (a file or a directory) to a path");
  get->add_option("artifact", args->ref, ref_help)->required();
  get->add_option("path", args->dest, "Where to copy it (an existing directory: into it)")->required();
  bind(get, Get);
}

}  // namespace grove::cli
