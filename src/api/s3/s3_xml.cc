#include "api/s3/s3_xml.h"

#include <charconv>

namespace grove::api::s3 {

namespace {

constexpr const char* kXmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr const char* kNamespace = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

// Appends <name>escaped text</name>.
void Element(std::string* out, std::string_view name, std::string_view text) {
  *out += "<";
  *out += name;
  *out += ">";
  *out += XmlEscape(text);
  *out += "</";
  *out += name;
  *out += ">";
}

std::string Quoted(const std::string& etag) { return "\"" + etag + "\""; }

// Replaces the five predefined entities and decimal/hex character references to ASCII.
std::string XmlUnescape(std::string_view text) {
  static const std::pair<std::string_view, char> kEntities[] = {
      {"&quot;", '"'}, {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&apos;", '\''}, {"&#34;", '"'}, {"&#x22;", '"'}};
  std::string out;
  for (size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out.push_back(c);
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(text[i++]);
  }
  return out;
}

// The text of the first <name>...</name> in `xml`, if any.
std::optional<std::string_view> ElementText(std::string_view xml, std::string_view name) {
  std::string open = "<" + std::string(name) + ">", close = "</" + std::string(name) + ">";
  size_t start = xml.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  start += open.size();
  size_t end = xml.find(close, start);
  if (end == std::string_view::npos) return std::nullopt;
  return xml.substr(start, end - start);
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string ListObjectsXml(const ListRequest& request, const store::ObjectListing& page) {
  const store::ObjectListQuery& q = request.query;
  std::string out = kXmlHeader;
  out += std::string("<ListBucketResult") + kNamespace + ">";
  Element(&out, "Name", request.bucket);
  Element(&out, "Prefix", q.prefix);
  if (request.v2) {
    if (!request.continuation_token.empty()) Element(&out, "ContinuationToken", request.continuation_token);
    if (!request.start_after.empty()) Element(&out, "StartAfter", request.start_after);
    Element(&out, "KeyCount", std::to_string(page.objects.size() + page.common_prefixes.size()));
  } else {
    Element(&out, "Marker", request.marker);
  }
  Element(&out, "MaxKeys", std::to_string(q.max_keys));
  if (!q.delimiter.empty()) Element(&out, "Delimiter", q.delimiter);
  Element(&out, "IsTruncated", page.truncated ? "true" : "false");
  for (const store::ObjectRecord& o : page.objects) {
    out += "<Contents>";
    Element(&out, "Key", o.key);
    Element(&out, "LastModified", FormatIso8601(o.last_modified));
    Element(&out, "ETag", Quoted(o.etag));
    Element(&out, "Size", std::to_string(o.size));
    Element(&out, "StorageClass", "STANDARD");
    out += "</Contents>";
  }
  for (const std::string& prefix : page.common_prefixes) {
    out += "<CommonPrefixes>";
    Element(&out, "Prefix", prefix);
    out += "</CommonPrefixes>";
  }
  if (page.truncated) Element(&out, request.v2 ? "NextContinuationToken" : "NextMarker", page.next_token);
  out += "</ListBucketResult>";
  return out;
}

std::string ListBucketsXml(const std::vector<store::BucketRecord>& buckets) {
  std::string out = kXmlHeader;
  out += std::string("<ListAllMyBucketsResult") + kNamespace + ">";
  out += "<Owner><ID>grove</ID><DisplayName>grove</DisplayName></Owner><Buckets>";
  for (const store::BucketRecord& b : buckets) {
    out += "<Bucket>";
    Element(&out, "Name", b.name);
    Element(&out, "CreationDate", FormatIso8601(b.created_at));
    out += "</Bucket>";
  }
  out += "</Buckets></ListAllMyBucketsResult>";
  return out;
}

std::string InitiateUploadXml(const std::string& bucket, const std::string& key, const std::string& upload_id) {
  std::string out = kXmlHeader;
  out += std::string("<InitiateMultipartUploadResult") + kNamespace + ">";
  Element(&out, "Bucket", bucket);
  Element(&out, "Key", key);
  Element(&out, "UploadId", upload_id);
  out += "</InitiateMultipartUploadResult>";
  return out;
}

std::string CompleteUploadXml(const std::string& location, const std::string& bucket, const std::string& key,
                              const std::string& etag) {
  std::string out = kXmlHeader;
  out += std::string("<CompleteMultipartUploadResult") + kNamespace + ">";
  Element(&out, "Location", location);
  Element(&out, "Bucket", bucket);
  Element(&out, "Key", key);
  Element(&out, "ETag", Quoted(etag));
  out += "</CompleteMultipartUploadResult>";
  return out;
}

std::string CopyObjectXml(const std::string& etag, TimeMs last_modified) {
  std::string out = kXmlHeader;
  out += std::string("<CopyObjectResult") + kNamespace + ">";
  Element(&out, "LastModified", FormatIso8601(last_modified));
  Element(&out, "ETag", Quoted(etag));
  out += "</CopyObjectResult>";
  return out;
}

std::string ErrorXml(std::string_view code, std::string_view message,
                     const std::vector<std::pair<std::string, std::string>>& fields, std::string_view request_id) {
  std::string out = kXmlHeader;
  out += "<Error>";
  Element(&out, "Code", code);
  Element(&out, "Message", message);
  for (const auto& [name, value] : fields) Element(&out, name, value);
  Element(&out, "RequestId", request_id);
  out += "</Error>";
  return out;
}

Result<std::vector<store::CompletedPart>> ParseCompleteUpload(std::string_view xml) {
  auto malformed = [](const std::string& why) {
    return Status::InvalidArgument("the CompleteMultipartUpload body is malformed: " + why);
  };
  if (xml.find("<CompleteMultipartUpload") == std::string_view::npos) {
    return malformed("no <CompleteMultipartUpload> element");
  }
  std::vector<store::CompletedPart> parts;
  for (size_t at = xml.find("<Part>"); at != std::string_view::npos; at = xml.find("<Part>", at)) {
    size_t end = xml.find("</Part>", at);
    if (end == std::string_view::npos) return malformed("an unclosed <Part>");
    std::string_view part = xml.substr(at, end - at);
    at = end;
    auto number = ElementText(part, "PartNumber");
    auto etag = ElementText(part, "ETag");
    store::CompletedPart parsed;
    if (!number || !etag) return malformed("part " + std::to_string(parts.size() + 1) + " lacks PartNumber or ETag");
    auto [ptr, ec] = std::from_chars(number->data(), number->data() + number->size(), parsed.number);
    if (ec != std::errc() || ptr != number->data() + number->size()) {
      return malformed("PartNumber '" + std::string(*number) + "' is not a number");
    }
    parsed.etag = XmlUnescape(*etag);
    parts.push_back(std::move(parsed));
  }
  return parts;
}

Result<DeleteRequest> ParseDeleteObjects(std::string_view xml) {
  auto malformed = [](const std::string& why) {
    return Status::InvalidArgument("the DeleteObjects body is malformed: " + why);
  };
  if (xml.find("<Delete") == std::string_view::npos) return malformed("no <Delete> element");
  DeleteRequest request;
  for (size_t at = xml.find("<Object>"); at != std::string_view::npos; at = xml.find("<Object>", at)) {
    const size_t end = xml.find("</Object>", at);
    if (end == std::string_view::npos) return malformed("an unclosed <Object>");
    auto key = ElementText(xml.substr(at, end - at), "Key");
    if (!key) return malformed("object " + std::to_string(request.keys.size() + 1) + " lacks its Key");
    request.keys.push_back(XmlUnescape(*key));
    at = end;
  }
  if (request.keys.empty() || request.keys.size() > 1000) {
    return malformed("it names " + std::to_string(request.keys.size()) + " objects (1 to 1000 are allowed)");
  }
  auto quiet = ElementText(xml, "Quiet");
  request.quiet = quiet && *quiet == "true";
  return request;
}

std::string DeleteResultXml(const std::vector<std::string>& deleted, const std::vector<DeleteFailure>& failed) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (const std::string& key : deleted) out += "<Deleted><Key>" + XmlEscape(key) + "</Key></Deleted>";
  for (const DeleteFailure& f : failed) {
    out += "<Error><Key>" + XmlEscape(f.key) + "</Key><Code>" + XmlEscape(f.code) + "</Code><Message>" +
           XmlEscape(f.message) + "</Message></Error>";
  }
  return out + "</DeleteResult>";
}

}  // namespace grove::api::s3
