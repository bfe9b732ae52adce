// SageMaker's Search over model packages and model package groups. Each
// resource is matched in its Describe* shape plus its Tags: a filter's Name is
// a member path ("ModelApprovalStatus", "InferenceSpecification.Containers.Image",
// "CustomerMetadataProperties.<key>", "Tags.<key>"); a list on the path
// matches when one of its elements does. Results come back in the same shape,
// {"ModelPackage": {...}} or {"ModelPackageGroup": {...}}, with Tags as
// [{Key, Value}].
#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

#include "app/model_registry.h"
#include "api/sagemaker/operations.h"
#include "api/sagemaker/wire.h"

namespace grove::api::sagemaker {

namespace {

constexpr size_t kMaxElements = 20;  // Filters, nested filters and subexpressions of one expression.
constexpr int kMaxDepth = 5;         // Levels of SubExpressions.

struct Filter {
  std::string member;  // Where it was given, for errors: "SearchExpression.Filters[0]".
  std::string name;
  std::string op;
  std::string value;
};

struct NestedFilter {
  std::string property;
  std::vector<Filter> filters;
};

struct Expression {
  bool any = false;  // Operator Or; And by default.
  std::vector<Filter> filters;
  std::vector<NestedFilter> nested;
  std::vector<Expression> subexpressions;
};

// A list member of at most kMaxElements objects ([] when absent).
Result<std::vector<Json>> ListOf(const Json& parent, const char* key, const std::string& member) {
  if (!parent.contains(key) || parent[key].is_null()) return std::vector<Json>();
  const Json& list = parent[key];
  if (!list.is_array() || list.empty() || list.size() > kMaxElements) {
    return ValidationError(member + "." + key, list, "Member must be a list of 1 to 20 structures");
  }
  for (const Json& item : list) {
    if (!item.is_object()) return ValidationError(member + "." + key, item, "Member must be a structure");
  }
  return std::vector<Json>(list.begin(), list.end());
}

Result<Filter> ParseFilter(const Json& j, const std::string& member, int& contains) {
  Members m(j);
  Filter f;
  f.member = member;
  ASSIGN_OR_RETURN(f.name, m.Required("Name"));
  if (f.name.empty() || f.name.size() > 255) {
    return ValidationError(member + ".Name", f.name, "Member must have length between 1 and 255");
  }
  ASSIGN_OR_RETURN(f.op, m.OneOf("Operator",
                                 {"Equals", "NotEquals", "GreaterThan", "GreaterThanOrEqualTo", "LessThan",
                                  "LessThanOrEqualTo", "Contains", "Exists", "NotExists", "In"},
                                 "Equals"));
  ASSIGN_OR_RETURN(f.value, m.Optional("Value"));
  if (f.value.empty() && f.op != "Exists" && f.op != "NotExists") {
    return ValidationError(member + ".Value", Json(), "Member must not be empty with Operator " + f.op);
  }
  if (f.op == "Contains" && ++contains > 1) return Status::InvalidArgument("'CONTAINS' operator usage limit of 1 exceeded.");
  return f;
}

Result<Expression> ParseExpression(const Json& j, const std::string& member, int depth, int& contains) {
  if (depth > kMaxDepth) {
    return Status::InvalidArgument(member + ": SearchExpression may nest SubExpressions at most " +
                                   std::to_string(kMaxDepth) + " levels deep");
  }
  Expression e;
  ASSIGN_OR_RETURN(std::string op, Members(j).OneOf("Operator", {"And", "Or"}, "And"));
  e.any = op == "Or";
  ASSIGN_OR_RETURN(std::vector<Json> filters, ListOf(j, "Filters", member));
  ASSIGN_OR_RETURN(std::vector<Json> nested, ListOf(j, "NestedFilters", member));
  ASSIGN_OR_RETURN(std::vector<Json> subs, ListOf(j, "SubExpressions", member));
  if (filters.size() + nested.size() + subs.size() > kMaxElements) {
    return Status::InvalidArgument(member + ": a SearchExpression can contain up to twenty elements");
  }
  if (filters.empty() && nested.empty() && subs.empty()) {
    return Status::InvalidArgument(member + ": you must specify at least one subexpression, filter, or nested filter");
  }
  for (size_t i = 0; i < filters.size(); ++i) {
    ASSIGN_OR_RETURN(Filter f, ParseFilter(filters[i], member + ".Filters[" + std::to_string(i) + "]", contains));
    e.filters.push_back(std::move(f));
  }
  for (size_t i = 0; i < nested.size(); ++i) {
    const std::string at = member + ".NestedFilters[" + std::to_string(i) + "]";
    NestedFilter n;
    ASSIGN_OR_RETURN(n.property, Members(nested[i]).Required("NestedPropertyName"));
    ASSIGN_OR_RETURN(std::vector<Json> list, ListOf(nested[i], "Filters", at));
    if (list.empty()) return ValidationError(at + ".Filters", Json(), "Member must not be null");
    for (size_t k = 0; k < list.size(); ++k) {
      ASSIGN_OR_RETURN(Filter f, ParseFilter(list[k], at + ".Filters[" + std::to_string(k) + "]", contains));
      if (f.name.rfind(n.property + ".", 0) != 0) {
        return ValidationError(at + ".Filters[" + std::to_string(k) + "].Name", f.name,
                               "Member must start with the NestedPropertyName " + n.property + ".");
      }
      f.name = f.name.substr(n.property.size() + 1);  // Matched within one element of the property.
      n.filters.push_back(std::move(f));
    }
    e.nested.push_back(std::move(n));
  }
  for (size_t i = 0; i < subs.size(); ++i) {
    ASSIGN_OR_RETURN(Expression sub,
                     ParseExpression(subs[i], member + ".SubExpressions[" + std::to_string(i) + "]", depth + 1, contains));
    e.subexpressions.push_back(std::move(sub));
  }
  return e;
}

// The values at `path` in `doc`: a key may itself hold dots (a tag or
// property key), and a list fans out to its elements.
void Collect(const Json& doc, std::string_view path, std::vector<const Json*>& out) {
  if (doc.is_array()) {
    for (const Json& element : doc) Collect(element, path, out);
    return;
  }
  if (path.empty()) {
    out.push_back(&doc);
    return;
  }
  if (!doc.is_object()) return;
  if (auto whole = doc.find(std::string(path)); whole != doc.end()) {
    Collect(*whole, {}, out);
    return;
  }
  const size_t dot = path.find('.');
  if (dot == std::string_view::npos) return;
  if (auto head = doc.find(std::string(path.substr(0, dot))); head != doc.end()) Collect(*head, path.substr(dot + 1), out);
}

// A time a filter gives: epoch seconds, or ISO-8601 ("2026-11-27", "2026-11-27T17:00:00Z", with fractions or
// an offset of +00:00). Nullopt when it is neither.
std::optional<double> SecondsOf(const std::string& text) {
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && end == text.data() + text.size()) return seconds;
  std::tm tm{};
  int consumed = 0;
  double fraction_seconds = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &consumed) != 3) return std::nullopt;
  std::string_view rest = std::string_view(text).substr(static_cast<size_t>(consumed));
  if (!rest.empty()) {
    int more = 0;
    if (std::sscanf(std::string(rest).c_str(), "T%2d:%2d:%lf%n", &tm.tm_hour, &tm.tm_min, &fraction_seconds, &more) != 3) {
      return std::nullopt;
    }
    rest.remove_prefix(static_cast<size_t>(more));
    if (rest != "Z" && rest != "+00:00" && !rest.empty()) return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm)) + fraction_seconds;
}

bool IsTimeMember(const std::string& name) {
  return name.size() >= 4 && name.compare(name.size() - 4, 4, "Time") == 0;
}

// Whether one value satisfies `f` (not Exists or NotExists). InvalidArgument when
// the operator does not apply to the value's type or the value does not parse.
Result<bool> Satisfies(const Json& leaf, const Filter& f) {
  const bool ordering = f.op.find("Than") != std::string::npos;
  if (leaf.is_number()) {
    if (f.op == "Contains" || f.op == "In") {
      return Status::InvalidArgument(f.member + ": Operator " + f.op + " is only supported for text properties, and " +
                                     f.name + " is not one");
    }
    std::optional<double> wanted;
    if (IsTimeMember(f.name)) {
      wanted = SecondsOf(f.value);
    } else {
      double number = 0;
      auto [end, ec] = std::from_chars(f.value.data(), f.value.data() + f.value.size(), number);
      if (ec == std::errc() && end == f.value.data() + f.value.size()) wanted = number;
    }
    if (!wanted) {
      return ValidationError(f.member + ".Value", f.value,
                             IsTimeMember(f.name) ? "Member must be a time (epoch seconds or ISO-8601) for " + f.name
                                                  : "Member must be a number for " + f.name);
    }
    const double have = leaf.get<double>();
    // Times are kept to the millisecond.
    const double eps = IsTimeMember(f.name) ? 0.0005 : 0.0;
    if (f.op == "Equals") return std::fabs(have - *wanted) <= eps;
    if (f.op == "NotEquals") return std::fabs(have - *wanted) > eps;
    if (f.op == "GreaterThan") return have > *wanted + eps;
    if (f.op == "GreaterThanOrEqualTo") return have >= *wanted - eps;
    if (f.op == "LessThan") return have < *wanted - eps;
    return have <= *wanted + eps;  // LessThanOrEqualTo
  }
  const std::string text = leaf.is_string() ? leaf.get<std::string>() : leaf.is_boolean() ? leaf.dump() : std::string();
  if (!leaf.is_string() && !leaf.is_boolean()) return f.op == "NotEquals";
  if (ordering) {
    return Status::InvalidArgument(f.member + ": Operator " + f.op + " is not supported for text properties such as " +
                                   f.name);
  }
  if (f.op == "Equals") return text == f.value;
  if (f.op == "NotEquals") return text != f.value;
  if (f.op == "Contains") return text.find(f.value) != std::string::npos;
  // In: one of the comma-separated values.
  std::string_view values(f.value);
  while (true) {
    const size_t comma = values.find(',');
    if (values.substr(0, comma) == text) return true;
    if (comma == std::string_view::npos) return false;
    values.remove_prefix(comma + 1);
  }
}

Result<bool> Matches(const Json& doc, const Filter& f) {
  std::vector<const Json*> values;
  Collect(doc, f.name, values);
  if (f.op == "Exists") return !values.empty();
  if (f.op == "NotExists") return values.empty();
  if (f.op == "NotEquals") {  // No value equals it.
    for (const Json* v : values) {
      ASSIGN_OR_RETURN(bool differs, Satisfies(*v, f));
      if (!differs) return false;
    }
    return true;
  }
  for (const Json* v : values) {
    ASSIGN_OR_RETURN(bool yes, Satisfies(*v, f));
    if (yes) return true;
  }
  return false;
}

// Whether one element of the nested property satisfies all its filters.
Result<bool> Matches(const Json& doc, const NestedFilter& n) {
  std::vector<const Json*> elements;
  Collect(doc, n.property, elements);
  for (const Json* element : elements) {
    bool all = true;
    for (const Filter& f : n.filters) {
      ASSIGN_OR_RETURN(bool yes, Matches(*element, f));
      if (!yes) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

Result<bool> Matches(const Json& doc, const Expression& e) {
  // And: every part holds; Or: one does.
  auto decide = [&](bool yes) { return e.any ? yes : !yes; };
  for (const Filter& f : e.filters) {
    ASSIGN_OR_RETURN(bool yes, Matches(doc, f));
    if (decide(yes)) return e.any;
  }
  for (const NestedFilter& n : e.nested) {
    ASSIGN_OR_RETURN(bool yes, Matches(doc, n));
    if (decide(yes)) return e.any;
  }
  for (const Expression& sub : e.subexpressions) {
    ASSIGN_OR_RETURN(bool yes, Matches(doc, sub));
    if (decide(yes)) return e.any;
  }
  return !e.any;
}

// One resource: its shape with Tags as a map, as filters see it.
struct Found {
  Json doc;
  const Json* sort_key = nullptr;
};

// The group a top-level ModelPackageGroupName Equals filter names, so that
// only its versions are read ("" when the expression names none).
std::string OnlyGroup(const std::optional<Expression>& e) {
  if (!e || e->any) return "";
  for (const Filter& f : e->filters) {
    if (f.name == "ModelPackageGroupName" && f.op == "Equals") return f.value;
  }
  return "";
}

// Every resource of `resource` in its Search shape (Tags as a map).
Result<std::vector<Json>> Resources(const OperationContext& ctx, const std::string& resource,
                                    const std::optional<Expression>& expression) {
  app::ModelRegistry registry(*ctx.home);
  ASSIGN_OR_RETURN(std::vector<store::ModelGroupRecord> groups, registry.Groups());
  using TagMap = std::map<std::string, Json>;
  ASSIGN_OR_RETURN(TagMap tags, TagsByArn(ctx));
  auto tags_of = [&](const std::string& arn) {
    auto it = tags.find(arn);
    return it == tags.end() ? Json::object() : it->second;
  };
  std::vector<Json> out;
  const std::string only = OnlyGroup(expression);
  for (const store::ModelGroupRecord& g : groups) {
    if (resource == "ModelPackageGroup") {
      Json doc = ModelPackageGroupJson(ctx, g);
      doc["CreatedBy"] = Json::object();
      doc["Tags"] = tags_of(doc["ModelPackageGroupArn"].get<std::string>());
      out.push_back(std::move(doc));
      continue;
    }
    if (!only.empty() && g.name != only) continue;
    ASSIGN_OR_RETURN(std::vector<store::ModelVersionRecord> versions, registry.Versions(g.name));
    for (const store::ModelVersionRecord& v : versions) {
      Json doc = ModelPackageJson(ctx, v);
      doc["Tags"] = tags_of(doc["ModelPackageArn"].get<std::string>());
      out.push_back(std::move(doc));
    }
  }
  return out;
}

// Sorts by the first value at `path` (missing values last in either order).
void SortBy(std::vector<Found>& found, const std::string& path, bool ascending) {
  for (Found& f : found) {
    std::vector<const Json*> values;
    Collect(f.doc, path, values);
    f.sort_key = values.empty() ? nullptr : values.front();
  }
  std::stable_sort(found.begin(), found.end(), [&](const Found& a, const Found& b) {
    if (a.sort_key == nullptr || b.sort_key == nullptr) return a.sort_key != nullptr && b.sort_key == nullptr;
    return ascending ? *a.sort_key < *b.sort_key : *b.sort_key < *a.sort_key;
  });
}

Result<Json> Search(const OperationContext& ctx, const Json& request) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string resource, m.Required("Resource"));
  if (resource != "ModelPackage" && resource != "ModelPackageGroup") {
    return ValidationError("resource", resource,
                           "Grove searches resources of type ModelPackage and ModelPackageGroup only");
  }
  std::optional<Expression> expression;
  if (m.Has("SearchExpression")) {
    if (!request["SearchExpression"].is_object()) {
      return ValidationError("searchExpression", request["SearchExpression"], "Member must be a structure");
    }
    int contains = 0;
    ASSIGN_OR_RETURN(expression, ParseExpression(request["SearchExpression"], "SearchExpression", 1, contains));
  }
  ASSIGN_OR_RETURN(std::string sort_by, m.Optional("SortBy"));
  if (sort_by.empty()) sort_by = resource == "ModelPackage" ? "LastModifiedTime" : "CreationTime";
  ASSIGN_OR_RETURN(std::string order, m.OneOf("SortOrder", {"Ascending", "Descending"}, "Descending"));
  RETURN_IF_ERROR(MaxResultsOf(request, 10).status());

  ASSIGN_OR_RETURN(std::vector<Json> all, Resources(ctx, resource, expression));
  std::vector<Found> found;
  for (Json& doc : all) {
    Result<bool> keep = expression ? Matches(doc, *expression) : Result<bool>(true);
    RETURN_IF_ERROR(keep.status());
    if (*keep) found.push_back({std::move(doc)});
  }
  SortBy(found, sort_by, order == "Ascending");
  ASSIGN_OR_RETURN(Page page, PageOf(request, found.size(), 10));
  Json results = Json::array();
  for (size_t i = page.offset; i < page.offset + page.size; ++i) {
    Json doc = std::move(found[i].doc);
    Json tags = Json::array();
    for (const auto& [key, value] : doc["Tags"].items()) tags.push_back({{"Key", key}, {"Value", value}});
    doc["Tags"] = std::move(tags);
    results.push_back({{resource, std::move(doc)}});
  }
  Json out = {{"Results", std::move(results)},
              {"TotalHits", {{"Value", found.size()}, {"Relation", "EqualTo"}}}};
  if (!page.next_token.empty()) out["NextToken"] = page.next_token;
  return out;
}

}  // namespace

void AddSearchOperations(const OperationContext& ctx, OperationTable& table) {
  AddOperation(table, ctx, "Search", Search);
}

}  // namespace grove::api::sagemaker
