// AddTags, ListTags and DeleteTags on any SageMaker ARN Grove reports, kept
// as one document per ARN in the resource table.
#include "api/sagemaker/operations.h"
#include "api/sagemaker/resource_documents.h"
#include "api/sagemaker/wire.h"

namespace grove::api::sagemaker {

namespace {

constexpr const char* kTagsKind = "sagemaker-tags";

Result<std::string> TaggedArn(const Json& request) {
  ASSIGN_OR_RETURN(std::string arn, Members(request).Required("ResourceArn"));
  if (!ParseArn(arn)) return ValidationError("resourceArn", arn, "Member must be a SageMaker ARN");
  return arn;
}

Result<Json> AddTags(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string arn, TaggedArn(request));
  const Json tags = request.value("Tags", Json::array());
  RETURN_IF_ERROR(AddTagsTo(ctx, arn, tags));
  return Json{{"Tags", tags}};
}

Result<Json> ListTags(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string arn, TaggedArn(request));
  ASSIGN_OR_RETURN(Json tags, TagsOf(ctx, arn));
  std::vector<std::pair<std::string, std::string>> all;
  for (const auto& [key, value] : tags.items()) all.emplace_back(key, value.get<std::string>());
  return PagedList(request, all, 50, "Tags", [](const std::pair<std::string, std::string>& t) {
    return Json{{"Key", t.first}, {"Value", t.second}};
  });
}

Result<Json> DeleteTags(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string arn, TaggedArn(request));
  ASSIGN_OR_RETURN(Json tags, TagsOf(ctx, arn));
  for (const Json& key : request.value("TagKeys", Json::array())) {
    if (key.is_string()) tags.erase(key.get<std::string>());
  }
  RETURN_IF_ERROR(ResourceDocuments(ctx.home->metadata(), ctx.home->clock()).Put(kTagsKind, arn, {{"tags", tags}}));
  return Json::object();
}

}  // namespace

Result<Json> TagsOf(const OperationContext& ctx, const std::string& arn) {
  ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> found,
                   ResourceDocuments(ctx.home->metadata(), ctx.home->clock()).Find(kTagsKind, arn));
  return found ? found->body.value("tags", Json::object()) : Json::object();
}

Result<std::map<std::string, Json>> TagsByArn(const OperationContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> all,
                   ResourceDocuments(ctx.home->metadata(), ctx.home->clock()).List(kTagsKind));
  std::map<std::string, Json> out;
  for (store::ResourceRecord& r : all) out[r.name] = r.body.value("tags", Json::object());
  return out;
}

Status DeleteTagsOf(const OperationContext& ctx, const std::string& arn) {
  return ResourceDocuments(ctx.home->metadata(), ctx.home->clock()).Delete(kTagsKind, arn).status();
}

Status AddTagsTo(const OperationContext& ctx, const std::string& arn, const Json& tags) {
  if (!tags.is_array()) return ValidationError("tags", tags, "Member must be a list of {Key, Value}");
  ASSIGN_OR_RETURN(Json current, TagsOf(ctx, arn));
  for (const Json& tag : tags) {
    if (!tag.is_object() || !tag.contains("Key") || !tag["Key"].is_string() ||
        (tag.contains("Value") && !tag["Value"].is_string())) {
      return ValidationError("tags", tag, "Member must be {Key: string, Value: string}");
    }
    current[tag["Key"].get<std::string>()] = tag.value("Value", std::string());
  }
  return ResourceDocuments(ctx.home->metadata(), ctx.home->clock()).Put(kTagsKind, arn, {{"tags", current}});
}

void AddTagOperations(const OperationContext& ctx, OperationTable& table) {
  AddOperation(table, ctx, "AddTags", AddTags);
  AddOperation(table, ctx, "ListTags", ListTags);
  AddOperation(table, ctx, "DeleteTags", DeleteTags);
}

}  // namespace grove::api::sagemaker
