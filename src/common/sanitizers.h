#pragma once

namespace grove {

// Whether this binary runs under AddressSanitizer or ThreadSanitizer (make test-asan, make test-tsan, make fuzz).
// Both reserve terabytes of address space for their shadow memory at start, so a process given an address-space
// limit (RLIMIT_AS) cannot even start: such limits are not applied in these builds.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)  // GCC
inline constexpr bool kShadowMemorySanitizer = true;
#elif defined(__has_feature)  // clang
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kShadowMemorySanitizer = true;
#else
inline constexpr bool kShadowMemorySanitizer = false;
#endif
#else
inline constexpr bool kShadowMemorySanitizer = false;
#endif

}  // namespace grove
