// The page scaffolding both HTML reports share (issue 14 item 3).
#include "html_page.h"

#include <cstring>

#include "referee/search/html_report.h"

namespace referee::search {
namespace {

// No network at view time, and no script but ours: a hostile string that got past the
// escaping still could not load or run anything.
constexpr const char* kCsp =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:";

}  // namespace

Status HtmlReportsAvailable() {
  if (std::strlen(kPlotLibrary) > 0) return OkStatus();
  return FailedPreconditionError(
      std::string("HTML reports need the plotting library ") + kPlotLibraryPath +
      ", absent when referee was built: run scripts/setup.sh --deps, then reconfigure and "
      "rebuild");
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The three characters only occur inside JSON strings, where \uXXXX means the same.
std::string JsonForScript(const Json& value) {
  std::string json = DumpJson(value, -1), out;
  out.reserve(json.size());
  for (char c : json) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderPage(const std::string& title, const Json& data, const char* page_js) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += std::string("<meta http-equiv=\"Content-Security-Policy\" content=\"") + kCsp + "\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + HtmlEscape(title) + "</title>\n<style>\n" + kPageCss + "</style>\n";
  out += "<script>\n" + std::string(kPlotLibrary) + "\n</script>\n</head>\n<body>\n";
  out += "<header><h1>" + HtmlEscape(title) +
         "</h1><p id=\"referee-status\">rendering…</p>"
         "</header>\n<main id=\"referee-main\"></main>\n";
  out += "<script type=\"application/json\" id=\"referee-data\">" + JsonForScript(data) +
         "</script>\n";
  out += "<script>\n" + std::string(kPageJs) + "\n" + page_js + "\n</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace referee::search
