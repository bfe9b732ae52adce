#pragma once

#include <string>
#include <vector>

namespace grove::data {

// Statistics that transforms are fitted with. All skip NaN (missing) values and
// return NaN when no value is left. For finite values they are finite however
// large the values (up to DBL_MAX): where a plain sum would overflow, they sum
// values divided by the largest magnitude instead; otherwise they sum plainly,
// so ordinary data gives the same bits as numpy.

// The median; for an even count the mean of the two middle values (numpy).
double Median(const std::vector<double>& values);

// The arithmetic mean.
double Mean(const std::vector<double>& values);

// The population standard deviation (ddof 0) around `mean`.
double PopulationStd(const std::vector<double>& values, double mean);

// The distinct non-empty values, sorted numerically when every one is a number
// ("9" < "10"), otherwise by bytes ("F" < "I" < "M").
std::vector<std::string> SortedCategories(const std::vector<std::string>& values);

}  // namespace grove::data
