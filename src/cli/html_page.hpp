#pragma once
// The self-contained pages of `cartsim report` and `cartsim serve`: one HTML text with the page's
// style and script (plots/NAME/NAME.css and NAME.js) and Chart.js (Debian's libjs-chart.js) inlined.

#include <optional>
#include <string>

namespace cartsim::cli {

/// `<head>` with `title` and the style, then `body_html`, then Chart.js and the page's script. When a
/// file is missing: nullopt, and `error` names it (and the Debian package for Chart.js).
std::optional<std::string> html_page(const std::string& name, const std::string& title, const std::string& body_html,
                                     std::string& error);

/// Text safe inside a <script> element: every "</" becomes "<\/" (the same string to JSON and JavaScript).
std::string script_safe(const std::string& text);

}  // namespace cartsim::cli
