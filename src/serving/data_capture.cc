#include "serving/data_capture.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "common/file_util.h"
#include "common/json.h"

namespace grove::serving {

namespace {

std::string Base64(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Json Channel(const std::string& content_type, const std::string& body, const char* mode) {
  std::string encoding = content_type.rfind("text/csv", 0) == 0           ? "CSV"
                         : content_type.find("json") != std::string::npos ? "JSON"
                                                                          : "BASE64";
  return {{"observedContentType", content_type},
          {"mode", mode},
          {"data", encoding == "BASE64" ? Base64(body) : body},
          {"encoding", encoding}};
}

// "<YYYY>/<MM>/<DD>/<HH>.jsonl" for `t` in UTC.
std::string HourFile(TimeMs t) {
  std::time_t seconds = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y/%m/%d/%H.jsonl", &tm);
  return buf;
}

}  // namespace

DataCapture::DataCapture(std::filesystem::path root, const Clock* clock, uint64_t seed)
    : root_(std::move(root)), clock_(clock), random_(seed) {}

bool DataCapture::Sample(double percent) {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  std::lock_guard<std::mutex> lock(mutex_);
  return random_.Uniform01() * 100 < percent;
}

Status DataCapture::Append(const CapturedInvocation& invocation) {
  TimeMs now = clock_->Now();
  uint64_t sequence;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    sequence = ++sequence_;
  }
  Json line = {{"captureData",
                {{"endpointInput", Channel(invocation.request_content_type, invocation.request_body, "INPUT")},
                 {"endpointOutput", Channel(invocation.response_content_type, invocation.response_body, "OUTPUT")}}},
               {"eventMetadata",
                {{"eventId", std::to_string(now) + "-" + std::to_string(getpid()) + "-" + std::to_string(sequence)},
                 {"inferenceTime", FormatIso8601(now)},
                 {"targetModel", invocation.model}}},
               {"eventVersion", "0"}};
  std::string text = line.dump() + "\n";
  std::filesystem::path file = root_ / invocation.endpoint / HourFile(now);
  RETURN_IF_ERROR(MakeDirs(file.parent_path()));
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open capture file " + file.string() + ": " + std::strerror(errno));
  ssize_t written = ::write(fd, text.data(), text.size());
  int saved = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size())) {
    return Status::IOError("cannot append to capture file " + file.string() + ": " +
                           (written < 0 ? std::strerror(saved) : "short write"));
  }
  return Status::OK();
}

}  // namespace grove::serving
