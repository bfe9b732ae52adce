#pragma once

// YAML nodes as JSON, for the readers of YAML files (definitions, grove.yaml).

#include <map>
#include <string>

#include "common/json.h"

namespace YAML {
class Node;
class Mark;
}  // namespace YAML

namespace grove::pipeline {

// A scalar as YAML 1.2's core schema reads it: true/false, integers and
// finite numbers become JSON's; everything else, and any quoted scalar, text.
Json YamlScalarToJson(const YAML::Node& node);

// (line, column), from 1, of each value in a document converted by YamlToJson, by its path:
// keys and list indexes joined with '/', "" for the root.
using YamlPositions = std::map<std::string, std::pair<int, int>>;

// The node as JSON (maps, lists, scalars by YamlScalarToJson; null for an
// empty value). With `positions`, records where every value is: a map's
// member at its key, a list's item at itself. Keys are text. Throws
// YAML::ParserException for a node nested more than 256 levels deep (an alias
// of its own ancestor nests forever).
Json YamlToJson(const YAML::Node& node, YamlPositions* positions = nullptr);

}  // namespace grove::pipeline
