#pragma once

namespace grove {

// Which sanitizer this binary runs under (make test-asan, make test-tsan, make fuzz), for the few places that
// must behave differently there.
#if defined(__SANITIZE_ADDRESS__)  // GCC
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)  // clang
inline constexpr bool kAddressSanitizer = __has_feature(address_sanitizer);
#else
inline constexpr bool kAddressSanitizer = false;
#endif

#if defined(__SANITIZE_THREAD__)  // GCC
inline constexpr bool kThreadSanitizer = true;
#elif defined(__has_feature)  // clang
inline constexpr bool kThreadSanitizer = __has_feature(thread_sanitizer);
#else
inline constexpr bool kThreadSanitizer = false;
#endif

// Both reserve terabytes of address space for their shadow memory at start, so a process given an address-space
// limit (RLIMIT_AS) cannot even start: such limits are not applied in these builds.
inline constexpr bool kShadowMemorySanitizer = kAddressSanitizer || kThreadSanitizer;

// How many times slower code runs under them, roughly (TSan 5-15x, ASan about 2x): tests that wait for an answer
// that must come multiply their deadlines by it. Deadlines for what must *not* happen stay as they are.
inline constexpr int kSanitizerSlowdown = kThreadSanitizer ? 10 : kAddressSanitizer ? 3 : 1;

}  // namespace grove
