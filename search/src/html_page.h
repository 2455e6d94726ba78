// The page scaffolding both HTML reports share (private to search/).
#pragma once

#include <string>

#include "referee/base/json.h"

namespace referee::search {

// The generated assets (search/report/embed_assets.cmake).
extern const char kPlotLibrary[];
extern const char kPlotLibraryPath[];
extern const char kPageCss[];
extern const char kPageJs[];
extern const char kSearchJs[];
extern const char kEvalJs[];

// A complete page: the style, the plotting library, `data` as inert JSON, the shared script and
// the page's own script (`page_js`), which renders into <main>.
std::string RenderPage(const std::string& title, const Json& data, const char* page_js);

}  // namespace referee::search
