#include "common/ids.h"

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

}  // namespace grove
