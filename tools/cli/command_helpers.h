// Small pieces several commands share.
#ifndef CLIPRT_TOOLS_CLI_COMMAND_HELPERS_H_
#define CLIPRT_TOOLS_CLI_COMMAND_HELPERS_H_

#include <string>
#include <vector>

#include "args.h"
#include "cliprt/cliprt.h"

namespace cliprt_cli {

// TEXT positionals from index `first_positional` on, then the lines of
// --texts-file; a usage error when there are none. (cmd_tokenize.cc)
std::vector<std::string> CollectTexts(const Args& args, size_t first_positional);

// "both" | "vision" | "text". (cmd_info.cc)
cliprt_towers ParseTowers(const std::string& text);

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_COMMAND_HELPERS_H_
