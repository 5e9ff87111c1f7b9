// One entry point per `cliprt` command; argv excludes "cliprt <command>".
// Each returns the exit status (cli_error.h) and throws CliError or
// cliprt::Error for failures, which main() turns into a one-line message.
#ifndef CLIPRT_TOOLS_CLI_COMMANDS_H_
#define CLIPRT_TOOLS_CLI_COMMANDS_H_

#include <span>

namespace cliprt_cli {

using Argv = std::span<char* const>;

int RunSelfCheck(Argv argv);
int RunVersion(Argv argv);
int RunInfo(Argv argv);
int RunTokenize(Argv argv);
int RunPreprocess(Argv argv);
int RunEmbedImage(Argv argv);
int RunEmbedText(Argv argv);
int RunClassify(Argv argv);
int RunIndex(Argv argv);
int RunReplay(Argv argv);
int RunBench(Argv argv);

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_COMMANDS_H_
