#include "src/cli/study_folder.hpp"

#include <fstream>

#include <fmt/format.h>

#include "src/io/atomic_file.hpp"
#include "src/study/checkpoint.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;
namespace {

/// The files a finished study leaves (besides manifest.json), removed at a fresh start.
constexpr const char* kResultFiles[] = {"patients.csv", "summary.json", "km.csv",         "sweep.csv",
                                        "sobol.csv",    "scenario.yaml", "validation.csv", "input_checks.csv"};

nlohmann::json read_manifest(const fs::path& out) {
    std::ifstream stream(out / "manifest.json");
    if (!stream) return nullptr;
    return nlohmann::json::parse(stream, nullptr, /*allow_exceptions=*/false);
}

/// The status a parsed manifest gives (see study_status).
std::string status_of(const nlohmann::json& manifest) {
    if (manifest.is_null()) return "";
    if (!manifest.is_object()) return "unreadable";
    return manifest.value("status", std::string("finished"));
}

/// The fingerprint of the study whose finished results a folder holds, or "" (the manifest read once).
std::string finished_fingerprint(const fs::path& out) {
    std::error_code ec;
    if (!fs::exists(out / "patients.csv", ec)) return "";
    const auto manifest = read_manifest(out);
    if (status_of(manifest) != "finished") return "";
    // A manifest of an older cartsim has no fingerprint: a finished study all the same.
    return manifest.value("study_fingerprint", std::string("unknown"));
}

}  // namespace

std::string study_status(const fs::path& out) { return status_of(read_manifest(out)); }

void write_manifest(const fs::path& out, nlohmann::json manifest, const std::string& status) {
    manifest["status"] = status;
    io::write_file_atomic(out / "manifest.json", manifest.dump(2) + "\n");
}

FolderPlan prepare_study_folder(const fs::path& out, const std::string& identity, const StudySettings& settings) {
    using Verdict = FolderPlan::Verdict;
    const std::string folder = out.string();
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) return {Verdict::IoFailure, fmt::format("cannot create the folder {}: {}", folder, ec.message()), ""};
    try {
        std::string previous;
        std::ifstream(study::identity_path(out)) >> previous;
        // A finished folder has no identity file; its manifest says which study it holds.
        const std::string finished_as = finished_fingerprint(out);
        if (settings.resume && !previous.empty() && previous != identity)
            return {Verdict::BadInput,
                    fmt::format("{} holds an interrupted run of a different study (or other options); run without "
                                "--resume to start afresh",
                                folder),
                    ""};
        if (settings.resume && previous.empty() && !finished_as.empty()) {
            if (finished_as == identity && settings.keep_finished) return {Verdict::AlreadyFinished, "", ""};
            if (finished_as == identity)
                return {Verdict::BadInput,
                        fmt::format("{} holds this study, finished: nothing to resume (its results are kept; run "
                                    "without --resume to run it again)",
                                    folder),
                        ""};
            return {Verdict::BadInput,
                    fmt::format("{} holds the finished results of a different study (or other options), which --resume "
                                "would overwrite; run without --resume to replace them, or choose another folder",
                                folder),
                    ""};
        }
        FolderPlan plan;
        if (settings.resume && !previous.empty()) {
            study::partial_files(out);  // a folder that cannot be listed fails here, not as "nothing finished"
            return plan;
        }
        // A fresh start: nothing of an older run may stay looking complete.
        for (const auto& f : study::partial_files(out)) fs::remove(f);
        for (const char* name : kResultFiles) fs::remove(out / name);
        if (settings.resume) plan.note = "nothing to resume; starting afresh";
        io::write_file_atomic(study::identity_path(out), identity + "\n");
        return plan;
    } catch (const std::exception& e) {
        return {Verdict::IoFailure, e.what(), ""};
    }
}

}  // namespace cartsim::cli
