#include "pipeline/parameters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/yaml_reader.h"

namespace grove::pipeline {
namespace {

using ::testing::HasSubstr;

class ParametersTest : public ::testing::Test {
 protected:
  ParametersTest() {
    Result<Definition> def = ReadDefinition(R"(pipeline: p
parameters:
  Input: {type: String, default: data.csv}
  MseThreshold: {type: Float, default: 6.0}
  Rounds: {type: Integer, default: 50}
  Debug: {type: Boolean, default: false}
  Status: {type: String, default: Pending, enum: [Pending, Approved]}
  Region: {type: String}
steps: [{name: A, type: T}]
)",
                                            "p.yaml");
    EXPECT_TRUE(def.ok()) << def.status().ToString();
    def_ = *def;
  }
  std::string Error(const std::map<std::string, std::string>& given) {
    Result<Json> r = CoerceParameters(def_, given);
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.status().message();
  }
  Definition def_;
};

TEST_F(ParametersTest, FillsDefaultsInDefinitionOrder) {
  Result<Json> values = CoerceParameters(def_, std::map<std::string, std::string>{{"Region", "eu"}});
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(
      values->dump(),
      R"({"Input":"data.csv","MseThreshold":6.0,"Rounds":50,"Debug":false,"Status":"Pending","Region":"eu"})");
}

TEST_F(ParametersTest, CoercesCommandLineText) {
  Result<Json> values = CoerceParameters(def_, std::map<std::string, std::string>{{"MseThreshold", "7"},
                                                                                  {"Rounds", "-3"},
                                                                                  {"Debug", "True"},
                                                                                  {"Region", "42"},
                                                                                  {"Status", "Approved"}});
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_TRUE((*values)["MseThreshold"].is_number_float());
  EXPECT_EQ((*values)["MseThreshold"].get<double>(), 7.0);
  EXPECT_EQ((*values)["Rounds"], Json(-3));
  EXPECT_EQ((*values)["Debug"], Json(true));
  EXPECT_EQ((*values)["Region"], Json("42"));
  EXPECT_EQ((*values)["Status"], Json("Approved"));
  for (const char* text : {"true", "1"}) {
    EXPECT_EQ(*ParseParameterText(ParamType::kBoolean, text), Json(true));
  }
  for (const char* text : {"false", "False", "0"}) {
    EXPECT_EQ(*ParseParameterText(ParamType::kBoolean, text), Json(false));
  }
  EXPECT_EQ(*ParseParameterText(ParamType::kFloat, "1e-3"), Json(0.001));
  EXPECT_EQ(*ParseParameterText(ParamType::kInteger, "+12"), Json(12));
}

TEST_F(ParametersTest, RejectsBadText) {
  EXPECT_EQ(Error({{"Region", "x"}, {"MseThreshold", "abc"}}),
            "parameter MseThreshold: 'abc' is not a Float");
  EXPECT_EQ(Error({{"Region", "x"}, {"MseThreshold", "6.0x"}}),
            "parameter MseThreshold: '6.0x' is not a Float");
  EXPECT_EQ(Error({{"Region", "x"}, {"MseThreshold", "inf"}}),
            "parameter MseThreshold: 'inf' is not a Float");
  EXPECT_EQ(Error({{"Region", "x"}, {"Rounds", "5.5"}}), "parameter Rounds: '5.5' is not an Integer");
  EXPECT_EQ(Error({{"Region", "x"}, {"Rounds", ""}}), "parameter Rounds: '' is not an Integer");
  EXPECT_EQ(Error({{"Region", "x"}, {"Rounds", "99999999999999999999"}}),
            "parameter Rounds: '99999999999999999999' is not an Integer");
  EXPECT_EQ(Error({{"Region", "x"}, {"Debug", "yes"}}),
            "parameter Debug: 'yes' is not a Boolean (expected true, false, True, False, 1 or 0)");
}

TEST_F(ParametersTest, ChecksEnumRequiredAndUnknown) {
  EXPECT_EQ(Error({{"Region", "x"}, {"Status", "Aproved"}}),
            "parameter Status: 'Aproved' is not one of Pending, Approved");
  EXPECT_EQ(Error({}), "parameter Region (String) has no default and must be given");
  EXPECT_EQ(Error({{"Region", "x"}, {"Treshold", "1"}}),
            "unknown parameter 'Treshold' (parameters: Input, MseThreshold, Rounds, Debug, Status, Region)");
  Definition none;
  Result<Json> r = CoerceParameters(none, std::map<std::string, std::string>{{"X", "1"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "unknown parameter 'X' (this pipeline has no parameters)");
  EXPECT_EQ(*CoerceParameters(none, std::map<std::string, std::string>{}), Json::object());
}

TEST_F(ParametersTest, CoercesTypedJson) {
  Result<Json> values = CoerceParameters(
      def_, Json::parse(R"({"Region": "eu", "MseThreshold": 7, "Rounds": "8", "Debug": true})"));
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_TRUE((*values)["MseThreshold"].is_number_float());
  EXPECT_EQ((*values)["Rounds"], Json(8));  // Strings are parsed, as SageMaker clients send them.
  EXPECT_EQ((*values)["Debug"], Json(true));

  auto error = [&](const char* json) {
    Result<Json> r = CoerceParameters(def_, Json::parse(json));
    EXPECT_FALSE(r.ok()) << json;
    return r.ok() ? "" : r.status().message();
  };
  EXPECT_EQ(error(R"({"Region": 5})"), "parameter Region: 5 is not a String");
  EXPECT_EQ(error(R"({"Region": "x", "Rounds": 2.5})"), "parameter Rounds: 2.5 is not an Integer");
  EXPECT_EQ(error(R"({"Region": "x", "Debug": 1})"), "parameter Debug: 1 is not a Boolean");
  EXPECT_EQ(error(R"({"Region": "x", "Debug": "maybe"})"),
            "parameter Debug: 'maybe' is not a Boolean (expected true, false, True, False, 1 or 0)");
  EXPECT_EQ(error(R"({"Region": "x", "Status": "No"})"),
            "parameter Status: 'No' is not one of Pending, Approved");
  EXPECT_THAT(error(R"({"Nope": 1})"), HasSubstr("unknown parameter 'Nope'"));
  EXPECT_THAT(error(R"([1])"), HasSubstr("parameters must be an object"));
  EXPECT_THAT(error(R"({})"), HasSubstr("parameter Region (String) has no default"));
}

TEST_F(ParametersTest, IsOfType) {
  EXPECT_TRUE(IsOfType(ParamType::kFloat, Json(1)));
  EXPECT_TRUE(IsOfType(ParamType::kFloat, Json(1.5)));
  EXPECT_FALSE(IsOfType(ParamType::kFloat, Json("1.5")));
  EXPECT_FALSE(IsOfType(ParamType::kInteger, Json(1.5)));
  EXPECT_TRUE(IsOfType(ParamType::kInteger, Json(-1)));
  EXPECT_FALSE(IsOfType(ParamType::kBoolean, Json(0)));
  EXPECT_FALSE(IsOfType(ParamType::kString, Json(nullptr)));
}

}  // namespace
}  // namespace grove::pipeline
