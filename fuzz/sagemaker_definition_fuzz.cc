// The SageMaker pipeline-definition JSON reader (pipeline/sagemaker_json_reader.h),
// then the validator on what it accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/sagemaker_json_reader.h"
#include "pipeline/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto& types = grove::pipeline::StepTypeRegistry::BuiltIn();
  (void)grove::pipeline::IsSageMakerDefinition(text);
  auto definition = grove::pipeline::ReadSageMakerDefinition(text, "fuzz", "fuzz.json", types);
  if (definition.ok()) (void)grove::pipeline::ValidateDefinition(*definition, types);
  return 0;
}
