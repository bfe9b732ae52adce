// The client over a server's REST API (GROVE_URL): the same JSON views,
// fetched with HttpClient; lists are read page by page to the end.
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "app/executions.h"
#include "app/pipelines.h"
#include "cli/client.h"
#include "cli/http_client.h"
#include "registry/registry.h"

namespace grove::cli {

namespace {

// `text` percent-encoded for a path segment or query value.
std::string Encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// "/api/v1/registry/groups/G/versions/N" of "G/N".
Result<std::string> VersionPath(const std::string& ref) {
  ASSIGN_OR_RETURN(auto parsed, registry::Registry::ParseVersionRef(ref));
  return "/api/v1/registry/groups/" + Encode(parsed.first) + "/versions/" + std::to_string(parsed.second);
}

class RemoteClient final : public Client {
 public:
  explicit RemoteClient(std::unique_ptr<HttpClient> http) : http_(std::move(http)) {}

  Result<Json> CreatePipeline(const std::string& file) override {
    ASSIGN_OR_RETURN(pipeline::Definition def, app::Pipelines::Read(file));
    return Call("POST", "/api/v1/pipelines?name=" + Encode(def.name), def.source_text);
  }
  Result<Json> ListPipelines() override { return Items("/api/v1/pipelines"); }
  Result<Json> DescribePipeline(const std::string& name, int version) override {
    std::string target = "/api/v1/pipelines/" + Encode(name);
    if (version > 0) target += "?version=" + std::to_string(version);
    return Call("GET", target);
  }

  Result<Json> StartExecution(const std::string& pipeline,
                              const std::map<std::string, std::string>& parameters) override {
    Json values = Json::object();
    for (const auto& [name, value] : parameters) values[name] = value;  // Text, parsed as on the command line.
    return Call("POST", "/api/v1/executions", Json{{"pipeline", pipeline}, {"parameters", values}});
  }
  Result<Json> ListExecutions(const std::string& pipeline, int limit) override {
    RETURN_IF_ERROR((app::ExecutionQuery{pipeline, limit}.CheckLimit()));
    std::string target = "/api/v1/executions?pipeline=" + Encode(pipeline);
    return Items(target, static_cast<size_t>(limit));
  }
  Result<Json> DescribeExecution(const std::string& id) override {
    return Call("GET", "/api/v1/executions/" + Encode(id));
  }
  Result<Json> ExecutionSteps(const std::string& id) override {
    return Items("/api/v1/executions/" + Encode(id) + "/steps");
  }
  // Events after the newest one now, so nothing that happens after Watch is missed.
  Status Watch(const std::string& id) override {
    watched_ = "/api/v1/events?after=latest&subject=" + Encode(id);
    lapsed_ = false;
    return http_->OpenEvents(watched_);
  }
  Status WaitForChange() override { return http_->NextEvent().status(); }
  // A wait that ran out closed the stream: the next one opens it again and
  // returns at once, so the caller looks before anything can be missed.
  Status WaitForChangeWithin(std::chrono::milliseconds at_most) override {
    if (lapsed_) {
      lapsed_ = false;
      return http_->OpenEvents(watched_);
    }
    ASSIGN_OR_RETURN(std::optional<ServerEvent> event, http_->NextEventWithin(at_most));
    lapsed_ = !event.has_value();
    return Status::OK();
  }

  Result<Json> ListModelGroups() override { return Items("/api/v1/registry/groups"); }
  Result<Json> ListModelVersions(const std::string& group) override {
    return Items("/api/v1/registry/groups/" + Encode(group) + "/versions");
  }
  Result<Json> DescribeModelVersion(const std::string& ref) override {
    ASSIGN_OR_RETURN(std::string path, VersionPath(ref));
    return Call("GET", path);
  }
  Result<Json> ModelVersionReport(const std::string& ref) override {
    ASSIGN_OR_RETURN(std::string path, VersionPath(ref));
    return Call("GET", path + "/report");
  }
  Result<std::string> ReadArtifact(const std::string& digest) override {
    ASSIGN_OR_RETURN(HttpReply reply, http_->Call("GET", "/api/v1/artifacts/" + Encode(digest) + "/content", ""));
    if (reply.status < 200 || reply.status > 299) return StatusOfReply(reply);
    return std::move(reply.body);
  }
  Result<Json> ChangeApproval(const std::string& ref, bool approve, const std::string& comment,
                              const std::string& by) override {
    if (!by.empty()) {
      return Status::InvalidArgument("--by '" + by + "': a server records the name of the access key that approves "
                                     "or rejects; leave --by out (or unset GROVE_URL to work on a data folder)");
    }
    ASSIGN_OR_RETURN(std::string path, VersionPath(ref));
    return Call("POST", path + (approve ? "/approve" : "/reject"), Json{{"comment", comment}});
  }

  Result<Json> ListEndpoints() override { return Items("/api/v1/endpoints"); }
  Result<Json> DescribeEndpoint(const std::string& name) override {
    return Call("GET", "/api/v1/endpoints/" + Encode(name));
  }

  Result<Json> CreateTrigger(const Json& spec) override { return Call("POST", "/api/v1/triggers", spec); }
  Result<Json> ListTriggers() override { return Items("/api/v1/triggers"); }
  Result<Json> DescribeTrigger(const std::string& name, int firings) override {
    return Call("GET", "/api/v1/triggers/" + Encode(name) + "?firings=" + std::to_string(firings));
  }
  Result<Json> PauseTrigger(const std::string& name, bool paused) override {
    return Call("POST", "/api/v1/triggers/" + Encode(name) + (paused ? "/pause" : "/resume"));
  }
  Status DeleteTrigger(const std::string& name) override {
    return Call("DELETE", "/api/v1/triggers/" + Encode(name)).status();
  }

  // The server reads the file: its path is made absolute here (the same machine, or a shared folder).
  Result<Json> EnqueueFile(const std::string& file, const Json& target) override {
    Json body = target;
    body["path"] = std::filesystem::absolute(file).lexically_normal().string();
    return Call("POST", "/api/v1/queue/enqueue", body);
  }
  Result<Json> QueueSummary() override { return Call("GET", "/api/v1/queue"); }
  Result<Json> ListQueueMessages(const std::string& state, int limit) override {
    return Items("/api/v1/queue/messages?state=" + Encode(state), limit > 0 ? static_cast<size_t>(limit) : SIZE_MAX);
  }
  Result<Json> ShowQueueMessage(int64_t id) override {
    return Call("GET", "/api/v1/queue/messages/" + std::to_string(id));
  }
  Result<Json> ReplayQueue(int64_t id, bool all_dead) override {
    Json body = all_dead ? Json{{"all_dead", true}} : Json{{"id", id}};
    return Call("POST", "/api/v1/queue/replay", body);
  }
  Result<Json> ListPredictions(const std::string& dimension, int limit) override {
    return Items("/api/v1/predictions?dim=" + Encode(dimension), limit > 0 ? static_cast<size_t>(limit) : SIZE_MAX);
  }
  Result<int64_t> ExportPredictions(const std::string& dimension, std::ostream& out) override {
    ASSIGN_OR_RETURN(Json predictions, ListPredictions(dimension, 0));
    WritePredictionsCsv(predictions, out);
    if (!out) return Status::IOError("writing the predictions' CSV failed");
    return static_cast<int64_t>(predictions.size());
  }
  Result<Json> PlanConfig(const Json& document, bool prune) override {
    return Call("POST", "/api/v1/config/plan", Json{{"document", document}, {"prune", prune}});
  }
  Result<Json> ApplyConfig(const Json& document, bool prune) override {
    return Call("POST", "/api/v1/config/apply", Json{{"document", document}, {"prune", prune}});
  }
  Result<Json> ExportConfig() override { return Call("GET", "/api/v1/config"); }

 private:
  Result<Json> Call(const std::string& method, const std::string& target, const Json& body = Json()) {
    return Call(method, target, body.is_null() ? std::string() : body.dump());
  }
  Result<Json> Call(const std::string& method, const std::string& target, const std::string& body) {
    ASSIGN_OR_RETURN(HttpReply reply, http_->Call(method, target, body));
    if (reply.status < 200 || reply.status > 299) return StatusOfReply(reply);
    Json parsed = Json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      return Status::IOError("the server at " + http_->base_url() + " answered " + method + " " + target +
                             " with something that is not JSON");
    }
    return parsed;
  }

  // Every item of a paginated list (at most `max`), page after page.
  Result<Json> Items(const std::string& target, size_t max = SIZE_MAX) {
    Json items = Json::array();
    std::string token;
    const char* joiner = target.find('?') == std::string::npos ? "?" : "&";
    do {
      std::string page_target = target + joiner + "limit=1000";
      if (!token.empty()) page_target += "&page_token=" + Encode(token);
      ASSIGN_OR_RETURN(Json page, Call("GET", page_target));
      if (!page.contains("items") || !page["items"].is_array()) {
        return Status::IOError("the server at " + http_->base_url() + " answered " + target + " without items");
      }
      for (Json& item : page["items"]) {
        if (items.size() < max) items.push_back(std::move(item));
      }
      token = page.value("next_page_token", "");
    } while (!token.empty() && items.size() < max);
    return items;
  }

  std::unique_ptr<HttpClient> http_;
  std::string watched_;  // The event stream Watch opened.
  bool lapsed_ = false;  // WaitForChangeWithin ran out and closed it.
};

}  // namespace

Result<std::unique_ptr<Client>> NewRemoteClient(const std::string& url, const std::string& secret) {
  ASSIGN_OR_RETURN(std::unique_ptr<HttpClient> http, HttpClient::Open(url, secret));
  return std::unique_ptr<Client>(std::make_unique<RemoteClient>(std::move(http)));
}

std::string ServerUrl(const GlobalOptions& global) {
  const char* url = std::getenv("GROVE_URL");
  return url != nullptr && *url != '\0' && global.home.empty() ? std::string(url) : std::string();
}

Result<std::unique_ptr<Client>> OpenClient(const GlobalOptions& global) {
  if (std::string url = ServerUrl(global); !url.empty()) {
    std::string secret;
    for (const char* name : {"GROVE_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"}) {
      const char* value = std::getenv(name);
      if (value != nullptr && *value != '\0' && secret.empty()) secret = value;
    }
    return NewRemoteClient(url, secret);
  }
  ASSIGN_OR_RETURN(std::unique_ptr<app::Home> home, app::Home::OpenFlag(global.home, global.stores));
  return NewLocalClient(std::move(home));
}

}  // namespace grove::cli
