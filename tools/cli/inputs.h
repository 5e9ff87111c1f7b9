// Reading the CLI's inputs: text files, image lists and small files.
#ifndef CLIPRT_TOOLS_CLI_INPUTS_H_
#define CLIPRT_TOOLS_CLI_INPUTS_H_

#include <string>
#include <vector>

namespace cliprt_cli {

// One UTF-8 text per line, taken literally (no escapes, no trimming): an
// empty line is an empty text, so text i is line i (0-based). A final
// newline does not add an empty text. Two normalizations, both documented in
// docs/cli.md: a CR right before a LF is dropped (CRLF files give the same
// texts as LF files) and a UTF-8 byte order mark at the very start is dropped.
std::vector<std::string> ReadTextLines(const std::string& path);

// Image inputs: each argument is a file, or a folder whose image files
// (.jpg .jpeg .png .bmp .gif .ppm .pgm .pnm .tga, any case) are taken in
// byte order of their names (not recursive). A missing path is an error
// naming it; a folder without images too.
std::vector<std::string> ExpandImageArgs(const std::vector<std::string>& args);

std::string ReadWholeFile(const std::string& path);
void WriteWholeFile(const std::string& path, const std::string& contents);

// "a, b ,c" → {"a","b","c"}: split on commas, trim spaces and tabs; an empty
// item is a usage error naming its position.
std::vector<std::string> SplitLabels(const std::string& list);

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_INPUTS_H_
