#include "ml/search_space.h"

#include <algorithm>
#include <cmath>

#include "common/random.h"

namespace grove::ml {

namespace {

Status Bad(const std::string& field, const std::string& message) {
  return Status::InvalidArgument(field + ": " + message);
}

bool AllNumbers(const Json& list, size_t count) {
  if (!list.is_array() || list.size() != count) return false;
  for (const Json& v : list) {
    if (!v.is_number()) return false;
  }
  return true;
}

// numpy.linspace(start, stop, num), endpoint included.
std::vector<double> Linspace(double start, double stop, int num) {
  std::vector<double> out;
  for (int i = 0; i < num; ++i) out.push_back(num == 1 ? start : start + (stop - start) * i / (num - 1));
  if (num > 1) out.back() = stop;
  return out;
}

Result<ParamDomain> ParseDomain(const Json& spec, const std::string& field) {
  ParamDomain d;
  if (spec.is_array()) {
    if (spec.empty()) return Bad(field, "an empty list of values");
    d.values.assign(spec.begin(), spec.end());
    return d;
  }
  if (!spec.is_object() || spec.size() < 1) {
    return Bad(field, "expected a list of values or one of {int, float, range, logspace, linspace}");
  }
  const std::string kind = spec.begin().key();
  const Json& args = spec.begin().value();
  bool log = spec.value("log", false);
  if (spec.size() > (spec.contains("log") ? 2u : 1u)) return Bad(field, "unexpected keys besides '" + kind + "'");
  if (kind == "int" || kind == "float") {
    if (!AllNumbers(args, 2) || args[0].get<double>() > args[1].get<double>()) {
      return Bad(field + "." + kind, "expected [low, high] with low <= high");
    }
    d.kind = kind == "int" ? ParamDomain::Kind::kInt : ParamDomain::Kind::kFloat;
    d.low = args[0].get<double>();
    d.high = args[1].get<double>();
    d.log = log;
    if (log && d.low <= 0) return Bad(field + "." + kind, "a log scale needs low > 0");
    if (d.kind == ParamDomain::Kind::kInt && (d.low != std::floor(d.low) || d.high != std::floor(d.high))) {
      return Bad(field + ".int", "expected integer bounds");
    }
    return d;
  }
  if (kind == "range") {
    if (!AllNumbers(args, 3) || args[2].get<double>() == 0) return Bad(field + ".range", "expected [start, stop, step]");
    int64_t start = args[0].get<int64_t>(), stop = args[1].get<int64_t>(), step = args[2].get<int64_t>();
    for (int64_t v = start; step > 0 ? v < stop : v > stop; v += step) d.values.push_back(v);
    if (d.values.empty()) return Bad(field + ".range", "the range is empty");
    return d;
  }
  if (kind == "logspace" || kind == "linspace") {
    if (!AllNumbers(args, 3) || args[2].get<double>() < 1) {
      return Bad(field + "." + kind, "expected [start, stop, num] with num >= 1");
    }
    for (double v : Linspace(args[0].get<double>(), args[1].get<double>(), args[2].get<int>())) {
      d.values.push_back(kind == "logspace" ? std::pow(10.0, v) : v);
    }
    return d;
  }
  return Bad(field, "unknown domain '" + kind + "' (expected a list or one of int, float, range, logspace, linspace)");
}

}  // namespace

size_t ParamDomain::Cardinality() const {
  switch (kind) {
    case Kind::kCategorical: return values.size();
    case Kind::kInt: return static_cast<size_t>(high - low) + 1;
    case Kind::kFloat: return 0;
  }
  return 0;
}

Json SampleParam(const ParamDomain& d, std::mt19937_64* rng) {
  switch (d.kind) {
    case ParamDomain::Kind::kCategorical:
      return d.values[UniformBelow(d.values.size(), rng)];
    case ParamDomain::Kind::kInt: {
      if (!d.log) return static_cast<int64_t>(d.low) + static_cast<int64_t>(UniformBelow(d.Cardinality(), rng));
      double x = std::exp(std::log(d.low) + UniformUnit(rng) * (std::log(d.high + 1) - std::log(d.low)));
      return std::min(static_cast<int64_t>(d.high), static_cast<int64_t>(std::floor(x)));
    }
    case ParamDomain::Kind::kFloat:
      if (!d.log) return d.low + UniformUnit(rng) * (d.high - d.low);
      return std::exp(std::log(d.low) + UniformUnit(rng) * (std::log(d.high) - std::log(d.low)));
  }
  return Json();
}

std::mt19937_64 TrialRng(uint64_t seed, int number) {
  std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32), static_cast<uint32_t>(number)};
  return std::mt19937_64(seq);
}

Result<SearchSpace> ParseSearchSpace(const Json& space, const std::string& field) {
  if (!space.is_object() || space.empty()) {
    return Bad(field, "expected a mapping of model family -> hyperparameter domains");
  }
  SearchSpace out;
  for (const auto& [family, params] : space.items()) {
    std::string family_field = field + "." + family;
    if (!params.is_object()) return Bad(family_field, "expected a mapping of hyperparameter -> domain (or {})");
    FamilySpace fs;
    fs.family = family;
    for (const auto& [name, spec] : params.items()) {
      ASSIGN_OR_RETURN(ParamDomain d, ParseDomain(spec, family_field + "." + name));
      fs.params.emplace_back(name, std::move(d));
    }
    out.families.push_back(std::move(fs));
  }
  return out;
}

}  // namespace grove::ml
