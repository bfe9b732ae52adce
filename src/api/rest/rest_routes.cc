#include "api/rest/rest_routes.h"

namespace grove::api::rest {

// Queued batch inference (prediction_routes.cc).
Status AddPredictionRoutes(Router* router, const RestContext& context);

Status AddRestRoutes(Router* router, const RestContext& context) {
  router->Reserve("api");  // An unknown /api/... path is Grove's 404, not S3's NoSuchBucket.
  RETURN_IF_ERROR(AddPipelineRoutes(router, context));
  RETURN_IF_ERROR(AddExecutionRoutes(router, context));
  RETURN_IF_ERROR(AddRegistryRoutes(router, context));
  RETURN_IF_ERROR(AddEndpointRoutes(router, context));
  RETURN_IF_ERROR(AddArtifactRoutes(router, context));
  RETURN_IF_ERROR(AddKeyRoutes(router, context));
  RETURN_IF_ERROR(AddEventRoutes(router, context));
  RETURN_IF_ERROR(AddTriggerRoutes(router, context));
  RETURN_IF_ERROR(AddConfigRoutes(router, context));
  RETURN_IF_ERROR(AddHookRoutes(router, context));
  RETURN_IF_ERROR(AddPromotionRoutes(router, context));
  RETURN_IF_ERROR(AddPredictionRoutes(router, context));
  return router->Add("GET", "/api/v1/openapi.json", [](const HttpRequest&) {
    return TextResponse(200, OpenApiDocument(), "application/json");
  });
}

}  // namespace grove::api::rest
