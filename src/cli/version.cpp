#include "src/cli/version.hpp"

#ifndef CARTSIM_VERSION
#define CARTSIM_VERSION "unknown"
#endif
#ifndef CARTSIM_GIT_COMMIT
#define CARTSIM_GIT_COMMIT "unknown"
#endif

namespace cartsim::cli {

const char* version() { return CARTSIM_VERSION; }
const char* git_commit() { return CARTSIM_GIT_COMMIT; }

}  // namespace cartsim::cli
