#include "src/cli/version.hpp"

#ifndef CARTSIM_VERSION
#define CARTSIM_VERSION "unknown"
#endif

namespace cartsim::cli {

const char* version() { return CARTSIM_VERSION; }

}  // namespace cartsim::cli
