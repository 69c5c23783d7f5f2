#pragma once

namespace cartsim::cli {

const char* version();     // project version
const char* git_commit();  // commit the binary was configured from

}  // namespace cartsim::cli
