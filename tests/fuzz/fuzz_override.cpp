// libFuzzer target: the input is a list of `--set` overrides, one `key.path=value` per line (at most
// kMaxOverrides; '\r' ends a line too), applied in order to a fixed shipped scenario
// (scenarios/examples/idecel-single-patient.yaml) and then loaded and validated as
// `cartsim check FILE --set ... --set ...` does. An override can add study blocks (`sweep={...}`),
// so the study loader is reached too.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/fuzz/check_input.hpp"

#ifndef CARTSIM_SOURCE_DIR
#define CARTSIM_SOURCE_DIR "."
#endif

namespace {
constexpr std::size_t kMaxOverrides = 16;
const std::string kScenario = CARTSIM_SOURCE_DIR "/scenarios/examples/idecel-single-patient.yaml";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    cartsim::scenario::LoadOptions options;
    std::size_t start = 0;
    while (start <= text.size() && options.overrides.size() < kMaxOverrides) {
        const std::size_t end = std::min(text.find_first_of("\r\n", start), text.size());
        if (end > start) options.overrides.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    cartsim::fuzz::check_input(kScenario, options);
    return 0;
}
