#include "events/hook_targets.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>

#include "events/trigger_spec.h"

extern char** environ;

namespace grove::events {

namespace {

constexpr size_t kDetailBytes = 512;

using Steady = std::chrono::steady_clock;
using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using CurlList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

// `url` fit for a message: a password in its userinfo (smtp://user:password@host) becomes "***", since
// messages end up in delivery records and the server's log.
std::string WithoutPassword(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t authority = scheme + 3;
  const size_t at = url.find('@', authority);
  if (at == std::string::npos || url.find_first_of("/?#", authority) < at) return url;
  const size_t colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

HookAttempt Failed(std::string outcome, std::string detail = "") {
  return {0, false, std::move(outcome), std::move(detail)};
}

std::string Tail(const std::string& text) {
  return text.size() <= kDetailBytes ? text : text.substr(text.size() - kDetailBytes);
}

size_t AppendCapped(char* data, size_t size, size_t count, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() < kDetailBytes) body->append(data, std::min(size * count, kDetailBytes - body->size()));
  return size * count;
}

long Millis(std::chrono::milliseconds ms) { return static_cast<long>(ms.count()); }

// The message's text for SMTP: headers, a blank line, the body; CRLF lines.
std::string MailText(const std::string& from, const std::vector<std::string>& to, const Json& event,
                     const std::string& delivery_id) {
  std::string recipients;
  for (const std::string& a : to) recipients += (recipients.empty() ? "" : ", ") + a;
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::tm utc;
  gmtime_r(&now, &utc);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  std::string text = "Date: " + std::string(date) + "\r\nMessage-ID: <" + delivery_id + "." +
                     std::to_string(now) + "@grove>\r\n";
  text += "From: " + from + "\r\nTo: " + recipients + "\r\nSubject: [grove] " + event.value("type", "") +
                     " " + event.value("subject", "") + "\r\nX-Grove-Delivery: " + delivery_id +
                     "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
  std::string body = event.dump(2);
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    std::string line = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!line.empty() && line.front() == '.') line = "." + line;  // SMTP's dot-stuffing.
    text += line + "\r\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return text;
}

struct MailReader {
  const std::string* text;
  size_t offset = 0;
};

size_t ReadMail(char* buffer, size_t size, size_t count, void* user) {
  auto* reader = static_cast<MailReader*>(user);
  size_t n = std::min(size * count, reader->text->size() - reader->offset);
  std::memcpy(buffer, reader->text->data() + reader->offset, n);
  reader->offset += n;
  return n;
}

// Runs `command` with /bin/sh -c in a new process group, `input` on stdin and
// stdout and stderr together captured (the tail kept), killing the group at `deadline`.
struct CommandResult {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;
  std::string output;
  std::string error;
};

CommandResult RunShell(const std::string& command, const std::string& input, const std::vector<std::string>& env,
                       Steady::time_point deadline) {
  CommandResult result;
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) {
    result.error = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    result.error = std::string("pipe: ") + std::strerror(errno);
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = -1;
  int spawned = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char* const*>(argv), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  if (spawned != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    result.error = std::string("cannot run /bin/sh: ") + std::strerror(spawned);
    return result;
  }
  result.started = true;
  ::fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  size_t written = 0;
  int in_fd = input.empty() ? -1 : in_pipe[1];
  if (in_fd < 0) ::close(in_pipe[1]);
  int out_fd = out_pipe[0];
  char buffer[4096];
  while (out_fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd fds[2] = {{out_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
    if (::poll(fds, in_fd >= 0 ? 2 : 1, static_cast<int>(std::min<long long>(left, 1000))) < 0 && errno != EINTR) break;
    if (in_fd >= 0 && fds[1].revents != 0) {
      ssize_t n = ::write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) {
        ::close(in_fd);  // Done, or the command stopped reading (EPIPE): it may still succeed.
        in_fd = -1;
      }
    }
    if (fds[0].revents != 0) {
      ssize_t n = ::read(out_fd, buffer, sizeof buffer);
      if (n > 0) {
        result.output.append(buffer, static_cast<size_t>(n));
        if (result.output.size() > 4 * kDetailBytes) result.output = Tail(result.output);
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        ::close(out_fd);
        out_fd = -1;
      }
    }
  }
  if (in_fd >= 0) ::close(in_fd);
  if (out_fd >= 0) ::close(out_fd);
  // The output is closed (or the time is up): wait for the shell, killing its group at the deadline.
  int status = 0;
  bool killed = false;
  while (true) {
    if (!killed && (result.timed_out || Steady::now() >= deadline)) {
      result.timed_out = true;
      ::kill(-pid, SIGKILL);
      killed = true;
    }
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    ::usleep(10000);
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

// Writing to a command that stopped reading must not end the server with SIGPIPE:
// blocked on this thread while the command runs, a pending one discarded after.
class BlockSigpipe {
 public:
  BlockSigpipe() {
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &old_);
  }
  ~BlockSigpipe() {
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    timespec zero = {0, 0};
    while (sigtimedwait(&pipe_only, nullptr, &zero) == SIGPIPE) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t old_;
};

}  // namespace

std::string SignBody(const std::string& secret, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(body.data()),
       body.size(), mac, &length);
  std::string out = "sha256=";
  char hex[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", mac[i]);
    out += hex;
  }
  return out;
}

Result<std::map<std::string, std::string>> StartParameters(const HookStart& start, const Json& event) {
  std::map<std::string, std::string> fields;
  for (const auto& [key, value] : event.items()) fields[key] = value.is_string() ? value.get<std::string>() : value.dump();
  std::map<std::string, std::string> out;
  for (const auto& [name, text] : start.parameters) {
    Result<std::string> value = ExpandTemplate(text, fields);
    if (!value.ok()) return value.status().WithContext("start parameter " + name);
    out[name] = *value;
  }
  return out;
}

HookAttempt NetworkHookTargets::Deliver(const HookRequest& request) {
  try {
    switch (request.spec->target_kind()) {
      case HookTargetKind::kWebhook:
        return Webhook(request);
      case HookTargetKind::kCommand:
        return Command(request);
      case HookTargetKind::kEmail:
        return Email(request);
      case HookTargetKind::kStart:
        return Start(request);
    }
  } catch (const std::exception& e) {
    return Failed("error", e.what());
  }
  return Failed("error", "unknown target");
}

HookAttempt NetworkHookTargets::Webhook(const HookRequest& request) const {
  const std::string body = request.event->dump();
  CurlHandle curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Failed("error", "curl_easy_init failed");
  const std::string timestamp = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count());
  std::vector<std::string> lines = {"Content-Type: application/json", "User-Agent: grove-hooks",
                                    "X-Grove-Event: " + request.event->value("type", ""),
                                    "X-Grove-Delivery: " + request.delivery_id, "X-Grove-Timestamp: " + timestamp};
  if (!request.secret.empty()) lines.push_back("X-Grove-Signature: " + SignBody(request.secret, body));
  curl_slist* raw = nullptr;
  for (const std::string& line : lines) raw = curl_slist_append(raw, line.c_str());
  CurlList headers(raw, curl_slist_free_all);
  std::string answer;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.spec->webhook.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, AppendCapped);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, Millis(options_.http_timeout));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, Millis(std::min(options_.http_timeout, std::chrono::milliseconds(10000))));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    return Failed("error", "POST " + WithoutPassword(request.spec->webhook) + ": " + curl_easy_strerror(code));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return {0, status >= 200 && status <= 299, "HTTP " + std::to_string(status), answer};
}

HookAttempt NetworkHookTargets::Command(const HookRequest& request) const {
  BlockSigpipe guard;
  const auto deadline = Steady::now() + options_.command_timeout;
  CommandResult run = RunShell(request.spec->command, request.event->dump() + "\n",
                               {"GROVE_EVENT_TYPE=" + request.event->value("type", ""),
                                "GROVE_DELIVERY_ID=" + request.delivery_id},
                               deadline);
  if (!run.started) return Failed("error", run.error);
  if (run.timed_out) {
    return Failed("timed out after " + std::to_string(options_.command_timeout.count()) + " ms (killed)",
                  Tail(run.output));
  }
  return {0, run.exit_code == 0, "exit " + std::to_string(run.exit_code), Tail(run.output)};
}

HookAttempt NetworkHookTargets::Email(const HookRequest& request) const {
  if (options_.smtp_url.empty()) {
    return Failed("error", "no SMTP server: start grove server with --smtp-url (or GROVE_SMTP_URL)");
  }
  const std::string from = options_.smtp_from.empty() ? "grove@localhost" : options_.smtp_from;
  const std::string text = MailText(from, request.spec->email, *request.event, request.delivery_id);
  CurlHandle curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Failed("error", "curl_easy_init failed");
  curl_slist* raw = nullptr;
  for (const std::string& a : request.spec->email) raw = curl_slist_append(raw, ("<" + a + ">").c_str());
  CurlList recipients(raw, curl_slist_free_all);
  MailReader reader{&text};
  CURL* c = curl.get();
  const std::string mail_from = "<" + from + ">";
  curl_easy_setopt(c, CURLOPT_URL, options_.smtp_url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadMail);
  curl_easy_setopt(c, CURLOPT_READDATA, &reader);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, Millis(options_.smtp_timeout));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  const CURLcode code = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (code != CURLE_OK) {
    return Failed(status > 0 ? "SMTP " + std::to_string(status) : "error",
                  WithoutPassword(options_.smtp_url) + ": " + curl_easy_strerror(code));
  }
  return {0, true, "SMTP " + std::to_string(status), ""};
}

HookAttempt NetworkHookTargets::Start(const HookRequest& request) const {
  if (options_.actions == nullptr) return Failed("error", "no pipeline runner here to start pipelines");
  Result<std::map<std::string, std::string>> parameters = StartParameters(*request.spec->start, *request.event);
  if (!parameters.ok()) return Failed("error", parameters.status().ToString());
  Result<std::string> execution =
      options_.actions->StartPipeline(request.spec->start->pipeline, *parameters, request.delivery_id);
  if (!execution.ok()) return Failed("error", execution.status().ToString());
  return {0, true, "execution " + *execution, ""};
}

}  // namespace grove::events
