#include "ml/booster_pickle.h"

#include <cstdint>
#include <cstring>

namespace grove::ml {

namespace {

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t LittleEndian(std::string_view bytes, size_t at, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return v;
}

}  // namespace

std::string PickleBooster(std::string_view model) {
  std::string out = "\x80\x03";                   // PROTO 3
  out += "cxgboost.core\nBooster\n";              // GLOBAL
  out += ")\x81";                                 // EMPTY_TUPLE, NEWOBJ: Booster.__new__(Booster)
  out += "}";                                     // EMPTY_DICT: the state
  out += "X";                                     // BINUNICODE "handle"
  PutU32(out, 6);
  out += "handle";
  out += "cbuiltins\nbytearray\n";                // GLOBAL
  out += "B";                                     // BINBYTES <model>
  PutU32(out, static_cast<uint32_t>(model.size()));
  out += model;
  out += "\x85R";                                 // TUPLE1, REDUCE: bytearray(<model>)
  out += "s";                                     // SETITEM
  out += "b";                                     // BUILD: Booster.__setstate__(state)
  out += ".";                                     // STOP
  return out;
}

bool LooksLikePickle(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x80 && bytes[1] >= 2 && bytes[1] <= 5;
}

Result<std::string> UnpickleBoosterBytes(std::string_view p) {
  std::string_view best;
  size_t at = 0;
  auto need = [&](size_t n) -> Status {
    if (at + n > p.size()) return Status::InvalidArgument("pickle truncated at byte " + std::to_string(at));
    return Status::OK();
  };
  while (at < p.size()) {
    const unsigned char op = static_cast<unsigned char>(p[at++]);
    size_t skip = 0;        // Fixed-size argument.
    size_t length_of = 0;   // Width of a length prefix, for counted arguments.
    bool bytes_value = false;
    switch (op) {
      case '.':  // STOP
        if (best.data() == nullptr) return Status::InvalidArgument("the pickle holds no model bytes");
        return std::string(best);
      case 0x80: skip = 1; break;                        // PROTO
      case 0x95: skip = 8; break;                        // FRAME
      case 'c': {                                        // GLOBAL module\nname\n
        for (int lines = 0; lines < 2; ++lines) {
          const size_t end = p.find('\n', at);
          if (end == std::string_view::npos) return Status::InvalidArgument("pickle truncated in GLOBAL");
          at = end + 1;
        }
        continue;
      }
      case 'q': case 'h': case 'K': case 'U': skip = 1; break;  // BINPUT, BINGET, BININT1, SHORT_BINSTRING below
      case 'r': case 'j': case 'J': skip = 4; break;            // LONG_BINPUT, LONG_BINGET, BININT
      case 'M': skip = 2; break;                                // BININT2
      case 'G': skip = 8; break;                                // BINFLOAT
      case 0x8a: length_of = 1; break;                          // LONG1
      case 0x8c: length_of = 1; break;                          // SHORT_BINUNICODE
      case 'X': case 'T': length_of = 4; break;                 // BINUNICODE, BINSTRING
      case 0x8d: length_of = 8; break;                          // BINUNICODE8
      case 'C': length_of = 1; bytes_value = true; break;       // SHORT_BINBYTES
      case 'B': length_of = 4; bytes_value = true; break;       // BINBYTES
      case 0x8e: case 0x96: length_of = 8; bytes_value = true; break;  // BINBYTES8, BYTEARRAY8
      case 0x94: case ')': case '}': case ']': case '(': case 0x81: case 0x85: case 0x86: case 0x87:
      case 't': case 'R': case 's': case 'u': case 'b': case 'a': case 'e': case 'N': case 0x88: case 0x89:
      case 0x93: case 0x92: case '0': case '1': case 0x8f: case 0x90: case 0x91:
        continue;  // MEMOIZE, empty containers, MARK, NEWOBJ(_EX), tuples, REDUCE, SETITEM(S), BUILD, ...
      default:
        return Status::InvalidArgument("unsupported pickle opcode 0x" + std::string(1, "0123456789abcdef"[op >> 4]) +
                                       std::string(1, "0123456789abcdef"[op & 15]) + " at byte " +
                                       std::to_string(at - 1));
    }
    if (op == 'U') {  // SHORT_BINSTRING: a one-byte length.
      RETURN_IF_ERROR(need(1));
      skip = 1 + static_cast<unsigned char>(p[at]);
    }
    if (length_of > 0) {
      RETURN_IF_ERROR(need(length_of));
      const uint64_t n = LittleEndian(p, at, length_of);
      at += length_of;
      if (n > p.size() - at) return Status::InvalidArgument("pickle truncated at byte " + std::to_string(at));
      if (bytes_value && n > best.size()) best = p.substr(at, n);
      at += n;
      continue;
    }
    RETURN_IF_ERROR(need(skip));
    at += skip;
  }
  return Status::InvalidArgument("pickle has no STOP opcode");
}

}  // namespace grove::ml
