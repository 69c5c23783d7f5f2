#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "src/io/folder_lock.hpp"

using cartsim::io::FolderLock;
namespace fs = std::filesystem;

TEST_CASE("folder lock: one holder at a time, the second told who holds it, the file gone on release") {
    const fs::path dir = fs::temp_directory_path() / ("cartsim-lock-" + std::to_string(std::random_device{}()));
    std::string why;
    {
        auto first = FolderLock::acquire(dir / "out", why);  // creates the folder
        REQUIRE(first.has_value());
        CHECK(fs::exists(dir / "out" / ".cartsim.lock"));
        auto second = FolderLock::acquire(dir / "out", why);
        CHECK_FALSE(second.has_value());
        CHECK(why.find("is being written by another cartsim (process ") != std::string::npos);
        auto moved = std::move(first);  // moving keeps the lock
        CHECK_FALSE(FolderLock::acquire(dir / "out", why).has_value());
    }
    CHECK_FALSE(fs::exists(dir / "out" / ".cartsim.lock"));
    CHECK(FolderLock::acquire(dir / "out", why).has_value());  // free again
    fs::remove_all(dir);
}
