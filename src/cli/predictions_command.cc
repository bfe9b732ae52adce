// grove predictions list|export: the records of queued batch inference
// (app/inference_queue.h), from the data folder or a server.
#include <CLI/CLI.hpp>

#include <charconv>
#include <fstream>
#include <iostream>
#include <set>

#include "cli/bind.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace grove::cli {

namespace {

struct PredictionsArgs {
  std::string dimension;
  int limit = 0;
  std::string out;
};

std::string Cell(const Json& value) {
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (value.is_number()) {
    double number = value.get<double>();
    char buffer[32];
    auto written = std::to_chars(buffer, buffer + sizeof buffer, number);
    text.assign(buffer, written.ptr);
  } else if (!value.is_null()) {
    text = value.dump();
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

int List(const GlobalOptions& global, const PredictionsArgs& args) {
  if (args.limit < 0) return ReportError(Status::InvalidArgument("--limit must be at least 0 (0: every record)"));
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  Result<Json> listed = (*client)->ListPredictions(args.dimension, args.limit);
  if (!listed.ok()) return ReportError(listed.status());
  if (global.json) {
    PrintJson(std::cout, Json{{"predictions", *listed}});
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const Json& p : *listed) {
    rows.push_back({p["id"], p["dimension"], p["prediction"].dump(), Cell(p["probability"]), Cell(p["ground_truth"]),
                    FormatTime(p["created_at"]),
                    p["source_file"].get<std::string>() + ":" + std::to_string(p["row_number"].get<int64_t>())});
  }
  PrintTable(std::cout, {"ID", "DIMENSION", "PREDICTION", "PROBABILITY", "GROUND TRUTH", "CREATED", "ROW"}, rows);
  std::cout << listed->size() << " prediction(s)\n";
  return kExitOk;
}

int Export(const GlobalOptions& global, const PredictionsArgs& args) {
  auto client = OpenClient(global);
  if (!client.ok()) return ReportError(client.status());
  std::ofstream file;
  if (!args.out.empty()) {
    file.open(args.out, std::ios::binary | std::ios::trunc);
    if (!file) return ReportError(Status::IOError("--out " + args.out + ": cannot open it for writing"));
  }
  std::ostream& out = args.out.empty() ? std::cout : file;
  Result<int64_t> written = (*client)->ExportPredictions(args.dimension, out);
  if (!written.ok()) return ReportError(written.status());
  out.flush();
  if (!out) return ReportError(Status::IOError("writing " + (args.out.empty() ? "stdout" : args.out) + " failed"));
  if (!args.out.empty()) std::cerr << "wrote " << *written << " prediction(s) to " << args.out << "\n";
  return kExitOk;
}

}  // namespace

void WritePredictionsCsv(const Json& predictions, std::ostream& out) {
  std::vector<std::string> names;
  std::set<std::string> known;
  for (const Json& p : predictions) {
    const Json& features = p["features"];
    for (auto it = features.begin(); it != features.end(); ++it) {
      if (known.insert(it.key()).second) names.push_back(it.key());
    }
  }
  out << "id,dimension,prediction,probability,ground_truth,created_at";
  for (const std::string& name : names) out << ',' << Cell(name);
  out << '\n';
  for (const Json& p : predictions) {
    out << Cell(p["id"]) << ',' << Cell(p["dimension"]) << ',' << Cell(p["prediction"]) << ','
        << Cell(p["probability"]) << ',' << Cell(p["ground_truth"]) << ',' << Cell(p["created_at"]);
    const Json& features = p["features"];
    for (const std::string& name : names) out << ',' << (features.contains(name) ? Cell(features[name]) : "");
    out << '\n';
  }
}

void AddPredictionsCommand(CLI::App& app, GlobalOptions& global, Action* action) {
  auto args = std::make_shared<PredictionsArgs>();
  CLI::App* cmd = app.add_subcommand("predictions", "The records of queued batch inference: list, export");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "List prediction records, oldest first");
  list->add_option("--dim", args->dimension, "Only this dimension's records");
  list->add_option("--limit", args->limit, "At most this many (default: every matching record)");
  Bind(list, global, action, args, List);
  CLI::App* exp = cmd->add_subcommand("export", "Write prediction records as CSV");
  exp->add_option("--dim", args->dimension, "Only this dimension's records");
  exp->add_option("--out", args->out, "The CSV file to write (default: stdout)");
  Bind(exp, global, action, args, Export);
}

}  // namespace grove::cli
