// Facts about this build, recorded in result provenance.
#pragma once

namespace cliprt {

// Short git revision the library was configured from ("unknown" outside git).
const char* BuildGitRevision();
// Compiler id and version, e.g. "GNU 12.2.0".
const char* BuildCompiler();
// CMake build type, e.g. "Release".
const char* BuildType();

}  // namespace cliprt
