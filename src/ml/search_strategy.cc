#include "ml/search_strategy.h"

#include "common/random.h"

namespace grove::ml {

namespace {

class RandomSearch : public SearchStrategy {
 public:
  RandomSearch(SearchSpace space, uint64_t seed, int max_trials)
      : space_(std::move(space)), seed_(seed), max_trials_(max_trials) {}

  std::optional<TrialSpec> Next() override {
    if (next_ >= max_trials_ || space_.families.empty()) return std::nullopt;
    std::mt19937_64 rng = TrialRng(seed_, next_);
    TrialSpec trial;
    trial.number = next_++;
    const FamilySpace& family = space_.families[UniformBelow(space_.families.size(), &rng)];
    trial.family = family.family;
    for (const auto& [name, domain] : family.params) trial.hyperparameters[name] = SampleParam(domain, &rng);
    return trial;
  }

 private:
  SearchSpace space_;
  uint64_t seed_;
  int max_trials_;
  int next_ = 0;
};

class GridSearch : public SearchStrategy {
 public:
  GridSearch(SearchSpace space, int max_trials) : space_(std::move(space)), max_trials_(max_trials) {}

  std::optional<TrialSpec> Next() override {
    while (next_ < max_trials_ && family_ < space_.families.size()) {
      const FamilySpace& family = space_.families[family_];
      size_t combinations = 1;
      for (const auto& [name, d] : family.params) combinations *= d.Cardinality();
      if (index_ >= combinations) {
        ++family_;
        index_ = 0;
        continue;
      }
      TrialSpec trial;
      trial.number = next_++;
      trial.family = family.family;
      size_t rest = index_++;
      for (size_t p = family.params.size(); p-- > 0;) {
        const ParamDomain& d = family.params[p].second;
        size_t pick = rest % d.Cardinality();
        rest /= d.Cardinality();
        trial.hyperparameters[family.params[p].first] =
            d.kind == ParamDomain::Kind::kInt ? Json(static_cast<int64_t>(d.low) + static_cast<int64_t>(pick))
                                              : d.values[pick];
      }
      Json ordered = Json::object();  // Keep the order written.
      for (const auto& [name, d] : family.params) ordered[name] = trial.hyperparameters[name];
      trial.hyperparameters = std::move(ordered);
      return trial;
    }
    return std::nullopt;
  }

 private:
  SearchSpace space_;
  int max_trials_;
  int next_ = 0;
  size_t family_ = 0;
  size_t index_ = 0;
};

}  // namespace

std::unique_ptr<SearchStrategy> MakeRandomSearch(SearchSpace space, uint64_t seed, int max_trials) {
  return std::make_unique<RandomSearch>(std::move(space), seed, max_trials);
}

Result<std::unique_ptr<SearchStrategy>> MakeGridSearch(SearchSpace space, int max_trials) {
  for (const FamilySpace& f : space.families) {
    for (const auto& [name, d] : f.params) {
      if (d.Cardinality() == 0) {
        return Status::InvalidArgument("search_space." + f.family + "." + name +
                                       ": a grid search needs discrete values, not a float range");
      }
    }
  }
  return std::unique_ptr<SearchStrategy>(std::make_unique<GridSearch>(std::move(space), max_trials));
}

}  // namespace grove::ml
