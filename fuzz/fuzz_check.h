#pragma once

// FUZZ_CHECK(condition): an invariant of a fuzz target. When it does not hold,
// prints where and aborts, which libFuzzer reports as a crash with its input.
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                          \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (false)
