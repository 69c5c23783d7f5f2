#pragma once
// The output folder of a study: who may write it, what it holds, and whether a reader can trust it.
//
// manifest.json carries "status": "running" from before the first run starts, then "interrupted"
// (Ctrl-C or SIGTERM), "failed" (a write error) or "finished". A run killed outright (kill -9, a
// power cut) leaves "running". A fresh start removes the previous study's result files, so a folder
// never holds a complete-looking patients.csv or summary.json from an older run beside a new one.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "src/cli/commands.hpp"

namespace cartsim::cli {

/// What a study's folder preparation decided (rank 0).
struct FolderPlan {
    enum class Verdict { Run, AlreadyFinished, BadInput, IoFailure } verdict = Verdict::Run;
    std::string message;  // why, for BadInput and IoFailure (printed after "cartsim: ")
    std::string note;     // a note for stdout ("nothing to resume; starting afresh")
};

/// Decides between a fresh start, a resume, keeping a finished folder, or refusing; on a fresh start
/// clears the old partial and result files and writes the identity file. The caller holds the lock.
FolderPlan prepare_study_folder(const std::filesystem::path& out, const std::string& identity,
                                const StudySettings& settings);

/// The status a study folder's manifest gives ("running", "interrupted", "failed", "finished"); a
/// manifest of an older cartsim has none and counts as "finished"; "" when there is no manifest.
std::string study_status(const std::filesystem::path& out);

/// Writes manifest.json (atomically) as `manifest` with "status": status.
void write_manifest(const std::filesystem::path& out, nlohmann::json manifest, const std::string& status);

}  // namespace cartsim::cli
