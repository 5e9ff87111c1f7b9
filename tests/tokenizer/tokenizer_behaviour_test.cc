// Behaviour the goldens do not pin down: truncation policy and counts,
// hostile inputs (huge, NUL, invalid UTF-8), the two BPE merge algorithms,
// bad vocabulary / model / JSON files, tokenizer selection and provenance.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "common/test_paths.h"
#include "tokenizer/bpe_merge.h"
#include "tokenizer/bpe_piece_cache.h"
#include "tokenizer/bpe_vocabulary.h"
#include "tokenizer/clip_bpe_tokenizer.h"
#include "tokenizer/file_bytes.h"
#include "tokenizer/sentencepiece_tokenizer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_test_util.h"

namespace cliprt {
namespace {

std::string BpePath() { return testing::FindTestAsset("bpe_simple_vocab_16e6.txt.gz"); }
std::string SpmPath() { return testing::TestDataDir() + "/tokenizer/siglip_test.model"; }

#define REQUIRE_BPE()                                                                  \
  if (BpePath().empty()) GTEST_SKIP() << "bpe_simple_vocab_16e6.txt.gz not found in " \
                                      << testing::TestAssetsDir();

std::unique_ptr<Tokenizer> MakeClip(TokenizerVariant variant, TruncationPolicy policy = TruncationPolicy::kTruncate,
                                    int context = 0) {
  TokenizerOptions o;
  o.variant = variant;
  o.truncation = policy;
  o.context_length = context;
  auto t = CreateClipBpeTokenizer(BpePath(), "", o);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? std::move(t).value() : nullptr;
}

std::string LongCaption(int words) {
  std::string s;
  for (int i = 0; i < words; ++i) s += "word ";
  return s;
}

TEST(Truncation, DefaultKeepsEotLastAndCountsDropped) {
  REQUIRE_BPE();
  auto tok = MakeClip(TokenizerVariant::kOpenAiClip);
  std::vector<std::string> texts = {"a photo of a cat", LongCaption(100)};
  auto batch = tok->Encode(texts);
  ASSERT_TRUE(batch.ok());
  const int64_t* row1 = batch->ids.data_as<int64_t>() + 77;
  EXPECT_EQ(batch->dropped_tokens[0], 0);
  EXPECT_EQ(batch->dropped_tokens[1], 102 - 77);  // 100 words + sot + eot
  EXPECT_EQ(row1[0], 49406);
  EXPECT_EQ(row1[76], 49407);
  EXPECT_EQ(batch->lengths[1], 77);
}

TEST(Truncation, StrictNamesTheTextIndex) {
  REQUIRE_BPE();
  auto tok = MakeClip(TokenizerVariant::kOpenClip, TruncationPolicy::kStrict);
  std::vector<std::string> texts = {"fits", "also fits", LongCaption(80)};
  auto batch = tok->Encode(texts);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(batch.status().message().find("text 2 "), std::string::npos) << batch.status().message();
  std::vector<std::string> fitting = {"fits", LongCaption(75)};  // exactly 77 ids
  EXPECT_TRUE(tok->Encode(fitting).ok());
}

TEST(Truncation, CustomContextLength) {
  REQUIRE_BPE();
  auto tok = MakeClip(TokenizerVariant::kOpenAiClip, TruncationPolicy::kTruncate, 8);
  auto batch = tok->Encode(std::vector<std::string>{LongCaption(20)});
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->ids.dim(1), 8);
  EXPECT_EQ(batch->ids.data_as<int64_t>()[7], 49407);
  EXPECT_EQ(batch->dropped_tokens[0], 22 - 8);
  TokenizerOptions bad;
  bad.context_length = 1;
  EXPECT_FALSE(CreateClipBpeTokenizer(BpePath(), "", bad).ok());
}

TEST(HostileInput, MegabyteTextsAreBoundedAndWellFormed) {
  REQUIRE_BPE();
  auto tok = MakeClip(TokenizerVariant::kOpenAiClip);
  std::mt19937 rng(7);
  std::string words, one_word(1 << 20, 'a'), binary(1 << 20, '\0');
  while (words.size() < (1u << 20)) words += "caf\xc3\xa9 &amp; \xe2\x80\x9cquote\xe2\x80\x9d ";
  for (auto& c : binary) c = static_cast<char>(rng());
  std::vector<std::string> texts = {words, one_word, binary};
  auto batch = tok->Encode(texts);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  for (size_t i = 0; i < texts.size(); ++i) {
    const int64_t* row = batch->ids.data_as<int64_t>() + i * 77;
    EXPECT_EQ(row[0], 49406);
    EXPECT_EQ(row[76], 49407);
    EXPECT_GT(batch->dropped_tokens[i], 0);
  }
  EXPECT_GT(batch->invalid_utf8_replaced[2], 0);
}

TEST(HostileInput, MegabyteOfMojibakeLikeTextIsBounded) {
  REQUIRE_BPE();
  auto tok = MakeClip(TokenizerVariant::kOpenAiClip);
  std::mt19937 rng(3);
  std::string layered, latin;
  while (layered.size() < (1u << 20)) layered += "ÃÂ©tÃÂ© ";  // "ÃƒÂ©tÃƒÂ©": two layers
  while (latin.size() < (1u << 20)) {
    uint32_t cp = 0x80 + rng() % 0x200;
    latin += static_cast<char>(0xC0 | (cp >> 6));
    latin += static_cast<char>(0x80 | (cp & 0x3F));
  }
  auto batch = tok->Encode(std::vector<std::string>{layered, latin});
  ASSERT_TRUE(batch.ok());
  EXPECT_GT(batch->dropped_tokens[0], 0);
  EXPECT_GT(batch->dropped_tokens[1], 0);
}

TEST(HostileInput, EmbeddedNulIsAnOrdinaryCharacterThatFtfyRemoves) {
  REQUIRE_BPE();
  auto tok = MakeClip(TokenizerVariant::kOpenAiClip);
  auto with_nul = tok->EncodeUnpadded(std::string("a\0b", 3), nullptr);
  auto without = tok->EncodeUnpadded("ab", nullptr);
  ASSERT_TRUE(with_nul.ok() && without.ok());
  EXPECT_EQ(*with_nul, *without);
}

TEST(BpeMerge, HeapAndReferenceAgreeOnLongPieces) {
  REQUIRE_BPE();
  auto vocab = BpeVocabulary::FromOpenAiMergesFile(BpePath());
  ASSERT_TRUE(vocab.ok());
  std::mt19937 rng(11);
  const std::string alphabet = "abcdeeeilnorstu";
  for (int trial = 0; trial < 40; ++trial) {
    std::string piece;
    size_t len = 2 + rng() % 600;
    for (size_t i = 0; i < len; ++i) piece.push_back(alphabet[rng() % alphabet.size()]);
    if (trial % 5 == 0) piece = std::string(len, 'e');  // overlapping identical pairs
    auto a = InitialBpeSymbols(*vocab, piece, 49407);
    auto b = a;
    BpeMergeReference(*vocab, &a);
    BpeMergeHeap(*vocab, &b);
    ASSERT_EQ(a, b) << piece;
  }
}

TEST(Vocabulary, OpenAiLayoutAndProvenance) {
  REQUIRE_BPE();
  auto vocab = BpeVocabulary::FromOpenAiMergesFile(BpePath());
  ASSERT_TRUE(vocab.ok());
  EXPECT_EQ(vocab->size(), 49408);
  EXPECT_EQ(vocab->merge_count(), 48894);
  EXPECT_EQ(vocab->Find("!"), 0);
  EXPECT_EQ(vocab->Find("!</w>"), 256);
  EXPECT_EQ(vocab->ByteSymbol(' ', false), vocab->Find("\xc4\xa0"));  // space -> U+0120
  EXPECT_EQ(vocab->files()[0].sha256, "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a");
  auto tok = MakeClip(TokenizerVariant::kOpenAiClip);
  EXPECT_EQ(tok->info().vocabulary_sha256, vocab->files()[0].sha256);
  EXPECT_NE(tok->info().ToString().find("variant=openai_clip"), std::string::npos);
}

TEST(Vocabulary, UncompressedMergesGiveTheSameTokenizer) {
  REQUIRE_BPE();
  auto text = MaybeGunzip(*ReadTokenizerFile(BpePath()), "bpe");
  ASSERT_TRUE(text.ok());
  auto plain = BpeVocabulary::FromOpenAiMergesBytes(*text, "plain.txt");
  ASSERT_TRUE(plain.ok());
  auto a = ClipBpeTokenizer::Create(std::move(plain).value(), TokenizerOptions{});
  auto b = MakeClip(TokenizerVariant::kOpenAiClip);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*(*a)->EncodeUnpadded("Hello, wörld! 123", nullptr), *b->EncodeUnpadded("Hello, wörld! 123", nullptr));
}

TEST(Vocabulary, BadFilesAreCleanErrors) {
  auto missing = BpeVocabulary::FromOpenAiMergesFile("/nonexistent/bpe.txt.gz");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto bad_line = BpeVocabulary::FromOpenAiMergesBytes("#version\na b\nonlyone\n", "x.txt");
  EXPECT_EQ(bad_line.status().code(), StatusCode::kCorruptData);
  EXPECT_NE(bad_line.status().message().find("line 3"), std::string::npos) << bad_line.status().message();
  auto unknown_symbol = BpeVocabulary::FromOpenAiMergesBytes("#version\n\xe4\xb8\x80 b\n", "y.txt");
  EXPECT_EQ(unknown_symbol.status().code(), StatusCode::kCorruptData);
  auto truncated_gz = BpeVocabulary::FromOpenAiMergesBytes(std::string("\x1f\x8b\x08\x00\x00\x00", 6), "z.gz");
  EXPECT_EQ(truncated_gz.status().code(), StatusCode::kCorruptData);
  auto not_utf8 = BpeVocabulary::FromOpenAiMergesBytes("#v\n\xff \xfe\n", "w.txt");
  EXPECT_EQ(not_utf8.status().code(), StatusCode::kCorruptData);
  auto hf_bad = BpeVocabulary::FromHfBytes("{\"a\": 0, \"b\": }", "a b\n", {});
  EXPECT_EQ(hf_bad.status().code(), StatusCode::kCorruptData);
  auto hf_neg = BpeVocabulary::FromHfBytes("{\"a\": -1}", "", {});
  EXPECT_EQ(hf_neg.status().code(), StatusCode::kCorruptData);
}

TEST(Json, TokenizerFilesAreParsedStrictly) {
  // vocab.json and tokenizer_config.json go through io::ParseJson: malformed
  // documents are errors naming the file, nothing is silently accepted.
  for (const char* bad : {"{", "{\"a\":1,}", "{'a':1}", "{\"a\": 01}", "{\"a\":1} x", "{\"a\":1,\"a\":2}",
                          "{\"\xff\": 1}", "{\"a\": 1.5}", "[1]"}) {
    auto v = BpeVocabulary::FromHfBytes(bad, "", {{"vocab.json", ""}, {"merges.txt", ""}});
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_NE(v.status().message().find("vocab.json"), std::string::npos) << v.status().message();
  }
  std::string deep(1000, '[');
  EXPECT_FALSE(BpeVocabulary::FromHfBytes(deep, "", {}).ok());
}

TEST(SentencePiece, SiglipRowsArePaddedWithEosAndNoBos) {
  TokenizerOptions o;
  o.variant = TokenizerVariant::kHfSiglip;
  auto tok = CreateSentencePieceTokenizer(SpmPath(), o);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->context_length(), 64);
  EXPECT_EQ((*tok)->info().pad_id, 1);
  EXPECT_EQ((*tok)->info().bos_id, -1);
  auto batch = (*tok)->Encode(std::vector<std::string>{"a photo of a cat", LongCaption(100)});
  ASSERT_TRUE(batch.ok());
  const int64_t* ids = batch->ids.data_as<int64_t>();
  EXPECT_EQ(ids[batch->lengths[0] - 1], 1);       // eos
  EXPECT_EQ(ids[64 + 63], 1);                      // eos kept last when truncated
  EXPECT_GT(batch->dropped_tokens[1], 0);
  o.sp_pad_id = 0;  // SigLIP2-style pad 0
  auto tok0 = CreateSentencePieceTokenizer(SpmPath(), o);
  ASSERT_TRUE(tok0.ok());
  auto b0 = (*tok0)->Encode(std::vector<std::string>{"cat"});
  EXPECT_EQ(b0->ids.data_as<int64_t>()[63], 0);
}

TEST(SentencePiece, CorruptModelIsACleanError) {
  TokenizerOptions o;
  o.variant = TokenizerVariant::kOpenClipSiglip;
  auto t = SentencePieceTokenizer::CreateFromBytes("definitely not a protobuf", "garbage.model", o);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kCorruptData);
  EXPECT_NE(t.status().message().find("garbage.model"), std::string::npos);
  o.variant = TokenizerVariant::kOpenAiClip;
  EXPECT_EQ(CreateSentencePieceTokenizer(SpmPath(), o).status().code(), StatusCode::kInvalidArgument);
}

TEST(Selection, ChooseTokenizerRecordsWhy) {
  TokenizerHints hints;
  hints.family = "siglip";
  hints.directory = "/nonexistent";
  EXPECT_EQ(ChooseTokenizer(hints).status().code(), StatusCode::kNotFound);
  hints.family = "nope";
  EXPECT_EQ(ChooseTokenizer(hints).status().code(), StatusCode::kInvalidArgument);
  REQUIRE_BPE();
  hints.family = "open_clip";
  hints.directory = "";
  hints.bpe_path = BpePath();
  hints.open_clip_clean = "canonicalize";
  auto choice = ChooseTokenizer(hints);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->options.variant, TokenizerVariant::kOpenClipCanonicalize);
  auto tok = CreateTokenizer(*choice);
  ASSERT_TRUE(tok.ok());
  EXPECT_NE((*tok)->info().selection_reason.find("clean=canonicalize"), std::string::npos);
  EXPECT_EQ(*ParseTokenizerVariant("hf_clip_fast"), TokenizerVariant::kHfClipFast);
  EXPECT_FALSE(ParseTokenizerVariant("clip").ok());
}

}  // namespace
}  // namespace cliprt

namespace cliprt {
namespace {

TEST(BpePieceCache, HitsMissesCollisionsAndBound) {
  BpePieceCache cache(4);
  std::vector<int64_t> out;
  const std::u32string cat = U"cat", car = U"car";
  EXPECT_FALSE(cache.Lookup(cat, BpePieceCache::Hash(cat), &out));
  const int32_t cat_ids[] = {7, 8};
  cache.Insert(cat, BpePieceCache::Hash(cat), cat_ids);
  // Same hash, other piece: compared by content, not trusted by hash.
  EXPECT_FALSE(cache.Lookup(car, BpePieceCache::Hash(cat), &out));
  ASSERT_TRUE(cache.Lookup(cat, BpePieceCache::Hash(cat), &out));
  EXPECT_EQ(out, (std::vector<int64_t>{7, 8}));
  const int32_t car_ids[] = {9};
  cache.Insert(car, BpePieceCache::Hash(cat), car_ids);  // forced collision
  out.clear();
  ASSERT_TRUE(cache.Lookup(car, BpePieceCache::Hash(cat), &out));
  EXPECT_EQ(out, (std::vector<int64_t>{9}));
  // Bounded: the fifth entry starts over.
  for (char32_t c = U'a'; c < U'a' + 3; ++c) {
    std::u32string p(1, c);
    cache.Insert(p, BpePieceCache::Hash(p), car_ids);
  }
  EXPECT_EQ(cache.size(), 1u);
  out.clear();
  EXPECT_FALSE(cache.Lookup(cat, BpePieceCache::Hash(cat), &out));
  // Long pieces are not cached.
  std::u32string long_piece(BpePieceCache::kMaxPieceChars + 1, U'x');
  cache.Insert(long_piece, BpePieceCache::Hash(long_piece), car_ids);
  EXPECT_FALSE(cache.Lookup(long_piece, BpePieceCache::Hash(long_piece), &out));
}

// The slot table grows from its small start (rehashing every entry) and
// shrinks back when the bound clears it; entries stay findable throughout,
// colliding hashes included.
TEST(BpePieceCache, GrowsAndStartsOverWithoutLosingEntries) {
  const size_t bound = 20000;
  BpePieceCache cache(bound);
  auto piece = [](size_t i) { return std::u32string{U'p', static_cast<char32_t>(0x4E00 + i % 5000), static_cast<char32_t>('a' + i / 5000)}; };
  // Every 7th piece shares the hash of piece 0.
  auto hash = [&](size_t i) { return BpePieceCache::Hash(piece(i % 7 == 0 ? 0 : i)); };
  for (size_t round = 0; round < 2; ++round) {
    for (size_t i = 0; i < bound; ++i) {
      const int32_t ids[] = {static_cast<int32_t>(i), static_cast<int32_t>(round)};
      cache.Insert(piece(i), hash(i), ids);
      if (i % 997 == 0 || i + 1 == bound) {
        EXPECT_EQ(cache.size(), i + 1);
        for (size_t j = 0; j <= i; j += (i / 50) + 1) {
          std::vector<int64_t> out;
          ASSERT_TRUE(cache.Lookup(piece(j), hash(j), &out)) << i << " " << j;
          EXPECT_EQ(out, (std::vector<int64_t>{static_cast<int64_t>(j), static_cast<int64_t>(round)}));
        }
      }
    }
    // The next insert starts over.
    std::vector<int64_t> out;
    const int32_t one[] = {1};
    cache.Insert(U"zz", BpePieceCache::Hash(U"zz"), one);
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_FALSE(cache.Lookup(piece(3), hash(3), &out));
    ASSERT_TRUE(cache.Lookup(U"zz", BpePieceCache::Hash(U"zz"), &out));
    cache = BpePieceCache(bound);
  }
}

}  // namespace
}  // namespace cliprt
