// Which tokenizer a loaded checkpoint's reference pipeline uses, and from
// which files: the decision the API makes before it can encode text.
//
// Inputs, in order of authority:
//   * an explicit path the caller passes (CLI --tokenizer): OpenAI's
//     bpe_simple_vocab_16e6.txt[.gz], a folder with vocab.json + merges.txt
//     (or spiece.model, or bpe_simple_vocab_16e6.txt.gz), a vocab.json or
//     merges.txt file (its sibling is used), or a SentencePiece .model;
//   * the tokenizer files found beside the weights (ck.located);
//   * ck.config: family, text.tokenizer ("clip-bpe" | "hf:<name>" |
//     "sentencepiece"), text.tokenizer_clean (open_clip clean=), context
//     length, vocab_size, pooling eos id;
//   * HF tokenizer_config.json / special_tokens_map.json (pad token, e.g.
//     "!" in SD2/LAION folders; tokenizer_class as a cross-check);
//   * the matching manifest's tokenizer line (cross-check).
// Every decision is recorded in TokenizerChoice::reason. Checkpoints that
// carry no vocabulary (OpenAI .pt, open_clip files) need the explicit path;
// the error says which file to pass. CreateTokenizer() then checks that the
// vocabulary has exactly text.vocab_size entries (the token embedding rows)
// and, for towers that pool at an eos id, that the tokenizer emits that id.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "io/checkpoint.h"
#include "tokenizer/tokenizer.h"

namespace cliprt {

StatusOr<TokenizerChoice> ChooseTokenizerForCheckpoint(const io::Checkpoint& ck, const std::string& explicit_path,
                                                       TruncationPolicy truncation);

// ChooseTokenizerForCheckpoint + CreateTokenizer.
StatusOr<std::unique_ptr<Tokenizer>> CreateTokenizerForCheckpoint(const io::Checkpoint& ck,
                                                                  const std::string& explicit_path,
                                                                  TruncationPolicy truncation);

}  // namespace cliprt
