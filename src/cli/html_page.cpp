#include "src/cli/html_page.hpp"

#include "src/io/data_dir.hpp"
#include "src/io/read_file.hpp"

#ifndef CARTSIM_CHARTJS
#define CARTSIM_CHARTJS "/usr/share/javascript/chart.js/chart.min.js"
#endif

namespace cartsim::cli {

namespace {

std::string html_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

}  // namespace

std::string script_safe(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') {
            out += "<\\/";
            ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::optional<std::string> html_page(const std::string& name, const std::string& title, const std::string& body_html,
                                     std::string& error) {
    const auto folder = io::data_dir() / "plots" / name;
    const auto script = io::read_file(folder / (name + ".js"));
    const auto style = io::read_file(folder / (name + ".css"));
    const auto chart = io::read_file(CARTSIM_CHARTJS);
    if (!script || !style) {
        error = "the page's script and style (" + name + ".js, " + name + ".css) were not found in " + folder.string();
        return std::nullopt;
    }
    if (!chart) {
        error = std::string("Chart.js was not found at ") + CARTSIM_CHARTJS + " (Debian: apt-get install libjs-chart.js)";
        return std::nullopt;
    }
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + html_escape(title) +
           "</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>\n" + *style + "</style>\n</head>\n<body>\n" + body_html +
           "\n<script>\n" + script_safe(*chart) + "\n</script>\n<script>\n" + script_safe(*script) +
           "\n</script>\n</body>\n</html>\n";
}

}  // namespace cartsim::cli
