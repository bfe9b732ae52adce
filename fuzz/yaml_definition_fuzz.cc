// The YAML pipeline definition reader (pipeline/yaml_reader.h), then the
// validator on what it accepts: any text is either a Definition or an error
// Status, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/validator.h"
#include "pipeline/yaml_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto& types = grove::pipeline::StepTypeRegistry::BuiltIn();
  auto definition = grove::pipeline::ReadDefinition(text, "fuzz.yaml", types);
  if (definition.ok()) (void)grove::pipeline::ValidateDefinition(*definition, types);
  return 0;
}
