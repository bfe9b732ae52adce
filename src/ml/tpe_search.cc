#include "ml/tpe_search.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "common/random.h"
#include "ml/parzen_estimator.h"

namespace grove::ml {

namespace {

struct Scored {
  int number;
  double score;
  const TrialSpec* spec;
};

class TpeSearch : public SearchStrategy {
 public:
  TpeSearch(SearchSpace space, uint64_t seed, int max_trials, BayesianOptions options)
      : space_(std::move(space)), seed_(seed), max_trials_(max_trials), options_(options) {
    family_domain_.kind = ParamDomain::Kind::kCategorical;
    for (const FamilySpace& f : space_.families) family_domain_.values.push_back(f.family);
  }

  std::optional<TrialSpec> Next() override {
    if (next_ >= max_trials_ || space_.families.empty() || !Ready()) return std::nullopt;
    std::mt19937_64 rng = TrialRng(seed_, next_);
    std::vector<Scored> history = History(next_);
    TrialSpec trial = next_ < options_.warmup_trials || history.empty() ? RandomTrial(&rng) : Propose(history, &rng);
    trial.number = next_++;
    proposed_[trial.number] = trial;
    return trial;
  }

  void Report(int number, double score) override { scores_[number] = score; }

  bool Ready() const override {
    if (next_ < options_.warmup_trials) return true;
    for (int k = 0; k < next_ - options_.history_lag; ++k) {
      if (!scores_.contains(k)) return false;
    }
    return true;
  }

 private:
  // What random search would propose as this trial.
  TrialSpec RandomTrial(std::mt19937_64* rng) const {
    TrialSpec trial;
    const FamilySpace& family = space_.families[UniformBelow(space_.families.size(), rng)];
    trial.family = family.family;
    for (const auto& [name, domain] : family.params) trial.hyperparameters[name] = SampleParam(domain, rng);
    return trial;
  }

  // The scored trials trial `k` may see, best first (NaN last, ties by number).
  std::vector<Scored> History(int k) const {
    std::vector<Scored> out;
    for (const auto& [number, score] : scores_) {
      auto spec = proposed_.find(number);
      if (number < k - options_.history_lag && spec != proposed_.end()) out.push_back({number, score, &spec->second});
    }
    std::sort(out.begin(), out.end(), [](const Scored& a, const Scored& b) {
      double sa = std::isnan(a.score) ? -INFINITY : a.score, sb = std::isnan(b.score) ? -INFINITY : b.score;
      return sa != sb ? sa > sb : a.number < b.number;
    });
    return out;
  }

  TrialSpec Propose(const std::vector<Scored>& history, std::mt19937_64* rng) const {
    size_t good_count = std::max<size_t>(1, static_cast<size_t>(std::ceil(options_.gamma * history.size())));
    auto values = [&](size_t from, size_t to, const FamilySpace* family, const std::string& param) {
      std::vector<Json> out;
      for (size_t i = from; i < to; ++i) {
        const TrialSpec& t = *history[i].spec;
        if (family == nullptr) {
          out.push_back(t.family);
        } else if (t.family == family->family && t.hyperparameters.contains(param)) {
          out.push_back(t.hyperparameters[param]);
        }
      }
      return out;
    };
    std::vector<Json> good_families = values(0, good_count, nullptr, "");
    std::vector<Json> bad_families = values(good_count, history.size(), nullptr, "");
    ParzenEstimator family_good(family_domain_, good_families), family_bad(family_domain_, bad_families);
    // Per family, the good and bad densities of each hyperparameter, built on first use.
    std::map<std::string, std::vector<std::pair<ParzenEstimator, ParzenEstimator>>> densities;
    auto family_densities = [&](const FamilySpace& family) -> auto& {
      auto it = densities.find(family.family);
      if (it != densities.end()) return it->second;
      auto& list = densities[family.family];
      for (const auto& [name, domain] : family.params) {
        std::vector<Json> good = values(0, good_count, &family, name);
        std::vector<Json> bad = values(good_count, history.size(), &family, name);
        list.emplace_back(ParzenEstimator(domain, good), ParzenEstimator(domain, bad));
      }
      return list;
    };
    TrialSpec best;
    double best_ratio = -INFINITY;
    for (int c = 0; c < std::max(1, options_.candidates); ++c) {
      TrialSpec candidate;
      Json family_name = family_good.Sample(rng);
      candidate.family = family_name.get<std::string>();
      double ratio = family_good.LogDensity(family_name) - family_bad.LogDensity(family_name);
      const FamilySpace& family = FindFamily(candidate.family);
      auto& params = family_densities(family);
      for (size_t p = 0; p < family.params.size(); ++p) {
        Json value = params[p].first.Sample(rng);
        ratio += params[p].first.LogDensity(value) - params[p].second.LogDensity(value);
        candidate.hyperparameters[family.params[p].first] = std::move(value);
      }
      if (ratio > best_ratio) {
        best_ratio = ratio;
        best = std::move(candidate);
      }
    }
    return best;
  }

  const FamilySpace& FindFamily(const std::string& name) const {
    for (const FamilySpace& f : space_.families) {
      if (f.family == name) return f;
    }
    return space_.families.front();
  }

  SearchSpace space_;
  ParamDomain family_domain_;
  uint64_t seed_;
  int max_trials_;
  BayesianOptions options_;
  int next_ = 0;
  std::map<int, TrialSpec> proposed_;
  std::map<int, double> scores_;
};

}  // namespace

std::unique_ptr<SearchStrategy> MakeBayesianSearch(SearchSpace space, uint64_t seed, int max_trials,
                                                   BayesianOptions options) {
  return std::make_unique<TpeSearch>(std::move(space), seed, max_trials, options);
}

}  // namespace grove::ml
