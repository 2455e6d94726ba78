// CUDA/C++ sources embedded in Python strings (issue #4): the literal arguments
// of torch.utils.cpp_extension.load_inline (cpp_sources, cuda_sources: str or
// list), cupy.RawKernel/RawModule (code) and
// torch.cuda.jiterator._create_jit_fn (code_string). Literals may be
// triple-quoted, implicitly concatenated, joined with +, f-strings without
// substitutions, or module-level names assigned once. Each decoded byte
// remembers its offset in the .py file, so findings map back to the right line
// and column.
#pragma once

#include <string>
#include <vector>

#include "python/module_index.h"
#include "referee/rules/rule.h"

namespace referee::analyzers::python {

struct EmbeddedSource {
  rules::Language language = rules::Language::kCuda;
  std::string origin;             // "load_inline cuda_sources", "cupy.RawKernel code", ...
  std::string content;            // decoded source text
  std::vector<uint32_t> offsets;  // .py byte offset of each content byte (+1 sentinel)
  uint32_t call_line = 0;         // 1-based line of the call, for notes
};

struct Extraction {
  std::vector<EmbeddedSource> sources;
  std::vector<std::string> notes;  // arguments that are not literals ("line 12: ... skipped")
};

Extraction ExtractEmbeddedSources(const ModuleIndex& index);

// Decodes one string node (no interpolations); false when it has substitutions.
bool DecodeStringNode(TSNode string_node, std::string_view src, std::string* content,
                      std::vector<uint32_t>* offsets);

// Maps a 1-based line/column in `e.content` to a 1-based line/column in the .py
// source.
struct PyPos {
  int line = 0;
  int col = 0;
};
PyPos MapToPython(const EmbeddedSource& e, std::string_view py_source, int line, int col);

// What load_inline prepends to its generated files, so embedded sources compile
// as they will. `prefix_lines` is the number of lines to subtract from
// findings.
std::string EmbeddedPrefix(const EmbeddedSource& e, int* prefix_lines);

}  // namespace referee::analyzers::python
