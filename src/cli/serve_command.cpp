// `cartsim serve`: a local web page for teaching (cpp-httplib from Debian). Each lesson of
// scenarios/lessons with its text, sliders for the parameters it names and charts that follow them:
// every move re-runs the lesson in the server, through the same strict loader as a file.
//
//   GET /                   the page (Chart.js, plots/serve/serve.js and serve.css inlined)
//   GET /api/lessons        every lesson: title, text, sliders (path, label, unit, range, value), arms
//   GET /api/run?lesson=NAME&PATH=VALUE...   one run: per arm its summary and plotted series;
//                           400 {"error": the loader's message} for bad input, 404 unknown lesson,
//                           503 when the server is busy or a run passes its time limit
//
// It binds 127.0.0.1 by default; runs go one at a time, each under a wall-clock limit.

#include <httplib.h>

#include <chrono>
#include <iostream>
#include <mutex>

#include "src/cli/app.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/html_page.hpp"
#include "src/cli/serve_lessons.hpp"
#include "src/cli/version.hpp"
#include "src/io/data_dir.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;

namespace {

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

}  // namespace

int command_serve(const ServeSettings& settings) {
    const fs::path folder = settings.lessons.empty() ? io::data_dir() / "scenarios" / "lessons" : fs::path(settings.lessons);
    std::string error;
    const auto lessons = load_lessons(folder, error);
    if (lessons.empty()) {
        std::cerr << "cartsim: " << error << "\n";
        return kExitBadInput;
    }
    std::string page_error;
    const auto page = html_page("serve", "cartsim lessons", "<main id=\"app\"></main>", page_error);
    if (!page) {
        std::cerr << "cartsim: " << page_error << "\n";
        return kExitRunFailed;
    }
    nlohmann::json index = nlohmann::json::array();
    for (const auto& lesson : lessons) index.push_back(lesson_json(lesson));

    const ServeLimits limits;
    std::timed_mutex running;  // one simulation at a time; a request waits at most 20 s for its turn
    httplib::Server server;
    server.set_payload_max_length(64 * 1024);
    server.set_read_timeout(10, 0);
    server.Get("/", [&](const httplib::Request&, httplib::Response& res) { res.set_content(*page, "text/html; charset=utf-8"); });
    server.Get("/api/lessons", [&](const httplib::Request&, httplib::Response& res) { send_json(res, 200, index); });
    server.Get("/api/run", [&](const httplib::Request& req, httplib::Response& res) {
        const std::string name = req.get_param_value("lesson");
        const auto lesson = std::find_if(lessons.begin(), lessons.end(), [&](const Lesson& l) { return l.name == name; });
        if (lesson == lessons.end()) return send_json(res, 404, {{"error", "no lesson named '" + name + "'"}});
        std::map<std::string, std::string> values;
        for (const auto& [key, value] : req.params)
            if (key != "lesson") values[key] = value;
        std::unique_lock lock(running, std::defer_lock);
        if (!lock.try_lock_for(std::chrono::seconds(20)))
            return send_json(res, 503, {{"error", "the server is busy with other runs; try again"}});
        const LessonRun run = run_lesson(*lesson, values, limits);
        send_json(res, run.status, run.body);
    });
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty()) send_json(res, res.status, {{"error", "not found"}});
    });

    int port = settings.port;
    if (port == 0) {
        port = server.bind_to_any_port(settings.host);
    } else if (!server.bind_to_port(settings.host, port)) {
        port = -1;
    }
    if (port < 0) {
        std::cerr << "cartsim: cannot listen on " << settings.host << ":" << settings.port << "\n";
        return kExitBadInput;
    }
    std::cout << "cartsim serve: http://" << settings.host << ":" << port << "/ (" << lessons.size()
              << " lessons from " << folder.string() << "; Ctrl-C stops)" << std::endl;
    server.listen_after_bind();
    return kExitOk;
}

}  // namespace cartsim::cli
