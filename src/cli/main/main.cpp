#include "src/cli/app.hpp"

int main(int argc, char** argv) { return cartsim::cli::run(argc, argv); }
