// The samplers' known-answer draws outside the unit tests, so that they can be compiled with another
// compiler and standard library (tests/samplers/libcxx.sh: clang and libc++). Exit 0 when every draw
// equals its expected value exactly; --print prints the draws as C++ initialisers instead.

#include <cstdio>
#include <cstring>

#include "tests/solvers/agents/sampler_kat.hpp"

int main(int argc, char** argv) {
    using namespace cartsim::agents::kat;
    const auto cases = draw_cases();
    if (argc > 1 && std::strcmp(argv[1], "--print") == 0) {
        for (const auto& c : cases) {
            std::printf("        {");
            for (std::size_t i = 0; i < c.draws.size(); ++i) std::printf("%s%.17g", i ? ", " : "", c.draws[i]);
            std::printf("},  // %s\n", c.name.c_str());
        }
        return 0;
    }
    const auto want = expected();
    int wrong = 0;
    if (want.size() != cases.size()) {
        std::printf("FAIL: %zu expected cases for %zu cases\n", want.size(), cases.size());
        return 1;
    }
    for (std::size_t k = 0; k < cases.size(); ++k)
        for (std::size_t i = 0; i < cases[k].draws.size(); ++i)
            if (cases[k].draws[i] != want[k].at(i)) {
                std::printf("FAIL: %s draw %zu: %.17g, expected %.17g\n", cases[k].name.c_str(), i, cases[k].draws[i],
                            want[k][i]);
                ++wrong;
            }
    std::printf("%zu sampler cases, %d draws differ\n", cases.size(), wrong);
    return wrong ? 1 : 0;
}
