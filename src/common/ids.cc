#include "common/ids.h"

#include <openssl/rand.h>

#include <mutex>
#include <random>

namespace grove {

std::string NewExecutionId() {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard<std::mutex> lock(mu);
  std::uniform_int_distribution<int> pick(0, 35);
  std::string id(12, 'a');
  for (char& c : id) c = kAlphabet[pick(rng)];
  return id;
}

std::string NewCallbackToken() {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned char bytes[10];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // OpenSSL's generator failed (it does not on Linux): fall back to the id generator.
    return NewExecutionId().substr(0, 10);
  }
  std::string token(10, 'a');
  for (size_t i = 0; i < token.size(); ++i) token[i] = kAlphabet[bytes[i] % 62];
  return token;
}

}  // namespace grove
